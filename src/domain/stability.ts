/**
 * The stability period: whether a switch the follow activity proved also held. A VCHA cluster can
 * fail back by itself (Broadcom KB 430364), so after the cluster is back the activity reads the
 * roles once per poll interval and asks {@link judgeHold} after each read. Pure (plain data, no
 * I/O, no clock), so every case is unit-tested without a server.
 *
 * The rule: SUCCEEDED needs one unbroken stretch of answered reads, each showing the new active
 * node, as long as the period. A read that shows the old active node ACTIVE again is a flip back,
 * whatever came before. Any other read (unanswered, no node ACTIVE, a third one) proves nothing
 * about the roles in between (a flip back and forth looks exactly like an outage), so the stretch
 * starts again at the next read showing the new roles; if no whole stretch fits before the bound,
 * the roles are unproven.
 */

/** Without `deadlines.stable`, the period is this many poll intervals (1 minute at the default 5 s). */
export const DEFAULT_STABLE_POLLS = 12;

/** The stability period (ms) of a validated input: `deadlines.stable`, or {@link DEFAULT_STABLE_POLLS} poll intervals. */
export function stabilityPeriodOf(input: { pollInterval: number; deadlines: { stable?: number } }): number {
  return input.deadlines.stable ?? DEFAULT_STABLE_POLLS * input.pollInterval;
}

/** One read of the roles during the period, or a read that got no answer worth trusting. */
export type HoldReading = { kind: 'roles'; activeNode: string | undefined } | { kind: 'unreadable'; reason: string };

/** What the period has seen so far, and the rules it is judged by (times are the follow's own ms). */
export interface HoldContext {
  /** The node that was ACTIVE before the failover: ACTIVE again means the cluster failed back. */
  previousActive: string;
  /** The node the failover made ACTIVE. */
  previousPassive: string;
  /** How long the new roles must be seen held, without a break. */
  stableMs: number;
  /** When the current unbroken stretch of reads showing the new roles began; undefined when there is none. */
  heldSinceMs: number | undefined;
  /** After this, a stretch that has not lasted the period can no longer prove anything. */
  holdEndMs: number;
}

/** What a read during the period decides. */
export type HoldJudgement =
  /** The new roles held for the whole period. */
  | { verdict: 'held' }
  /** The old active node is ACTIVE again: the cluster failed back by itself. */
  | { verdict: 'flipped-back' }
  /** The bound passed without a whole period of reads showing the new roles. */
  | { verdict: 'unproven' }
  /** Keep reading; `heldSinceMs` is the stretch to carry on (undefined: broken, starts again). */
  | { verdict: 'holding'; heldSinceMs: number | undefined };

/** Judges one read at the follow's time `nowMs`. */
export function judgeHold(reading: HoldReading, nowMs: number, context: HoldContext): HoldJudgement {
  if (reading.kind === 'roles' && reading.activeNode === context.previousActive) return { verdict: 'flipped-back' };
  const heldSinceMs =
    reading.kind === 'roles' && reading.activeNode === context.previousPassive
      ? (context.heldSinceMs ?? nowMs)
      : undefined;
  if (heldSinceMs !== undefined && nowMs - heldSinceMs >= context.stableMs) return { verdict: 'held' };
  if (nowMs >= context.holdEndMs) return { verdict: 'unproven' };
  return { verdict: 'holding', heldSinceMs };
}

/**
 * When the period may end at the latest (the follow's ms): the healthy window from the switch, but
 * never less than one whole period after the cluster was back, so a switch proven late still gets
 * its period.
 */
export function holdEndOf(switchedAtMs: number, healthyWindowMs: number, backAtMs: number, stableMs: number): number {
  return Math.max(switchedAtMs + healthyWindowMs, backAtMs + stableMs);
}

/** What one poll of the stability stage asks: the roles, or the readiness gate's next request. */
export type HoldPoll = 'roles' | 'readiness';

/** The facts of one follow attempt that choose its next poll in the stability stage. */
export interface HoldPollFacts {
  /** The input asks for the readiness gate. */
  gate: boolean;
  /** The roles held for the whole period (an earlier attempt may have seen it). */
  rolesHeld: boolean;
  /** The gate has a request to make (false while the vAPI gate waits for a role read to answer). */
  readinessRequest: boolean;
  /** The last poll was a role read while the gate waited: this one is the gate's. */
  readinessTurn: boolean;
}

/**
 * The next poll: at most one request per poll interval. The gate's requests take turns with the
 * role reads while the period runs, and go on alone once the roles held; whenever the gate has no
 * request to make (the vAPI gate waits for an answered read, or every gate is done), the poll reads
 * the roles.
 */
export function nextHoldPoll(facts: HoldPollFacts): HoldPoll {
  if (!facts.gate || !facts.readinessRequest) return 'roles';
  return facts.rolesHeld || facts.readinessTurn ? 'readiness' : 'roles';
}

/**
 * How long the stability stage may wait before its next poll (ms): one poll interval, cut short by
 * the nearest bound still ahead (the period's, until the roles held; the readiness gate's). Once
 * both passed, a whole interval: the polls that follow are judged against them, never a busy loop.
 */
export function holdPauseMs(
  nowMs: number,
  pollIntervalMs: number,
  bounds: { holdEndMs: number; rolesHeld: boolean; readyEndMs: number },
): number {
  const ahead = [bounds.rolesHeld ? Infinity : bounds.holdEndMs, bounds.readyEndMs].filter((end) => end > nowMs);
  return Math.min(pollIntervalMs, ...ahead.map((end) => end - nowMs));
}
