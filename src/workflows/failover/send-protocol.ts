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

/** vCenter's refusal of the request: its text and HTTP status (500 when the failure carried none). */
export interface Refusal {
  message: string;
  status: number;
}

/**
 * The history-compatibility switches a refusal's reading depends on. Functions, called only where
 * the workflow always called `patched()`, so a run's history gets its marker at the same point.
 */
export interface RefusalFlags {
  /** `patched('refusal-5xx-waits-no-sign')` (see `patches.ts`). */
  refusal5xxWaitsNoSign(): boolean;
}

/**
 * Whether a refusal confirmed unchanged ends the run now: a 4xx (the request's arguments or state
 * refused before anything ran) does. A 5xx could come from an error after the failover started,
 * which a vCenter that hides a running failover would not show yet: it ends now only for runs
 * without the no-sign switch.
 */
export function refusalVerdict(status: number, confirmedUnchanged: boolean, flags: RefusalFlags): 'end' | 'follow' {
  return confirmedUnchanged && (status < 500 || !flags.refusal5xxWaitsNoSign()) ? 'end' : 'follow';
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
  if (after.read && refusalVerdict(refusal.status, unchanged, flags) === 'end') {
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
      ? `${refusal.message}; ${target} is unchanged (${seen}); watching for a failover before calling it refused`
      : `${refusal.message}, but the refusal is not confirmed (${seen}); following the cluster state`,
    sent: {
      triggered: 'unknown',
      at,
      why: unchanged ? refusal.message : `${refusal.message}, not confirmed: ${seen}`,
      ...(unchanged ? { refusal: refusal.message } : {}),
    },
  };
}
