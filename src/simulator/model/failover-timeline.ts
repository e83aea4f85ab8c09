/** The record of each failover request, which benchmarks read to subtract the simulator's own time. */

/** What happened during one failover request, with real epoch-millisecond timestamps. */
export interface FailoverTimeline {
  /** Task id returned to the client (absent when the request was refused with a 500). */
  taskId?: string;
  planned: boolean;
  user: string;
  /** Started by VCHA itself (a fail back of `faults.failBack`), not by a request. */
  automatic?: boolean;
  outcome: 'in-progress' | 'succeeded' | 'failed' | 'refused';
  /** Blocker codes when refused. */
  refusalReasons: string[];
  fromActive?: 'node1' | 'node2';
  toActive?: 'node1' | 'node2';
  requestedAt: number;
  runningAt?: number;
  switchStartedAt?: number;
  apiBackAt?: number;
  healthyAt?: number;
  /** When the last AUTOMATIC service of the new active node reached STARTED (absent while one is stuck). */
  servicesStartedAt?: number;
  /** When the new active node made its first appliance health check. */
  healthCheckedAt?: number;
  /**
   * When the new active vCenter served in full, by the simulator's own state: every AUTOMATIC
   * service STARTED and a health check made after the switch (the later of the two). A readiness
   * gate that passes before it would be untrue; the benchmark measures how long after it the run's
   * gate passes.
   */
  readyAt?: number;
  failedAt?: number;
  /** Real milliseconds the API was unreachable. */
  apiOutageMs?: number;
  /** Real milliseconds from the failover POST until the API answered again. */
  toApiBackMs?: number;
  /** Real milliseconds from the failover POST until the cluster was HEALTHY again. */
  durationMs?: number;
}

/** Keeps bounded memory of failover requests when a cluster fails over many times. */
const MAX_HISTORY = 100;

/** The failover requests of one cluster, oldest first. */
export class FailoverHistory {
  private readonly entries: FailoverTimeline[] = [];

  /** Starts recording a request; the returned entry is updated as the failover progresses. */
  add(entry: FailoverTimeline): FailoverTimeline {
    this.entries.push(entry);
    if (this.entries.length > MAX_HISTORY) this.entries.shift();
    return entry;
  }

  /** Copies of every entry, with durations filled in. */
  all(): FailoverTimeline[] {
    return this.entries.map((entry) => withDurations(entry));
  }

  /** A copy of the latest entry, with durations filled in. */
  last(): FailoverTimeline | undefined {
    const entry = this.entries[this.entries.length - 1];
    return entry && withDurations(entry);
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.length = 0;
  }
}

/** A copy of an entry with the derived durations computed from its timestamps. */
function withDurations(entry: FailoverTimeline): FailoverTimeline {
  const copy: FailoverTimeline = { ...entry, refusalReasons: [...entry.refusalReasons] };
  if (entry.switchStartedAt !== undefined && entry.apiBackAt !== undefined) {
    copy.apiOutageMs = entry.apiBackAt - entry.switchStartedAt;
  }
  if (entry.apiBackAt !== undefined) copy.toApiBackMs = entry.apiBackAt - entry.requestedAt;
  if (entry.healthyAt !== undefined) copy.durationMs = entry.healthyAt - entry.requestedAt;
  if (entry.servicesStartedAt !== undefined && entry.healthCheckedAt !== undefined) {
    copy.readyAt = Math.max(entry.servicesStartedAt, entry.healthCheckedAt);
  }
  return copy;
}
