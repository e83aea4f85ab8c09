/**
 * The at-most-once send protocol's decisions, as plain functions over plain data: the check before
 * each attempt, what an attempt's failure proves, whether another attempt may send, and when
 * vCenter's refusal is confirmed. The request is sent at most once by construction: the send
 * activity has one attempt and no retry, and another is scheduled only after an attempt that
 * proves no byte reached vCenter. Every other end means "it may have been accepted": the run
 * follows the cluster and never sends again.
 *
 * No SDK values here: `send.ts` turns the SDK's failures into {@link SendFailureFacts} and runs
 * the steps; unit tests drive these functions directly.
 *
 * Which refusals prove that vCenter refused before starting (so the run may end at once): the
 * failover operation (`POST /api/vcenter/vcha/cluster?action=failover&vmw-task=true`, VMware's
 * swagger) documents two errors only. `403` `Unauthorized`, "Operation execution requires the
 * Global.VCServer privilege", is the privilege check that precedes execution; `401`
 * `UNAUTHENTICATED` is the session check every session-secured call passes before it runs (the
 * client never re-sends the failover after it). Both prove that nothing started. The other one,
 * `500` `Error`, is "If any other error occurs": at any moment, including after the failover task
 * began (a planned failover's flush, which a vCenter may not show until the switch), so it proves
 * nothing; `503 SERVICE_UNAVAILABLE` and `504 TIMED_OUT` say the endpoint could not finish, not
 * that the operation did not start (the classifier files them as gateway answers anyway). 4xx
 * types the operation does not document (`NOT_ALLOWED_IN_CURRENT_STATE`, `INVALID_ARGUMENT`, …)
 * have no documented meaning for it either, and the legacy `/rest` form answers `Error` with 400:
 * the status alone proves nothing, the error type decides.
 */
import type { FailureType } from '../../contract/outcomes';
import { SEND_FAILURE_TYPES } from '../../contract/send';
import { SEND } from './activity-options';
import { cancelledBeforeSending, failed, type Checked, type RunEnd, type Sent } from './shapes';

/** After proof that nothing reached vCenter: how many attempts in all. */
export const SEND_ATTEMPTS = 5;

/** The pause before the attempt after `attempt`: 1 s, 2 s, 4 s, 8 s. */
export const sendBackoffMs = (attempt: number): number => 1_000 * 2 ** (attempt - 1);

/** What is known of an attempt that did not come back accepted, read off its failure. */
export interface SendFailureFacts {
  /** The contract failure type it carried, if any (e.g. `UnknownTarget`). */
  contractType?: FailureType;
  /** The application failure type it carried, if any (`SEND_FAILURE_TYPES`). */
  applicationType?: string;
  /** The activity never started (a schedule-to-start timeout): it did nothing. */
  neverStarted: boolean;
  /** What the failure said. */
  message: string;
}

/** What an attempt's failure proves. */
export type SendFailureClass = 'not-sent' | 'refused' | 'may-have-sent' | 'unknown-target';

/** What an attempt's failure proves: only the send's own verdicts and a never-started attempt prove anything. */
export function classifySendFailure(facts: SendFailureFacts): SendFailureClass {
  if (facts.contractType === 'UnknownTarget') return 'unknown-target';
  if (facts.applicationType === SEND_FAILURE_TYPES.refused) return 'refused';
  if (facts.applicationType === SEND_FAILURE_TYPES.notSent || facts.neverStarted) return 'not-sent';
  // A timeout, a lost worker, a reset, a gateway's answer, an unreadable body: it may have been accepted.
  return 'may-have-sent';
}

/** What the run does after a failed attempt. */
export type SendStep =
  /** Nothing reached vCenter: check again and send again after `backoffMs`. */
  | { step: 'send-again'; notSent: string; backoffMs: number }
  /** Nothing reached vCenter in any attempt: the run ends (PreflightRejected, `reachable`). */
  | { step: 'give-up'; notSent: string; end: RunEnd }
  /** vCenter answered with its own error: read the cluster before believing it. */
  | { step: 'confirm-refusal' }
  /** It may have been accepted: never send again, follow the cluster. */
  | { step: 'follow'; sent: Sent; observation: string }
  /** A contract answer that ends the run. */
  | { step: 'end'; end: RunEnd };

/** The step after attempt `attempt` (from 1) failed as `facts` say; `at` is when it was sent. */
export function nextSendStep(attempt: number, facts: SendFailureFacts, target: string, at: number): SendStep {
  switch (classifySendFailure(facts)) {
    case 'unknown-target':
      return { step: 'end', end: failed('UnknownTarget', facts.message) };
    case 'refused':
      return { step: 'confirm-refusal' };
    case 'may-have-sent':
      return {
        step: 'follow',
        sent: { triggered: 'unknown', at, why: facts.message },
        observation: `the failover request may have reached vCenter (${facts.message}); not re-sending, following the cluster state`,
      };
    case 'not-sent': {
      const notSent =
        facts.applicationType === SEND_FAILURE_TYPES.notSent
          ? facts.message
          : `the send did not start within ${SEND.scheduleToStartTimeout}: nothing was sent`;
      if (attempt < SEND_ATTEMPTS) return { step: 'send-again', notSent, backoffMs: sendBackoffMs(attempt) };
      return {
        step: 'give-up',
        notSent,
        end: failed(
          'PreflightRejected',
          `the failover request never reached ${target} in ${attempt} attempts (${notSent}): nothing was sent`,
          {
            failedChecks: [{ id: 'reachable', ok: false, detail: `vCenter accepts the failover request (${notSent})` }],
          },
        ),
      };
    }
  }
}

