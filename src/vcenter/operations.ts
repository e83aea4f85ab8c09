/**
 * The vCenter API's own names: the operations the failover worker calls, named `<service>.<operation>`
 * after VMware's vAPI services (`cis.session`, `vcenter.vcha.cluster`, `vcenter.vcha.cluster.mode`,
 * `vcenter.vcha.operations`, `cis.tasks`, `vcenter.services`, `vcenter.datacenter`,
 * `appliance.health.system`), and the ids vCenter uses for VCHA tasks and operations.
 * One vocabulary for the client, the simulator, logs, metrics and tests.
 */

/** Every vCenter API operation the worker calls or the simulator serves. */
export const VCENTER_OPERATIONS = [
  'session.create',
  'session.get',
  'session.delete',
  'cluster.get',
  'cluster.failover',
  'cluster.mode.get',
  'cluster.mode.set',
  'operations.get',
  'tasks.get',
  'tasks.list',
  'services.list',
  'services.get',
  'datacenter.list',
  'health.system',
  'health.lastcheck',
] as const;

/** One vCenter API operation, e.g. `cluster.failover` for `POST …/vcha/cluster?action=failover`. */
export type VcenterOperation = (typeof VCENTER_OPERATIONS)[number];

/** Service id of the VCHA cluster service: the suffix of failover task ids and the `service` of their tasks. */
export const VCHA_CLUSTER_SERVICE_ID = 'com.vmware.vcenter.vcha.cluster';

/** Service id of the VCHA cluster mode service (mode change tasks). */
export const VCHA_MODE_SERVICE_ID = 'com.vmware.vcenter.vcha.cluster.mode';

/** Operation id of a failover as written in the REST spec (without the `com.vmware.` prefix). */
export const VCHA_FAILOVER_OPERATION_ID = 'vcenter.vcha.cluster.failover';

/** Operation id of a failover as written in the SDK bindings (with the `com.vmware.` prefix). */
export const VCHA_FAILOVER_OPERATION_ID_QUALIFIED = `com.vmware.${VCHA_FAILOVER_OPERATION_ID}`;

/** Operation id of a mode change as written in the SDK bindings. */
export const VCHA_MODE_SET_OPERATION_ID_QUALIFIED = 'com.vmware.vcenter.vcha.cluster.mode.set';

/**
 * Whether an operation id (as listed by `GET /api/vcenter/vcha/operations`) denotes the VCHA failover; vCenter
 * releases and SDKs write it with and without the `com.vmware.` prefix.
 */
export function isFailoverOperationId(id: string): boolean {
  return id === VCHA_FAILOVER_OPERATION_ID || id === VCHA_FAILOVER_OPERATION_ID_QUALIFIED;
}
