/**
 * The four-eyes rule of the approval gate, pure: who may approve a run given what is known of its
 * requester. Verified identities compare by principal and by key (one key listed under two
 * principals is one person); a typed name compares case-insensitively, as it always has.
 */
import type { VerifiedIdentity } from '../../contract/approval-message';

/** What is known of a run's requester and of who wants to approve it. */
export interface FourEyesCase {
  /** The approver's principal (claimed before verification, verified after). */
  approver: string;
  /** The approver's verified identity, once the signature has been checked. */
  approverIdentity?: VerifiedIdentity;
  /** The requester as typed in the input (`requestedBy`). */
  requestedBy?: string;
  /** The requester's verified identity (signed requests only). */
  requesterIdentity?: VerifiedIdentity;
  /** The policy asks for signed approvals. */
  signed: boolean;
}

/** Why the approver may not approve this run, or undefined when four eyes holds. */
export function fourEyesProblem(c: FourEyesCase): string | undefined {
  const someoneElse = 'someone else must (four eyes)';
  const requester = c.requesterIdentity;
  if (requester) {
    if (c.approver === requester.principal) {
      return `${c.approver} requested this failover (signed) and cannot approve it: ${someoneElse}`;
    }
    if (c.approverIdentity && c.approverIdentity.fingerprint === requester.fingerprint) {
      return `key ${requester.fingerprint} signed this run's request as ${requester.principal} and cannot approve it as ${c.approver}: ${someoneElse}`;
    }
    return undefined;
  }
  if (c.requestedBy !== undefined && c.approver.trim().toLowerCase() === c.requestedBy.trim().toLowerCase()) {
    return `${c.approver.trim()} requested this failover and cannot approve it: ${someoneElse}`;
  }
  if (c.signed && c.requestedBy === undefined) {
    return 'this run names no requester, so no signed approval can show it comes from someone else: start it again with a signed request (vcha-failover start --sign-with <key>)';
  }
  return undefined;
}
