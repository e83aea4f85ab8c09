/**
 * The workflows this worker registers: the bundle's entry point. Callers start them by type name
 * with the signatures and shapes in `src/contract` (`VchaFailoverWorkflow`, `FailoverResult`, …).
 */
export { vchaFailover } from './failover/workflow';
export { fleetFailover } from './fleet/workflow';
export { vchaGate } from './gate';
export { vchaMaintenance } from './maintenance/workflow';
export { vchaTargetLock } from './common/target-lock';
export { vchaClusterLedger } from './cluster-ledger/workflow';
