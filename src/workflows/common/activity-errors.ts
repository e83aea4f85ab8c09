/**
 * Decoding an activity's failure into plain facts: the contract failure type it carries, its
 * message, whether it never started, the heartbeat it left. The only place workflow code reads the
 * SDK's failure classes, so the decision modules work on plain data.
 */
import { LEDGER_REFUSED, type LedgerRefusal } from '../../contract/ledger';
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { TimeoutType } from '@temporalio/common';
import { isFailureType, readFollowHeartbeat, type FailureType, type FollowHeartbeat } from '../../contract';

/** The contract failure type an activity failure carries, if any. */
export function contractTypeOf(error: unknown): FailureType | undefined {
  const cause = applicationCause(error);
  return cause && isFailureType(cause.type) ? cause.type : undefined;
}

/** The application failure under an activity failure, if that is what it is. */
export function applicationCause(error: unknown): ApplicationFailure | undefined {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure ? error.cause : undefined;
}

/** Whether an activity never started (a schedule-to-start timeout): proof that it did nothing. */
export function neverStarted(error: unknown): boolean {
  return (
    error instanceof ActivityFailure &&
    error.cause instanceof TimeoutFailure &&
    error.cause.timeoutType === TimeoutType.SCHEDULE_TO_START
  );
}

/** The heartbeat a follow attempt left when it timed out, if the failure carries it. */
export function followHeartbeatOf(error: unknown): FollowHeartbeat | undefined {
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof TimeoutFailure)) return undefined;
  return readFollowHeartbeat(error.cause.lastHeartbeatDetails);
}

/** What went wrong, in the words of the failure's cause. */
export function causeMessage(error: unknown): string {
  if (error instanceof ActivityFailure) return error.cause?.message ?? error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The cluster ledger's refusal carried by a failed ledger call, if it is one. A local activity's
 * failure reaches the workflow as the activity's own ApplicationFailure, not wrapped in an
 * ActivityFailure as a regular activity's is: both shapes are read.
 */
export function ledgerRefusalOf(error: unknown): LedgerRefusal | undefined {
  const failure = error instanceof ApplicationFailure ? error : applicationCause(error);
  if (failure?.type !== LEDGER_REFUSED) return undefined;
  const refusal = failure.details?.[0] as LedgerRefusal | undefined;
  return refusal?.reason ? refusal : undefined;
}
