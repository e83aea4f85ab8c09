/**
 * The approval gate: the Updates that decide a run waiting in AWAITING_APPROVAL, their arguments,
 * and how the decision shows in the record and the `status` query. Defined once here so the
 * workflow, the CLI and `temporal workflow update execute --name approve` agree on the names.
 */
import { defineUpdate } from '@temporalio/workflow';

/** Arguments of the `approve` Update. */
export interface ApproveArgs {
  /** Who approves: must not be empty and must differ from the run's `requestedBy` (four eyes). */
  approver: string;
  comment?: string;
}

/** Arguments of the `reject` Update. */
export interface RejectArgs {
  approver: string;
  /** Why not: required, recorded with the outcome. */
  reason: string;
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
}

/** Approves a run waiting in AWAITING_APPROVAL; answers with the approval as recorded. */
export const approveUpdate = defineUpdate<ApprovalRecord, [ApproveArgs]>('approve');

/** Rejects a run waiting in AWAITING_APPROVAL; the run ends NotApproved with nothing sent. */
export const rejectUpdate = defineUpdate<ApprovalRecord, [RejectArgs]>('reject');

/** Longest approver name, comment and reason accepted. */
export const APPROVER_MAX = 200;
export const APPROVAL_TEXT_MAX = 500;
