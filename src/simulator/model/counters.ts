/** Per-cluster counters a benchmark or test reads to see what a client actually did. */
import type { SimRequestRecord } from './request-log';

/** Counts of what one cluster's API received and did. */
export interface SimCounters {
  /** API requests received (including the ones answered by faults or the outage). */
  requests: number;
  /** Successful logins. */
  logins: number;
  /** Logins refused for bad or missing credentials. */
  loginFailures: number;
  /** Failover POSTs that reached the cluster's API, whatever the answer (refused, faulted and unanswered ones too). */
  failoverPosts: number;
  /** Failovers that started. */
  failoversStarted: number;
  /** Failovers that completed the switch. */
  failoversSucceeded: number;
  /** Failovers refused because the cluster did not allow them. */
  failoversRefused: number;
  /** Allowed failovers whose task ended FAILED (injected fault). */
  failoversFailed: number;
  /** Requests answered 401. */
  unauthenticated: number;
  /** Requests answered 503 because of an outage or a 503 burst. */
  unavailable: number;
  /** Requests whose connection was reset instead of answered (an outage, or a fault rule). */
  resets: number;
  /** Requests left hanging. */
  hangs: number;
  /** Answers replaced by a fault rule (a malformed body, an injected error). */
  replaced: number;
}

/** All counters at zero. */
export function zeroCounters(): SimCounters {
  return {
    requests: 0,
    logins: 0,
    loginFailures: 0,
    failoverPosts: 0,
    failoversStarted: 0,
    failoversSucceeded: 0,
    failoversRefused: 0,
    failoversFailed: 0,
    unauthenticated: 0,
    unavailable: 0,
    resets: 0,
    hangs: 0,
    replaced: 0,
  };
}

/** Counts one logged exchange by what its answer was (its arrival was counted in `requests` already). */
export function countExchange(
  counters: SimCounters,
  record: Pick<SimRequestRecord, 'operation' | 'status' | 'outcome'>,
): void {
  if (record.operation === 'cluster.failover') counters.failoverPosts += 1;
  if (record.status === 503) counters.unavailable += 1;
  if (record.status === 401) counters.unauthenticated += 1;
  if (record.outcome === 'reset') counters.resets += 1;
  if (record.outcome === 'hang') counters.hangs += 1;
  if (record.outcome === 'replaced') counters.replaced += 1;
}
