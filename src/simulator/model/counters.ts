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
  /** Connections reset during an outage (shared-port layout). */
  resets: number;
  /** Requests left hanging. */
  hangs: number;
  /** Responses sent with a malformed body. */
  malformed: number;
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
    malformed: 0,
  };
}

/** Counts one logged exchange: every request, and by what its answer was. */
export function countExchange(
  counters: SimCounters,
  record: Pick<SimRequestRecord, 'operation' | 'status' | 'outcome'>,
): void {
  counters.requests += 1;
  if (record.operation === 'cluster.failover') counters.failoverPosts += 1;
  if (record.status === 503) counters.unavailable += 1;
  if (record.status === 401) counters.unauthenticated += 1;
  if (record.outcome === 'reset') counters.resets += 1;
  if (record.outcome === 'hang') counters.hangs += 1;
  if (record.outcome === 'malformed') counters.malformed += 1;
}
