/**
 * The per-target failover policy from the worker's targets file: whether a forced or a planned
 * failover of that target may run at once, needs a second person's approval, or is refused, and
 * what an approver (and a requester) must prove. Pure, so the preflight activity, the
 * verification activity, the CLI and the docs share one reading of it.
 */

/** What a target's policy allows for forced failovers. */
export type ForcedPolicy = 'deny' | 'approval' | 'allow';

/** What a target's policy allows for planned failovers. */
export type PlannedPolicy = 'allow' | 'approval';

/**
 * What a decision on a run that needs approval must prove. Without it (or with `signed: false`)
 * approvals are named: the approver is the name typed, which nothing checks.
 */
export interface ApprovalPolicy {
  /** `approve` and `reject` must carry an SSH signature the worker verifies (docs/approvals.md). */
  signed: boolean;
  /**
   * The run's request must be signed too, so four eyes compares two verified identities. Without
   * it a signed approval is compared with the typed `requestedBy`, which the run must then have.
   */
  signedRequests: boolean;
  /** Principals of the allowed-signers file who may approve or reject; absent: any of them. */
  approvers?: readonly string[];
}

/** A target's policy with every field set (`approval` absent: named approvals). */
export interface TargetPolicy {
  forced: ForcedPolicy;
  planned: PlannedPolicy;
  approval?: ApprovalPolicy;
}

/**
 * The defaults: a forced failover (which can lose data) needs someone other than the requester to
 * approve it; a planned one runs at once. Whether the approval is signed is the targets file's
 * choice: signed by default once the file names an `allowedSignersFile` (see parse-targets.ts).
 */
export const DEFAULT_TARGET_POLICY: TargetPolicy = { forced: 'approval', planned: 'allow' };

/** What the policy says about one run. */
export type PolicyDecision = 'allow' | 'approval' | 'deny';

/** The decision for a planned or a forced run. */
export function policyDecision(policy: TargetPolicy, planned: boolean): PolicyDecision {
  return planned ? policy.planned : policy.forced;
}

/** Whether a decision under `policy` must carry a verified signature. */
export function requiresSignedDecision(policy: TargetPolicy): boolean {
  return policy.approval?.signed === true;
}

/**
 * Whether `principal` may approve or reject under `policy`: anyone the allowed-signers file vouches
 * for, unless the policy lists its approvers. Principals compare exactly, as ssh-keygen does.
 */
export function mayDecide(approval: ApprovalPolicy, principal: string): boolean {
  return approval.approvers === undefined || approval.approvers.includes(principal);
}
