/** The log of API requests a cluster received (never credentials or session tokens). */
import type { VcenterOperation } from '../../vcenter/operations';

/** One logged API request. */
export interface SimRequestRecord {
  /** Order across the whole simulator. */
  seq: number;
  /** When the request arrived (ISO 8601). */
  time: string;
  cluster: string;
  method: string;
  /** Path after the cluster's base URL, with the query string. */
  path: string;
  /** The operation, when the path matched one. */
  operation?: VcenterOperation;
  /** HTTP status sent, or null when no answer was sent (hang, reset). */
  status: number | null;
  /** The k-th API request this cluster received (what indexed fault rules count). */
  index: number;
  /** `response`, `hang` (never answered), `reset` (connection dropped) or `replaced` (by a fault rule's answer). */
  outcome: 'response' | 'hang' | 'reset' | 'replaced';
  /** Whether vCenter processed the request (false when a fault stopped it before, or the outage). */
  processed: boolean;
  /** Real time from arrival to answer (for a hang: to when it was left hanging). */
  durationMs: number;
}

/** A ring buffer of the most recent requests, so memory stays bounded for busy clusters. */
export class RequestLog {
  private readonly records: SimRequestRecord[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  /** Appends a record, overwriting the oldest when full. */
  add(record: SimRequestRecord): void {
    if (this.capacity <= 0) return;
    if (this.records.length < this.capacity) {
      this.records.push(record);
    } else {
      this.records[this.next] = record;
      this.next = (this.next + 1) % this.capacity;
    }
  }

  /** Records oldest first. */
  entries(): SimRequestRecord[] {
    return [...this.records.slice(this.next), ...this.records.slice(0, this.next)];
  }

  /** Empties the log. */
  clear(): void {
    this.records.length = 0;
    this.next = 0;
  }
}

/** Hands out the simulator-wide order of log records. */
export class SequenceCounter {
  private last = 0;

  /** The next number. */
  next(): number {
    this.last += 1;
    return this.last;
  }
}
