/**
 * The workflows this worker registers: the bundle's entry point. Callers start them by type name
 * with the signatures and shapes in `src/contract` (`VchaFailoverWorkflow`, `FailoverResult`, …).
 */
export { vchaFailover } from './failover';
export { fleetFailover } from './fleet';
export { vchaMaintenance } from './maintenance';
export { vchaTargetLock } from './target-lock';
export { vchaGate } from './gate';
