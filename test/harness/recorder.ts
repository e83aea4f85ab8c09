/** The in-memory outcome recorder every test uses, in place of the audit store. */
import type { OutcomeRecord, OutcomeRecorder } from '../../src/contract';

/** Records outcomes in memory so tests can read them. */
export class MemoryRecorder implements OutcomeRecorder {
  readonly records: OutcomeRecord[] = [];
  private failures = 0;
  /** How many record calls were made, failed ones included. */
  calls = 0;

  /** Makes the next `count` record calls fail, like a store that is down. */
  failNext(count: number): void {
    this.failures = count;
  }

  record(outcome: OutcomeRecord): Promise<void> {
    this.calls += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('outcome store unavailable'));
    }
    const index = this.records.findIndex((r) => r.workflowId === outcome.workflowId && r.runId === outcome.runId);
    if (index >= 0) this.records[index] = outcome;
    else this.records.push(outcome);
    return Promise.resolve();
  }
}
