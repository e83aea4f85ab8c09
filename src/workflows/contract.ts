/**
 * The public contract of `vchaFailover`: result and status shapes, phases, failure type names and
 * the query. Other teams' workflows, the CLI and the UI depend on these names: change with care.
 */
import { defineQuery } from '@temporalio/workflow';
import type { ClusterSnapshot } from '../domain/cluster-snapshot';
import type { PreflightCheck } from '../domain/preflight-rules';

/** Default task queue of the worker (`VCHA_TASK_QUEUE` overrides it). */
export const DEFAULT_TASK_QUEUE = 'vcha-failover';

/** Where a run is, in order. */
export const PHASES = [
  'VALIDATING',
  'PREFLIGHT',
  'TRIGGERING',
  'FAILING_OVER',
  'VERIFYING',
  'RECORDING',
  'COMPLETED',
] as const;
export type FailoverPhase = (typeof PHASES)[number];

/** Stable `ApplicationFailure.type` values of every unsuccessful end. */
export const FAILURE_TYPES = [
  'InvalidInput',
  'UnknownTarget',
  'TargetBusy',
  'PreflightRejected',
  'NotAuthorized',
  'FailoverFailed',
  'FailoverOutcomeUnknown',
  'FailoverNotHealthy',
  'Cancelled',
] as const;
export type FailureType = (typeof FAILURE_TYPES)[number];

/** Successful outcomes. */
export type SuccessOutcome = 'SUCCEEDED' | 'DRY_RUN_PASSED';

/** When a phase began (ISO time). */
export interface PhaseMark {
  phase: FailoverPhase;
  at: string;
}

/** The record every end carries: the result on success, the failure's details otherwise. */
export interface FailoverRecord {
  target: string;
  planned: boolean;
  dryRun: boolean;
  reason?: string;
  requestedBy?: string;
  outcome: SuccessOutcome | FailureType;
  /** One sentence a human can act on. */
  message: string;
  taskId?: string;
  /** Whether the failover POST was sent: yes, no, or unknown (the request may have reached vCenter). */
  triggered: 'yes' | 'no' | 'unknown';
  triggeredAt?: string;
  before?: ClusterSnapshot;
  after?: ClusterSnapshot;
  activeBefore?: string;
  activeAfter?: string;
  failedChecks?: PreflightCheck[];
  /** Observations collected while following the failover, oldest first (bounded). */
  observations: string[];
  timeline: PhaseMark[];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** True when a cancel arrived after the trigger: the failover could not be stopped. */
  cancelRequestedAfterTrigger?: boolean;
  /** The run that holds the target, for `TargetBusy`. */
  heldBy?: { workflowId: string; runId?: string };
}

/** What `vchaFailover` returns on success. */
export type FailoverResult = FailoverRecord & { outcome: SuccessOutcome };

/** What the `status` query returns. */
export interface FailoverStatus {
  target?: string;
  planned?: boolean;
  dryRun?: boolean;
  phase: FailoverPhase;
  startedAt: string;
  timeline: PhaseMark[];
  preflight?: ClusterSnapshot;
  taskId?: string;
  /** The latest observation in words, e.g. "vCenter unreachable for 42 s". */
  observation: string;
  cancelRequested: boolean;
  outcome?: SuccessOutcome | FailureType;
}

/** Query: the run's current phase and latest observation. */
export const statusQuery = defineQuery<FailoverStatus>('status');
