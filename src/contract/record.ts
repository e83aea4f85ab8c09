/**
 * The shapes a run hands out: the record every end carries (result, failure details, outcome
 * store, webhook), the audit store's row and interface (SQLite or PostgreSQL in the worker,
 * memory in tests), and the `status` query's answer.
 */
import type { ApprovalRecord } from './approval';
import type { MaintenanceLink } from './memo';
import type { ClusterSnapshot, PreflightCheck } from './cluster';
import type { FailureType, SuccessOutcome } from './outcomes';
import type { FailoverPhase, PhaseMark } from './phases';
import type { ReadinessRecord } from './readiness';

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
  /**
   * Where vCenter answered the run's last read after the request (its base URL, e.g.
   * `https://10.0.0.12:443`): the target's URL, or where the failover moved the cluster (the new
   * active node's failover IP, or its URL in the targets file). Later runs of the target read it there.
   */
  servedAt?: string;
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
  /** When the target's policy asked for approval: who decided what, and when. */
  approval?: ApprovalRecord;
  /** When the run is a leg of a `vchaMaintenance` run: that run and which leg. */
  maintenance?: MaintenanceLink;
  /** After the switch (runs with the readiness gate): whether vCenter serves, gate by gate. */
  readiness?: ReadinessRecord;
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
  /** When the target's policy asks for approval: who may approve, until when, and the decision. */
  approval?: ApprovalRecord;
  /** The readiness gate once the follow ended (runs with the readiness gate); live gates are in the follow's heartbeat. */
  readiness?: ReadinessRecord;
}

/** A run's record plus the identity of the run and how it was started. */
export interface OutcomeRecord extends FailoverRecord {
  workflowId: string;
  runId: string;
  /** How the run was started: `cli`, `schedule:<id>`, `parent:<workflow id>` or `other`. */
  startedBy: string;
}

/** Stores outcome records; `record` must be idempotent by workflow id + run id. */
export interface OutcomeRecorder {
  record(outcome: OutcomeRecord): Promise<void>;
  close?(): Promise<void>;
}
