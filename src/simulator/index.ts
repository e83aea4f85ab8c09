/**
 * vCenter VCHA simulator: a model of VCHA clusters served over the vCenter REST API (`/api`),
 * with faults, timing and an admin API, for testing and benchmarking failover clients.
 */
export { startSimulator } from './server';
export type { Simulator, SimulatorLayout, SimulatorOptions } from './server';
export type { TlsOptions } from './http/listener';
export { SimCluster } from './model/cluster';
export type { ClusterSnapshot, ClusterTransport, FailoverPhase, TaskStartResult } from './model/cluster';
export type { FailoverTimeline } from './model/failover-timeline';
export type { SimCounters } from './model/counters';
export type { SimRequestRecord } from './model/request-log';
export type { FaultState, HangFault, MalformedFault, MalformedKind } from './model/faults';
export { DEFAULT_TIMING, type SimTiming } from './model/timing';
export { DEFAULT_PASSWORD, DEFAULT_USERNAME } from './model/users';
export { PRIVILEGE_READ, PRIVILEGE_VCSERVER } from './model/vapi-errors';
export {
  DEFAULT_DISABLED_OPERATIONS,
  FAILOVER_OPERATION_ID,
  MODE_SET_OPERATION_ID,
  type ClusterMode,
  type ClusterState,
  type ConfigState,
  type HealthState,
  type MemberName,
  type MemberState,
  type NodeRole,
  type NodeState,
} from './model/cluster-state';
export { API_OPERATIONS, type ApiOperation, type OperationSelector } from './model/api-operations';
export {
  clusterScenarioSchema,
  loadScenarioFile,
  parseScenario,
  scenarioSchema,
  ScenarioError,
  validateScenario,
  type ClusterScenario,
  type ClusterScenarioInput,
  type Scenario,
  type UserScenario,
} from './scenario';
