/**
 * The approval gate: the Updates that decide a run waiting in AWAITING_APPROVAL, their arguments,
 * and how the decision shows in the record and the `status` query. Defined once here so the
 * workflow, the CLI and `temporal workflow update execute --name approve` agree on the names.
 */
import { defineUpdate } from '@temporalio/workflow';
import type { SignedProof, VerifiedIdentity } from './approval-message';

/** Arguments of the `approve` Update. */
export interface ApproveArgs {
  /** Who approves: must not be empty and must differ from the run's `requestedBy` (four eyes). */
  approver: string;
  comment?: string;
  /**
   * The approver's SSH signature over the canonical message (approval-message.ts), required when
   * the target's policy asks for signed approvals; `approver` is then the principal it is signed as.
   */
  proof?: SignedProof;
}

/** Arguments of the `reject` Update. */
export interface RejectArgs {
  approver: string;
  /** Why not: required, recorded with the outcome. */
  reason: string;
  /** As for {@link ApproveArgs.proof}. */
  proof?: SignedProof;
}

/** Where a run's approval stands. */
export type ApprovalState = 'waiting' | 'approved' | 'rejected' | 'expired';

/** The approval of one run: what was asked, by when, and how it was decided. */
export interface ApprovalRecord {
  state: ApprovalState;
  /** Why approval was needed, e.g. "the policy of lab-a asks for approval of forced failovers". */
  why: string;
  /** The requester, who may not approve their own run (absent: anyone may). */
  requestedBy?: string;
  /** When the run began waiting, and until when it waits (ISO). */
  requestedAt: string;
  until: string;
  /** Who approved or rejected, with their comment or reason, and when. */
  by?: string;
  comment?: string;
  reason?: string;
  at?: string;
  /** The policy asks for signed decisions: `by` is then a principal the worker verified. */
  signed?: boolean;
  /** Who may decide a signed approval (absent: any principal of the allowed-signers file). */
  approvers?: string[];
  /** The verified identity of who decided (signed approvals only): principal and key fingerprint. */
  byIdentity?: VerifiedIdentity;
  /** The verified identity of who signed the run's request (signed requests only). */
  requestedByIdentity?: VerifiedIdentity;
  /** While a signed decision is being verified: the principal it claims (other decisions wait). */
  verifying?: string;
}

/** Approves a run waiting in AWAITING_APPROVAL; answers with the approval as recorded. */
export const approveUpdate = defineUpdate<ApprovalRecord, [ApproveArgs]>('approve');

/** Rejects a run waiting in AWAITING_APPROVAL; the run ends NotApproved with nothing sent. */
export const rejectUpdate = defineUpdate<ApprovalRecord, [RejectArgs]>('reject');

/** Longest approver name, comment and reason accepted. */
export const APPROVER_MAX = 200;
export const APPROVAL_TEXT_MAX = 500;
