/**
 * TRIGGERING's steps: the check before each attempt, the one-attempt send, the read that confirms
 * a refusal. The glue between the SDK and `send-protocol.ts`, which makes every decision: this
 * module schedules the activities and turns their failures into plain facts.
 */
import { patched, proxyActivities, proxyLocalActivities, sleep } from '@temporalio/workflow';
import type { FailoverActivities } from '../../activities';
import type { LedgerEvidence, SendFailureDetails } from '../../contract';
import { ledgerEvidence } from '../../domain/cluster-snapshot';
import type { ValidatedFailoverInput } from '../../contract/input/failover';
import { applicationCause, causeMessage, contractTypeOf, neverStarted } from '../common/activity-errors';
import { CHECK, SEND } from './activity-options';
import { PATCHES } from './patches';
import { checkBeforeSend, nextSendStep, readRefusal, type SendFailureFacts } from './send-protocol';
import { isEnd, type Checked, type PassedPreflight, type RunEnd, type Sent } from './shapes';

/** Reads the roles and running operations (a local activity); what it says, or why it could not. */
async function checkCluster(input: ValidatedFailoverInput, passed: PassedPreflight): Promise<Checked> {
  try {
    const check = await proxyLocalActivities<FailoverActivities>({
      ...CHECK,
      summary: `check that ${input.target} is unchanged`,
    }).checkCluster({
      target: input.target,
      expectedActive: passed.active,
      expectedPassive: passed.passive,
    });
    return { read: true, check };
  } catch (error) {
    return { read: false, type: contractTypeOf(error), message: causeMessage(error) };
  }
}

/** An attempt's failure as the facts the protocol decides on. */
function sendFailureFacts(error: unknown): SendFailureFacts {
  const cause = applicationCause(error);
  return {
    contractType: contractTypeOf(error),
    applicationType: cause?.type ?? undefined,
    neverStarted: neverStarted(error),
    message: causeMessage(error),
  };
}

/**
 * Checks the cluster, then sends; another attempt only after proof that nothing reached vCenter.
 * `note` keeps each observation for the record; `cancelRequested` is read before every attempt.
 */
export async function sendOnce(
  input: ValidatedFailoverInput,
  passed: PassedPreflight,
  run: {
    note(observation: string): void;
    cancelRequested(): boolean;
    reachedVcenter?(): void;
    /**
     * The cluster ledger's claim, after the check and before the attempt: undefined to send, else
     * the run's next value. With `onlyEarlier`, asked before a check's "nothing was sent" end: an
     * earlier run of this workflow id may have sent it (a Reset), which that end must not deny.
     */
    claim?(evidence: LedgerEvidence | undefined, onlyEarlier?: boolean): Promise<RunEnd | Sent | undefined>;
  },
): Promise<Sent | RunEnd> {
  const { sendFailover } = proxyActivities<FailoverActivities>({
    ...SEND,
    summary: `send the ${input.planned ? 'planned' : 'forced'} failover request to ${input.target} (one attempt)`,
  });
  for (let attempt = 1; ; attempt++) {
    const checked = await checkCluster(input, passed);
    const stop = checkBeforeSend(checked, input.target, run.cancelRequested());
    if (stop) {
      const evidence = checked.read ? ledgerEvidence(checked.check.snapshot) : undefined;
      const earlier = run.claim ? await run.claim(evidence, true) : undefined;
      return earlier ?? stop;
    }
    if (run.claim && checked.read) {
      const instead = await run.claim(ledgerEvidence(checked.check.snapshot));
      if (instead) return instead;
    }
    // vCenter's own time just before the request: the follow adopts only a task started after it.
    const vcenterTimeBefore = checked.read ? checked.check.vcenterTime : undefined;
    const stamped = (sent: Sent): Sent => (vcenterTimeBefore ? { ...sent, vcenterTimeBefore } : sent);
    const at = Date.now();
    let failure: unknown;
    try {
      const accepted = await sendFailover({ target: input.target, planned: input.planned });
      run.note(`vCenter accepted the failover as ${accepted.taskId}`);
      return stamped({ triggered: 'yes', taskId: accepted.taskId, at, acceptedAt: accepted.at });
    } catch (error) {
      failure = error;
    }
    const next = nextSendStep(attempt, sendFailureFacts(failure), input.target, at);
    switch (next.step) {
      case 'end':
        return next.end;
      case 'confirm-refusal': {
        run.reachedVcenter?.();
        const read = await confirmRefusal(input, passed, applicationCause(failure)!, at, run);
        return isEnd(read) ? read : stamped(read);
      }
      case 'follow':
        run.note(next.observation);
        return stamped(next.sent);
      case 'give-up':
        run.note(`attempt ${attempt}: ${next.notSent}`);
        return next.end;
      case 'send-again':
        run.note(`attempt ${attempt}: ${next.notSent}`);
        await sleep(next.backoffMs, { summary: `back off before send attempt ${attempt + 1}: nothing was sent` });
    }
  }
}

/** vCenter's own error answered the request: one read decides whether the refusal is confirmed. */
async function confirmRefusal(
  input: ValidatedFailoverInput,
  passed: PassedPreflight,
  refusal: { message: string; details?: unknown[] | null },
  at: number,
  run: { note(observation: string): void },
): Promise<Sent | RunEnd> {
  const details = refusal.details?.[0] as SendFailureDetails | undefined;
  const after = await checkCluster(input, passed);
  const read = readRefusal(
    { message: refusal.message, status: details?.status ?? 500, errorType: details?.errorType },
    after,
    input.target,
    at,
    {
      refusalNeedsProof: () => patched(PATCHES.refusalNeedsProof.id),
      refusal5xxWaitsNoSign: () => patched(PATCHES.refusal5xxWaitsNoSign.id),
    },
  );
  if (read.step === 'end') return read.end;
  run.note(read.observation);
  return read.sent;
}
