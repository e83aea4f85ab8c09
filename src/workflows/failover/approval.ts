/**
 * The approval gate: the `approve` and `reject` validators (four eyes), recording a decision, and
 * AWAITING_APPROVAL itself: nothing is sent while the run waits for someone other than the
 * requester, up to `deadlines.approval`; an approved run reads the cluster again with every rule.
 *
 * When the target's policy asks for signed decisions (docs/approvals.md), the validator checks the
 * proof's shape and that it names this very decision, and the handler has the worker verify the
 * signature (the `verifySignature` local activity) before anything is recorded; a refused proof
 * fails the Update with `ApprovalRefused` and leaves the run waiting, with nothing sent.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  proxyLocalActivities,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import type { FailoverActivities } from '../../activities';
import {
  APPROVAL_TEXT_MAX,
  APPROVER_MAX,
  formatDuration,
  memoFields,
  parseMessage,
  proofShapeProblem,
  statementMismatch,
  type ApprovalRecord,
  type ApproveArgs,
  type ExpectedStatement,
  type FailoverStatus,
  type RejectArgs,
  type SignedProof,
  type VerifiedIdentity,
} from '../../contract';
import type { ValidatedFailoverInput } from '../../contract/input/failover';
import { refuseUpdate } from '../common/run-status';
import { fourEyesProblem } from './four-eyes';
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

/** What a signed decision on this run must name (the run's ids come from the workflow, not the client). */
function expectedDecision(
  status: FailoverStatus,
  args: Partial<ApproveArgs & RejectArgs>,
  kind: 'approve' | 'reject',
): ExpectedStatement {
  const info = workflowInfo();
  return {
    action: kind,
    workflowId: info.workflowId,
    runId: info.runId,
    target: status.target!,
    planned: status.planned!,
    signer: typeof args.approver === 'string' ? args.approver.trim() : '',
    ...(typeof args.comment === 'string' ? { comment: args.comment.trim() } : {}),
    ...(typeof args.reason === 'string' ? { reason: args.reason.trim() } : {}),
  };
}

/**
 * The `approve` and `reject` validators: accepted only while the run waits for approval and
 * nobody has decided yet, from a named approver, and (for approve) not from the requester. Under
 * a signed policy also: a proof of the right shape that names this decision of this run, by an
 * approver the policy lists; the signature itself is checked by the handler.
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
  if (approval.verifying !== undefined) {
    refuseDecision(`a signed decision by ${approval.verifying} is being verified; try again in a moment`);
  }
  if (typeof args !== 'object' || args === null) refuseDecision(`${kind} takes one object { approver, … }`);
  const { approver, comment, reason, proof } = args as Partial<ApproveArgs & RejectArgs>;
  const who = requiredText(approver, 'approver', APPROVER_MAX);
  if (kind === 'approve') {
    if (comment !== undefined) requiredText(comment, 'comment', APPROVAL_TEXT_MAX);
  } else {
    requiredText(reason, 'reason', APPROVAL_TEXT_MAX);
  }
  if (approval.signed) validateProof(status, approval, args, kind);
  else if (proof !== undefined) {
    // A proof the policy does not ask for is not checked, so it must not look as if it were.
    refuseDecision(
      `the policy of ${status.target} takes named approvals: send no proof (approver is recorded as typed)`,
    );
  }
  if (kind === 'approve') {
    const problem = fourEyesProblem({
      approver: who,
      requestedBy: approval.requestedBy,
      requesterIdentity: approval.requestedByIdentity,
      signed: approval.signed === true,
    });
    if (problem) refuseDecision(problem);
  }
}

/** The synchronous half of a signed decision's checks: shape, the run it names, the approvers list. */
function validateProof(
  status: FailoverStatus,
  approval: ApprovalRecord,
  args: Partial<ApproveArgs & RejectArgs>,
  kind: 'approve' | 'reject',
): void {
  if (args.proof === undefined) {
    refuseDecision(
      `the policy of ${status.target} requires a signed ${kind}: run \`vcha-failover ${kind} ${workflowInfo().workflowId} --sign-with <private key>\` (a named ${kind} from the Web UI or temporal workflow update is refused)`,
    );
  }
  const shape = proofShapeProblem(args.proof);
  if (shape) refuseDecision(shape);
  const parsed = parseMessage(args.proof.message);
  if (!parsed.ok) refuseDecision(parsed.problem);
  const mismatch = statementMismatch(parsed.statement, expectedDecision(status, args, kind));
  if (mismatch) refuseDecision(mismatch);
  const signer = parsed.statement.signer;
  if (approval.approvers && !approval.approvers.includes(signer)) {
    refuseDecision(
      `${signer} is not an approver of ${status.target} (policy.approval.approvers: ${approval.approvers.join(', ')})`,
    );
  }
}

