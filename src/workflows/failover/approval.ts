/**
 * The approval gate: the `approve` and `reject` validators (four eyes), recording a decision, and
 * AWAITING_APPROVAL itself: nothing is sent while the run waits for someone other than the
 * requester, up to `deadlines.approval`; an approved run reads the cluster again with every rule.
 */
import { condition, upsertMemo } from '@temporalio/workflow';
import {
  APPROVAL_TEXT_MAX,
  APPROVER_MAX,
  formatDuration,
  memoFields,
  type ApprovalRecord,
  type ApproveArgs,
  type FailoverStatus,
  type RejectArgs,
} from '../../contract';
import type { ValidatedFailoverInput } from '../../contract/input/failover';
import { refuseUpdate } from '../common/run-status';
import { readAfterApproval } from './preflight-reading';
import { failed, type PassedPreflight, type RunEnd } from './shapes';

/** Refuses an approve or reject Update: the validator's answer, which leaves no trace in history. */
function refuseDecision(message: string): never {
  refuseUpdate('ApprovalRefused', message);
}

/** A required text argument of an Update, trimmed; refused when missing, empty or too long. */
function requiredText(value: unknown, name: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') refuseDecision(`${name} is required and must not be empty`);
  if (value.length > max) refuseDecision(`${name} is longer than ${max} characters`);
  return value.trim();
}

/**
 * The `approve` and `reject` validators: accepted only while the run waits for approval and
 * nobody has decided yet, from a named approver, and (for approve) not from the requester.
 */
export function validateDecision(status: FailoverStatus, args: unknown, kind: 'approve' | 'reject'): void {
  const approval = status.approval;
  if (approval && approval.state !== 'waiting') {
    refuseDecision(
      approval.state === 'expired'
        ? `too late: the approval deadline passed at ${approval.until}; the run ends NotApproved`
        : `already ${approval.state} by ${approval.by} at ${approval.at}`,
    );
  }
  if (status.phase !== 'AWAITING_APPROVAL' || !approval) {
    refuseDecision(`the run is not awaiting approval (phase ${status.phase})`);
  }
  if (typeof args !== 'object' || args === null) refuseDecision(`${kind} takes one object { approver, … }`);
  const { approver, comment, reason } = args as Partial<ApproveArgs & RejectArgs>;
  const who = requiredText(approver, 'approver', APPROVER_MAX);
  if (kind === 'approve') {
    if (approval.requestedBy !== undefined && who.toLowerCase() === approval.requestedBy.trim().toLowerCase()) {
      refuseDecision(`${who} requested this failover and cannot approve it: someone else must (four eyes)`);
    }
    if (comment !== undefined) requiredText(comment, 'comment', APPROVAL_TEXT_MAX);
  } else {
    requiredText(reason, 'reason', APPROVAL_TEXT_MAX);
  }
}

/** Records an approve or reject the validator let through; the waiting run goes on from there. */
export function decide(
  status: FailoverStatus,
  args: ApproveArgs | RejectArgs,
  kind: 'approve' | 'reject',
): ApprovalRecord {
  const approval = status.approval!;
  approval.state = kind === 'approve' ? 'approved' : 'rejected';
  approval.by = args.approver.trim();
  approval.at = new Date().toISOString();
  if ('comment' in args && args.comment !== undefined) approval.comment = args.comment.trim();
  if ('reason' in args && args.reason !== undefined) approval.reason = args.reason.trim();
  return { ...approval };
}

/** What the gate needs of its run: its status, its phases and observations, and preflight again. */
export interface GatedRun {
  readonly status: FailoverStatus;
  enter(phase: 'AWAITING_APPROVAL' | 'PREFLIGHT', observation: string): void;
  note(observation: string): void;
  preflight(): Promise<PassedPreflight | RunEnd>;
}

/**
 * AWAITING_APPROVAL: waits for a decision; an approved run reads the cluster again with every
 * rule, since it may have changed meanwhile, and goes on only with the same active node.
 */
export async function awaitApproval(
  run: GatedRun,
  input: ValidatedFailoverInput,
  passed: PassedPreflight,
): Promise<PassedPreflight | RunEnd> {
  const kind = input.planned ? 'planned' : 'forced';
  const now = Date.now();
  const approval: ApprovalRecord = {
    state: 'waiting',
    why: `the policy of ${input.target} asks for approval of ${kind} failovers`,
    ...(input.requestedBy !== undefined ? { requestedBy: input.requestedBy } : {}),
    requestedAt: new Date(now).toISOString(),
    until: new Date(now + input.deadlines.approval).toISOString(),
  };
  run.status.approval = approval;
  const who = input.requestedBy !== undefined ? `anyone but ${input.requestedBy}` : 'anyone';
  run.enter(
    'AWAITING_APPROVAL',
    `waiting until ${approval.until} for ${who} to approve or reject the ${kind} failover; nothing has been sent`,
  );
  const decided = await condition(() => approval.state !== 'waiting', input.deadlines.approval);
  if (!decided) {
    approval.state = 'expired';
    return failed(
      'NotApproved',
      `nobody approved the ${kind} failover of ${input.target} within ${formatDuration(input.deadlines.approval)}: nothing was sent`,
    );
  }
  upsertMemo(memoFields({ approval: { state: approval.state, by: approval.by, at: approval.at } }));
  if (approval.state === 'rejected') {
    return failed(
      'NotApproved',
      `${approval.by} rejected the ${kind} failover of ${input.target} (${approval.reason ?? 'no reason'}): nothing was sent`,
    );
  }
  run.note(`approved by ${approval.by} at ${approval.at}${approval.comment ? `: ${approval.comment}` : ''}`);
  run.enter('PREFLIGHT', `approved by ${approval.by}: reading the cluster state of ${input.target} again`);
  return readAfterApproval(passed, await run.preflight(), input.target);
}
