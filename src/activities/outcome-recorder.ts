/**
 * Where finished runs are written. The interface lets the worker choose the store; the default
 * writes one structured log line per run.
 */
import type { FailoverRecord } from '../workflows/contract';

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

/** Writes each outcome as one JSON log line. */
export class LogOutcomeRecorder implements OutcomeRecorder {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  record(outcome: OutcomeRecord): Promise<void> {
    this.write(JSON.stringify({ msg: 'failover outcome', ...outcome }));
    return Promise.resolve();
  }
}
