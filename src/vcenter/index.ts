/**
 * Public API of the vCenter client: the client, its typed errors, the operation vocabulary and the
 * wire types callers read. The zod schemas of every wire type are in `./schemas`.
 */
export {
  VcenterClient,
  type Timed,
  type VcenterClientOptions,
  type VcenterLogger,
  type VcenterRequestEvent,
} from './client';
export * from './errors';
export { VCHA_CLUSTER_SERVICE_ID, isFailoverOperationId, type VcenterOperation } from './operations';
export type { CisTaskInfo, VcenterVchaClusterInfo, VcenterVchaOperationsInfo } from './schemas';