/** The worker's verification of a signed statement; its refusal is `ApprovalRefused` naming why. */
async function verified(
  proof: SignedProof,
  expected: ExpectedStatement,
  what: string,
  runStartedAt?: string,
): Promise<VerifiedIdentity> {
  try {
    return await proxyLocalActivities<FailoverActivities>({
      startToCloseTimeout: '30s',
      retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['ApprovalRefused'] },
      summary: `verify the signature of ${what}`,
    }).verifySignature({ proof, expected, ...(runStartedAt !== undefined ? { runStartedAt } : {}) });
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : error;
    if (cause instanceof ApplicationFailure && cause.type === 'ApprovalRefused') refuseDecision(cause.message);
    refuseDecision(
      `the worker could not verify the signature: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

/**
 * Records an approve or reject the validator let through; the waiting run goes on from there. A
 * signed decision is verified first, and the run's state checked again after (another decision or
 * the deadline may have come meanwhile); four eyes then compares the verified keys too.
 */
export async function decide(
  status: FailoverStatus,
  args: ApproveArgs | RejectArgs,
  kind: 'approve' | 'reject',
): Promise<ApprovalRecord> {
  const approval = status.approval!;
  let identity: VerifiedIdentity | undefined;
  if (approval.signed) {
    const expected = expectedDecision(status, args, kind);
    approval.verifying = expected.signer;
    try {
      identity = await verified(args.proof!, expected, `the ${kind} by ${expected.signer}`);
    } finally {
      delete approval.verifying;
    }
    if (approval.state !== 'waiting') {
      refuseDecision(
        approval.state === 'expired'
          ? `too late: the approval deadline passed at ${approval.until} while the signature was verified`
          : `already ${approval.state} by ${approval.by} at ${approval.at}`,
      );
    }
    if (kind === 'approve') {
      const problem = fourEyesProblem({
        approver: identity.principal,
        approverIdentity: identity,
        requestedBy: approval.requestedBy,
        requesterIdentity: approval.requestedByIdentity,
        signed: true,
      });
      if (problem) refuseDecision(problem);
    }
    approval.byIdentity = identity;
  }
  approval.state = kind === 'approve' ? 'approved' : 'rejected';
  approval.by = identity?.principal ?? args.approver.trim();
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
 * A signed policy's requirements on the request, before the run waits: a verified requester when
 * requests must be signed, else at least a named one. Its end when they are not met.
 */
async function requester(
  input: ValidatedFailoverInput,
  requestsSigned: boolean,
  kind: string,
): Promise<VerifiedIdentity | undefined | RunEnd> {
  const { target } = input;
  const refusedRequest = (why: string) =>
    failed('NotApproved', `the ${kind} failover of ${target} cannot be approved: ${why}; nothing was sent`);
  if (!requestsSigned) {
    if (input.requestedBy !== undefined) return undefined;
    return refusedRequest(
      'its policy asks for signed approvals and the run names no requester (start it with --requested-by, or a signed request)',
    );
  }
  if (input.requestProof === undefined || input.requestedBy === undefined) {
    return refusedRequest(
      'its policy asks for a signed request: start it with `vcha-failover start … --sign-with <private key>`',
    );
  }
  const expected: ExpectedStatement = {
    action: 'request',
    workflowId: workflowInfo().workflowId,
    target,
    planned: input.planned,
    signer: input.requestedBy,
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
  };
  try {
    const runStartedAt = workflowInfo().runStartTime.toISOString();
    return await verified(input.requestProof, expected, `the request by ${input.requestedBy}`, runStartedAt);
  } catch (error) {
    if (error instanceof ApplicationFailure && error.type === 'ApprovalRefused') {
      return refusedRequest(`the signed request was refused: ${error.message}`);
    }
    throw error;
  }
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
  const rule = passed.signedApproval?.signed ? passed.signedApproval : undefined;
  let requestedByIdentity: VerifiedIdentity | undefined;
  if (rule) {
    const checked = await requester(input, rule.signedRequests, kind);
    if (checked && 'ok' in checked) return checked;
    requestedByIdentity = checked;
  }
  const now = Date.now();
  const approval: ApprovalRecord = {
    state: 'waiting',
    why: `the policy of ${input.target} asks for ${rule ? 'signed ' : ''}approval of ${kind} failovers`,
    ...(input.requestedBy !== undefined ? { requestedBy: input.requestedBy } : {}),
    requestedAt: new Date(now).toISOString(),
    until: new Date(now + input.deadlines.approval).toISOString(),
    ...(rule ? { signed: true } : {}),
    ...(rule?.approvers ? { approvers: [...rule.approvers] } : {}),
    ...(requestedByIdentity ? { requestedByIdentity } : {}),
  };
  run.status.approval = approval;
  const who = [
    rule ? 'a signed decision' : undefined,
    rule?.approvers ? `by ${rule.approvers.join(' or ')}` : undefined,
    input.requestedBy !== undefined ? `from anyone but ${input.requestedBy}` : 'from anyone',
  ]
    .filter(Boolean)
    .join(' ');
  run.enter(
    'AWAITING_APPROVAL',
    `waiting until ${approval.until} for ${rule ? who : who.replace(/^from /, '')} to approve or reject the ${kind} failover; nothing has been sent`,
  );
  const decided = await condition(() => approval.state !== 'waiting', input.deadlines.approval);
  if (!decided) {
    approval.state = 'expired';
    return failed(
      'NotApproved',
      `nobody approved the ${kind} failover of ${input.target} within ${formatDuration(input.deadlines.approval)}: nothing was sent`,
    );
  }
  const fingerprint = approval.byIdentity?.fingerprint;
  upsertMemo(
    memoFields({
      approval: { state: approval.state, by: approval.by, at: approval.at, ...(fingerprint ? { fingerprint } : {}) },
    }),
  );
  const by = fingerprint ? `${approval.by} (key ${fingerprint})` : approval.by;
  if (approval.state === 'rejected') {
    return failed(
      'NotApproved',
      `${by} rejected the ${kind} failover of ${input.target} (${approval.reason ?? 'no reason'}): nothing was sent`,
    );
  }
  run.note(`approved by ${by} at ${approval.at}${approval.comment ? `: ${approval.comment}` : ''}`);
  run.enter('PREFLIGHT', `approved by ${by}: reading the cluster state of ${input.target} again`);
  return readAfterApproval(passed, await run.preflight(), input.target);
}
