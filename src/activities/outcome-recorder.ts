/**
 * Where finished runs are written: the interface the audit store implements (SQLite or PostgreSQL
 * in the worker, memory in tests).
 */
import type { FailoverRecord } from '../contract';

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
