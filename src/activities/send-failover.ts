/**
 * Sends the failover request, once. The workflow schedules this activity with a single attempt and
 * no retry; it never sends on a retried attempt either. Its end says what it proves, by the one
 * vCenter error classifier:
 *
 * - accepted: vCenter answered 202 with the task id;
 * - `FailoverNotSent`: no byte reached vCenter (refused, DNS, TLS handshake, the login failed), the
 *   only end after which the workflow may send again;
 * - `FailoverRefused`: vCenter's vAPI endpoint answered with its own error (the workflow then
 *   confirms with a read that nothing changed);
 * - `FailoverMaybeSent`: everything else (reset, timeout, no answer at all, 5xx, a proxy's page,
 *   Envoy's plain-text 503, an unreadable body): the request may have been accepted, and the cluster
 *   state decides.
 */
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { SEND_FAILURE_TYPES, type SendFailureDetails } from '../contract';
import { UnknownTargetError } from '../config';
import type { VcenterClient } from '../vcenter';
import { classifyVcenterError, mayHaveReached } from '../vcenter/classify';
import type { ActivityDeps } from './deps';
import { clientOf, unknownTargetFailure } from './failures';
import { withHeartbeats } from './heartbeat';

/** Input of {@link sendFailover}. */
export interface SendFailoverInput {
  target: string;
  planned: boolean;
}

/** The request was accepted. */
export interface SentFailover {
  taskId: string;
  /** When vCenter accepted it (ISO). */
  at: string;
}

function failure(type: string, message: string, details: SendFailureDetails): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: [details] });
}

/** Builds the send activity. */
export function makeSendFailover(deps: ActivityDeps) {
  return async function sendFailover(input: SendFailoverInput): Promise<SentFailover> {
    const { attempt } = Context.current().info;
    if (attempt > 1) {
      // Never sent twice, whatever the retry policy says: an earlier attempt may have been accepted.
      throw failure(
        SEND_FAILURE_TYPES.maybeSent,
        `attempt ${attempt} of the send does not send: an earlier one may have been accepted`,
        {
          errorClass: 'retried',
          detail: 'a retried send attempt never sends',
        },
      );
    }
    const client = clientOf(deps, input.target);
    return withHeartbeats(
      () => sendOnce(client, input),
      () => ({ stage: 'sending the failover request' }),
    );
  };
}

/** Sends the request once; a failure is classified as {@link SEND_FAILURE_TYPES} say. */
export async function sendOnce(client: VcenterClient, input: SendFailoverInput): Promise<SentFailover> {
  log.info('sending failover request', { target: input.target, planned: input.planned });
  try {
    const taskId = await client.startFailover({ planned: input.planned });
    return { taskId, at: new Date().toISOString() };
  } catch (error) {
    throw sendFailure(input.target, error);
  }
}

/** What the error the request failed with proves, as a send failure. */
function sendFailure(target: string, error: unknown): ApplicationFailure {
  if (error instanceof UnknownTargetError) return unknownTargetFailure(error);
  const errorClass = classifyVcenterError(error, 'cluster.failover');
  const details: SendFailureDetails = { errorClass: errorClass.kind, detail: errorClass.detail };
  if (!mayHaveReached(errorClass)) {
    return failure(
      SEND_FAILURE_TYPES.notSent,
      `the failover request did not reach vCenter ${target}: ${errorClass.detail}`,
      details,
    );
  }
  switch (errorClass.kind) {
    case 'vapi-error':
      return failure(
        SEND_FAILURE_TYPES.refused,
        `vCenter ${target} answered the failover request with HTTP ${errorClass.status}` +
          `${errorClass.errorType ? ` ${errorClass.errorType}` : ''}: ${errorClass.messages.join('; ') || errorClass.detail}`,
        { ...details, status: errorClass.status, ...(errorClass.errorType ? { errorType: errorClass.errorType } : {}) },
      );
    case 'gateway': {
      // Envoy answers this while the vAPI endpoint behind it is down, which the failover itself brings
      // about: the request may have been handed on (or retried by the proxy) before it went down.
      const why = errorClass.envoy
        ? `Envoy, in front of its API, answered HTTP ${errorClass.status} while the API behind it was down; ` +
          `that proves nothing about the request (a proxy's retry cannot be ruled out): ${errorClass.detail}`
        : errorClass.detail;
      return maybeSent(target, why, { ...details, status: errorClass.status });
    }
    default:
      return maybeSent(target, errorClass.detail, {
        ...details,
        ...('status' in errorClass ? { status: errorClass.status } : {}),
      });
  }
}

/** The request may have been accepted: the cluster state decides, and it is never sent again. */
function maybeSent(target: string, detail: string, details: SendFailureDetails): ApplicationFailure {
  log.warn('failover request may have been accepted; the cluster state decides', { target, detail });
  return failure(
    SEND_FAILURE_TYPES.maybeSent,
    `the failover request may have reached vCenter ${target} (${detail})`,
    details,
  );
}
