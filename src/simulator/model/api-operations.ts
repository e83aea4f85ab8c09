/** Names of the simulated API operations, used to aim faults at one kind of request. */

/** Every vCenter API operation the simulator serves. */
export const API_OPERATIONS = [
  'session.create',
  'session.get',
  'session.delete',
  'cluster.get',
  'cluster.failover',
  'mode.get',
  'mode.set',
  'operations.get',
  'tasks.get',
  'tasks.list',
] as const;

/** One simulated API operation, e.g. `cluster.failover` for `POST …/cluster?action=failover`. */
export type ApiOperation = (typeof API_OPERATIONS)[number];

/** A fault target: one operation, or `*` for every operation. */
export type OperationSelector = ApiOperation | '*';

/** Whether a fault aimed at `selector` applies to `operation`. */
export function selectorMatches(selector: OperationSelector, operation: ApiOperation): boolean {
  return selector === '*' || selector === operation;
}
