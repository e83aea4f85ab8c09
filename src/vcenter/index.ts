/**
 * Public API of the vCenter client. Workflow code, which must stay free of I/O, should import the pure modules
 * (`./schemas`, `./errors`, `./operations`) directly instead of this index, which also loads the HTTP client.
 */
export {
  VcenterClient,
  type TaskListFilter,
  type VcenterClientOptions,
  type VcenterLogger,
  type VcenterRequestEvent,
} from './client';
export { DEFAULT_MAX_CONNECTIONS, DEFAULT_VCENTER_TIMEOUTS, type VcenterTimeouts } from './http-transport';
export {
  VcenterApiError,
  VcenterClientClosedError,
  VcenterError,
  VcenterResponseError,
  VcenterUnreachableError,
  mayHaveExecuted,
  type UnreachablePhase,
  type UnreachableReason,
  type VcenterErrorJson,
} from './errors';
export {
  VCHA_CLUSTER_SERVICE_ID,
  VCHA_FAILOVER_OPERATION_ID,
  VCHA_FAILOVER_OPERATION_ID_QUALIFIED,
  isFailoverOperationId,
  type VcenterOperation,
} from './operations';
export * from './schemas';
