/** The workflows this worker registers, and the types callers use to start them. */
export { vchaFailover } from './failover';
export {
  fleetFailover,
  fleetStatusQuery,
  FleetFailoverInputSchema,
  type FleetFailoverInput,
  type FleetFailoverResult,
  type FleetTargetOutcome,
  type FleetTargetState,
} from './fleet';
export { vchaTargetLock, targetLockWorkflowId, type TargetLockInput } from './target-lock';
export * from './contract';
export {
  VchaFailoverInputSchema,
  validateFailoverInput,
  type VchaFailoverInput,
  type ValidatedFailoverInput,
} from './input';
