/**
 * Identifiers the vCenter API uses for VCHA operations and tasks, and the names this client gives to the calls it
 * makes. Pure (no I/O) so workflow code can import it.
 */

/** Service id of the VCHA cluster service: the suffix of failover task ids and the `service` of their tasks. */
export const VCHA_CLUSTER_SERVICE_ID = 'com.vmware.vcenter.vcha.cluster';

/** Operation id of a failover as written in the REST spec (without the `com.vmware.` prefix). */
export const VCHA_FAILOVER_OPERATION_ID = 'vcenter.vcha.cluster.failover';

/** Operation id of a failover as written in the SDK bindings (with the `com.vmware.` prefix). */
export const VCHA_FAILOVER_OPERATION_ID_QUALIFIED = `com.vmware.${VCHA_FAILOVER_OPERATION_ID}`;

/**
 * Whether an operation id (as listed by `GET /api/vcenter/vcha/operations`) denotes the VCHA failover; vCenter
 * releases and SDKs write it with and without the `com.vmware.` prefix.
 */
export function isFailoverOperationId(id: string): boolean {
  return id === VCHA_FAILOVER_OPERATION_ID || id === VCHA_FAILOVER_OPERATION_ID_QUALIFIED;
}

/** The calls this client makes, as named in errors, logs and metrics. */
export type VcenterOperation =
  | 'session.create'
  | 'session.delete'
  | 'cluster.get'
  | 'cluster.mode.get'
  | 'operations.get'
  | 'failover'
  | 'task.get'
  | 'task.list';
