/**
 * The activity options of a `vchaFailover` run, declared once with their reasons. Plain data
 * (types only from the SDK), so the send protocol's unit tests read the same numbers the run uses.
 */
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';
import type { ValidatedFailoverInput } from '../../contract/input/failover';
import { FAILURE_TYPES } from '../../contract/outcomes';
import { SEND_FAILURE_TYPES } from '../../contract/send';

/** Contract answers are final wherever they come from; so are the send's verdicts. */
const FINAL_FAILURES: string[] = [...FAILURE_TYPES, ...Object.values(SEND_FAILURE_TYPES)];

/** Preflight only reads: transient vCenter trouble is retried for about half a minute. */
export const PREFLIGHT: ActivityOptions = {
  startToCloseTimeout: '2m',
  heartbeatTimeout: '15s',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '20s',
    maximumAttempts: 4,
    nonRetryableErrorTypes: FINAL_FAILURES,
  },
};

/**
 * Preflight of a run that follows an earlier run of its workflow id (a workflow retry, a continued
 * or a reset run): the earlier run may have sent the failover, and the cluster may be in the outage
 * that failover causes. Reading the cluster is the only way to its ledger, and giving up ends the
 * run unknown, so the reads are retried through the outage, up to the failover deadline the
 * earlier run had for the switch, instead of for half a minute.
 */
export function preflightAfterEarlierRun(input: ValidatedFailoverInput): ActivityOptions {
  // No attempt limit: the deadline bounds the retries.
  const { maximumAttempts: _unbounded, ...retry } = PREFLIGHT.retry ?? {};
  return {
    ...PREFLIGHT,
    scheduleToCloseTimeout: input.deadlines.failover,
    retry: { ...retry, maximumInterval: '10s' },
  };
}

/**
 * The check before the request (and after a refusal) only reads, so it is retried; as a local
 * activity it costs the history one marker and no round trip through the server.
 */
export const CHECK: LocalActivityOptions = {
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '90s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '10s',
    nonRetryableErrorTypes: FINAL_FAILURES,
  },
};

/**
 * The request itself: one attempt, never retried, because a failover sent twice fails back. The
 * heartbeat timeout tells a lost worker from a slow answer, so the run goes on to follow the
 * cluster within seconds.
 */
export const SEND = {
  // Not started in time means not sent: the run checks the cluster again before another attempt,
  // instead of sending long after its check (the cluster may have changed meanwhile).
  scheduleToStartTimeout: '1m',
  startToCloseTimeout: '2m',
  heartbeatTimeout: '15s',
  retry: { maximumAttempts: 1 },
} as const satisfies ActivityOptions;

/**
 * The follow activity: its heartbeat timeout is three polls, at least 15 s (the SDK throttles
 * heartbeats) and at most 2 minutes, and it is retried until the deadlines, plus one heartbeat
 * timeout for the last attempt to report: a run always ends in bounded time, with the last
 * heartbeat's observations when a worker could not finish it. `stableMs` is the stability period
 * the run follows with (undefined for runs without it): the period may end up to that long after
 * the healthy window, and the readiness gate (`readyMs`, undefined for runs without it) that long after.
 */
export function followOptions(input: ValidatedFailoverInput, stableMs?: number, readyMs?: number): ActivityOptions {
  const heartbeatTimeout = Math.min(Math.max(3 * input.pollInterval, 15_000), 120_000);
  return {
    // The server's own bound on the windows the activity counts on its clock (its retries only lengthen them).
    scheduleToCloseTimeout:
      input.deadlines.failover + input.deadlines.healthy + (stableMs ?? 0) + (readyMs ?? 0) + heartbeatTimeout,
    heartbeatTimeout,
    retry: {
      initialInterval: '1s',
      maximumInterval: input.pollInterval,
      backoffCoefficient: 2,
      nonRetryableErrorTypes: FINAL_FAILURES,
    },
  };
}

/**
 * Recording is one idempotent upsert: tried first as a local activity inside the final workflow
 * task (no round trip, five events fewer), for at most 10 s so a slow store never holds a slot
 * for long; when that fails, a regular activity retries it where the retries show.
 */
export const RECORD_INLINE: LocalActivityOptions = {
  startToCloseTimeout: '5s',
  scheduleToCloseTimeout: '10s',
  retry: { initialInterval: '1s', maximumAttempts: 2 },
};
export const RECORD_RETRIED: ActivityOptions = {
  startToCloseTimeout: '1m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 },
};

/** The webhook is a courtesy: three tries, and its failure never changes the outcome. */
export const NOTIFY: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3 },
};

/** Runs started before the request had an activity of its own still schedule the combined trigger with these. */
export const LEGACY_TRIGGER: ActivityOptions = {
  startToCloseTimeout: '3m',
  heartbeatTimeout: '15s',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '20s',
    maximumAttempts: 5,
    nonRetryableErrorTypes: FINAL_FAILURES,
  },
};