/**
 * The check before an attempt: the run's end when the cluster could not be read, has changed since
 * preflight, or a cancel arrived meanwhile (nothing has gone out yet); undefined when it may send.
 */
export function checkBeforeSend(before: Checked, target: string, cancelRequested: boolean): RunEnd | undefined {
  if (!before.read) {
    return failed(
      before.type ?? 'PreflightRejected',
      `could not check ${target} before sending the failover request: ${before.message}; nothing was sent`,
    );
  }
  if (!before.check.unchanged) {
    return failed('PreflightRejected', `${target} changed since preflight (${before.check.detail}): nothing was sent`, {
      after: before.check.snapshot,
    });
  }
  // Nothing has gone out yet: a cancel that arrived meanwhile still stops the run.
  if (cancelRequested) return failed('Cancelled', cancelledBeforeSending(target));
  return undefined;
}

/** vCenter's refusal of the request: its text, HTTP status (500 when the failure carried none) and vAPI error type. */
export interface Refusal {
  message: string;
  status: number;
  /** The vAPI `error_type`; bodies before vCenter 6.7.2 have none. */
  errorType?: string;
}

/** The vAPI error types that prove vCenter refused the failover before starting it, with the status `/api` gives each. */
export const REFUSED_BEFORE_STARTING: Readonly<Record<string, number>> = { UNAUTHENTICATED: 401, UNAUTHORIZED: 403 };

/**
 * Whether the refusal proves vCenter refused before starting: one of {@link REFUSED_BEFORE_STARTING}
 * with its own status, or (a body without `error_type`) that status, which on `/api` only that type has.
 */
export function provesRefusedBeforeStarting(refusal: Pick<Refusal, 'status' | 'errorType'>): boolean {
  if (refusal.errorType === undefined) return Object.values(REFUSED_BEFORE_STARTING).includes(refusal.status);
  return REFUSED_BEFORE_STARTING[refusal.errorType] === refusal.status;
}

/**
 * The history-compatibility switches a refusal's reading depends on. Functions, called only where
 * the workflow always called `patched()`, so a run's history gets its marker at the same point.
 */
export interface RefusalFlags {
  /** `patched('refusal-needs-proof')` (see `patches.ts`). */
  refusalNeedsProof(): boolean;
  /** `patched('refusal-5xx-waits-no-sign')`, asked only by runs without `refusal-needs-proof`. */
  refusal5xxWaitsNoSign(): boolean;
}

/**
 * What a refusal leads to: `end` the run now only when it is confirmed unchanged and its error type
 * proves vCenter refused before starting (see the module comment); `follow-unproven` when it is
 * confirmed but proves nothing (it may come after a failover started that vCenter hides until its
 * switch: a window without a sign ends unknown); `follow` when nothing is confirmed. Runs started
 * before `refusal-needs-proof` keep their rule: any 4xx ends now, a 5xx too unless
 * `refusal-5xx-waits-no-sign`, and a followed refusal ends FailoverFailed after the window (`follow`).
 */
export function refusalVerdict(
  refusal: Refusal,
  confirmedUnchanged: boolean,
  flags: RefusalFlags,
): 'end' | 'follow' | 'follow-unproven' {
  if (!confirmedUnchanged) return 'follow';
  if (flags.refusalNeedsProof()) return provesRefusedBeforeStarting(refusal) ? 'end' : 'follow-unproven';
  return refusal.status < 500 || !flags.refusal5xxWaitsNoSign() ? 'end' : 'follow';
}

/** What a refusal leads to, from the read after it: the run's end, or the cluster to follow with what it proves. */
export function readRefusal(
  refusal: Refusal,
  after: Checked,
  target: string,
  at: number,
  flags: RefusalFlags,
): { step: 'end'; end: RunEnd } | { step: 'follow'; sent: Sent; observation: string } {
  const unchanged = after.read && after.check.unchanged;
  const verdict = after.read ? refusalVerdict(refusal, unchanged, flags) : 'follow';
  if (after.read && verdict === 'end') {
    const notAuthorized = refusal.status === 403;
    const why = notAuthorized ? ': the account configured for this target needs the Global.VCServer privilege' : '';
    return {
      step: 'end',
      end: failed(
        notAuthorized ? 'NotAuthorized' : 'FailoverFailed',
        `${refusal.message}${why}; ${target} is unchanged (${after.check.detail})`,
        { after: after.check.snapshot },
      ),
    };
  }
  const seen = after.read ? after.check.detail : `the cluster could not be read: ${after.message}`;
  return {
    step: 'follow',
    observation: unchanged
      ? `${refusal.message}; ${target} is unchanged (${seen}); watching for a failover before calling it refused` +
        (verdict === 'follow-unproven' ? ' or unknown (this error does not prove vCenter refused before starting)' : '')
      : `${refusal.message}, but the refusal is not confirmed (${seen}); following the cluster state`,
    sent: {
      triggered: 'unknown',
      at,
      why: unchanged ? refusal.message : `${refusal.message}, not confirmed: ${seen}`,
      ...(unchanged ? { refusal: refusal.message } : {}),
      ...(verdict === 'follow-unproven' ? { refusalUnproven: true } : {}),
    },
  };
}
