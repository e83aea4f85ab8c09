/** The shapes `fleetFailover` hands out: its result and its `status` query's answer. */
import type { FailureType, SuccessOutcome } from './outcomes';

/** Where one target of the fleet is. */
export type FleetTargetState = 'PENDING' | 'RUNNING' | 'NOT_STARTED' | SuccessOutcome | FailureType;

/** One target's end. */
export interface FleetTargetOutcome {
  target: string;
  workflowId: string;
  outcome: FleetTargetState;
  message: string;
}

/** The fleet's result: one outcome per target, in input order. */
export interface FleetFailoverResult {
  outcomes: FleetTargetOutcome[];
  succeeded: number;
  failed: number;
  notStarted: number;
}
