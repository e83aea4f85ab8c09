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
