/** The workflows this worker registers, and the types callers use to start them. */
export { vchaFailover } from './failover';
export {
  fleetFailover,
  fleetStatusQuery,
  type FleetFailoverResult,
  type FleetTargetOutcome,
  type FleetTargetState,
} from './fleet';
export { vchaTargetLock, targetLockWorkflowId, type TargetLockInput } from './target-lock';
export * from './contract';
// Types only: the schemas stay out of the workflow bundle (see src/activities/validate-input.ts).
export type { VchaFailoverInput, ValidatedFailoverInput } from '../inputs/failover-input';
export type { FleetFailoverInput } from '../inputs/fleet-input';
