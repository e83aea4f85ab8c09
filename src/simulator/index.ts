/**
 * vCenter VCHA simulator: a model of VCHA clusters served over the vCenter REST API (`/api`),
 * with faults, timing and an admin API, for testing and benchmarking failover clients.
 */
export { startSimulator } from './server';
export type { Simulator } from './server';
export type { SimClusterView } from './model/cluster';
export type { FailoverTimeline } from './model/failover-timeline';
export type { SimCounters } from './model/counters';
export type { SimRequestRecord } from './model/request-log';
export type { SimTiming } from './model/timing';
export { DEFAULT_PASSWORD, DEFAULT_USERNAME } from './model/users';
export { ScenarioError, type ClusterScenarioInput } from './scenario';
export { loadScenarioFile, parseScenario } from './scenario-file';
