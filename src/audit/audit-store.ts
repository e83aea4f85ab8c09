/**
 * The audit store: a durable table of finished failover runs, one row per workflow run, kept for
 * change management long after Temporal's history retention has dropped the runs themselves.
 */
import type { OutcomeRecord, OutcomeRecorder } from '../contract';
import type { FailoverRecord } from '../contract';

/** The table both stores create unless told otherwise. */
export const DEFAULT_AUDIT_TABLE = 'vcha_failover_outcomes';

/** How many rows `list` returns when the query names no limit. */
export const DEFAULT_AUDIT_LIMIT = 50;

/** One stored run, as `list` returns it. Optional record fields come back as `null`. */
export interface AuditRow {
  workflowId: string;
  runId: string;
  target: string;
  planned: boolean;
  dryRun: boolean;
  /** `SUCCEEDED`, `DRY_RUN_PASSED` or a failure type; a string because older or newer writers may differ. */
  outcome: string;
  message: string;
  reason: string | null;
  requestedBy: string | null;
  /** ISO times in UTC (`…Z`) whatever the backend stores. */
  startedAt: string;
  triggeredAt: string | null;
  finishedAt: string;
  durationMs: number;
  taskId: string | null;
  activeBefore: string | null;
  activeAfter: string | null;
  observations: string[];
  /** How the run was started: `cli`, `schedule:<id>`, `parent:<workflow id>` or `other`. */
  startedBy: string;
  triggered: FailoverRecord['triggered'];
  /** When this row was last written (a retried activity rewrites it). */
  recordedAt: string;
  /** The whole record as recorded, for the fields that have no column (snapshots, timeline, checks). */
  record: OutcomeRecord;
  /** When the policy asked for approval: `approved`, `rejected`, `expired` or `waiting` (cancelled meanwhile). */
  approvalState: string | null;
  /** Who approved or rejected, their comment (or rejection reason), and when (ISO UTC). */
  approvedBy: string | null;
  approvalComment: string | null;
  approvalAt: string | null;
  /** When the run was a leg of a vchaMaintenance run: that run's workflow id, and `failover` or `failback`. */
  maintenanceId: string | null;
  maintenanceLeg: string | null;
  /**
   * Signed approvals: the SHA256 fingerprints of the keys the worker verified for the decision
   * (`approvedBy` is then its verified principal) and for the request (`requestedBy` likewise).
   */
  approverFingerprint: string | null;
  requesterFingerprint: string | null;
}

/** What `list` selects. */
export interface AuditQuery {
  /** Only runs against this target. */
  target?: string;
  /** At most this many rows (a positive integer); {@link DEFAULT_AUDIT_LIMIT} when absent. */
  limit?: number;
}

/** An outcome recorder that also keeps and reads back its rows. */
export interface AuditStore extends OutcomeRecorder {
  /** Creates the table or brings it to the newest schema; safe to call again and from two workers at once. */
  migrate(): Promise<void>;
  /** Writes the run's row; a second write for the same workflow id + run id replaces it, never adds one. */
  record(outcome: OutcomeRecord): Promise<void>;
  /** Stored runs, newest `finishedAt` first. */
  list(query?: AuditQuery): Promise<AuditRow[]>;
  /** Releases the database; the store is unusable afterwards. Calling it twice is harmless. */
  close(): Promise<void>;
}

/** The limit a query asks for, checked, so a typo never turns into "every row" or a SQL error. */
export function queryLimit(query: AuditQuery | undefined): number {
  const limit = query?.limit ?? DEFAULT_AUDIT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`audit list limit must be a positive integer, got ${String(limit)}`);
  }
  return limit;
}
