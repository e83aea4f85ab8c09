/**
 * The per-target failover policy from the worker's targets file: whether a forced or a planned
 * failover of that target may run at once, needs a second person's approval, or is refused. Pure,
 * so the preflight activity, the CLI and the docs share one reading of it.
 */

/** What a target's policy allows for forced failovers. */
export type ForcedPolicy = 'deny' | 'approval' | 'allow';

/** What a target's policy allows for planned failovers. */
export type PlannedPolicy = 'allow' | 'approval';

/** A target's policy with every field set. */
export interface TargetPolicy {
  forced: ForcedPolicy;
  planned: PlannedPolicy;
}

/**
 * The defaults: a forced failover (which can lose data) needs someone other than the requester to
 * approve it; a planned one runs at once.
 */
export const DEFAULT_TARGET_POLICY: TargetPolicy = { forced: 'approval', planned: 'allow' };

/** What the policy says about one run. */
export type PolicyDecision = 'allow' | 'approval' | 'deny';

/** The decision for a planned or a forced run. */
export function policyDecision(policy: TargetPolicy, planned: boolean): PolicyDecision {
  return planned ? policy.planned : policy.forced;
}
