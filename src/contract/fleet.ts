/** The shapes `fleetFailover` hands out: its result and its `status` query's answer. */
import type { LastFailover } from './cluster';
import type { FailureType, SuccessOutcome } from './outcomes';

/** Where one target of the fleet is. */
export type FleetTargetState = 'PENDING' | 'RUNNING' | 'NOT_STARTED' | SuccessOutcome | FailureType;

/** One target's end. */
export interface FleetTargetOutcome {
  target: string;
  workflowId: string;
  outcome: FleetTargetState;
  message: string;
  /** The cluster as the target's preflight saw it (absent when it could not be read). */
  cluster?: {
    activeNode?: string;
    passiveNode?: string;
    mode?: string;
    healthState?: string;
    /** A dry run's look at vCenter's task list: the last failover (see `ClusterSnapshot.lastFailover`). */
    lastFailover?: LastFailover;
  };
  /** The ids of the preflight checks that failed, e.g. `witness-up`. */
  failedChecks?: string[];
  /** For `TargetBusy`: the run that holds the target. */
  heldBy?: { workflowId: string; runId?: string };
}

/** The fleet's result: one outcome per target, in input order. */
export interface FleetFailoverResult {
  outcomes: FleetTargetOutcome[];
  succeeded: number;
  failed: number;
  notStarted: number;
}
