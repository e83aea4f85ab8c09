/**
 * The one classifier of vCenter errors: what an error of the client proves about the request that
 * failed. Preflight, the pre-send check, the send and the follow activity all decide from it, so a
 * 502 means the same thing everywhere. The classes, from most to least proof:
 *
 * - `not-sent`: no byte of the request reached vCenter (connection refused, DNS, TLS handshake,
 *   connect timeout, a closed client, or the login on its behalf failed). The only class that
 *   permits sending a request that cannot be repeated safely again.
 * - `vapi-error`: vCenter's vAPI endpoint itself answered with its standard error body
 *   (`error_type`/`messages`) and a status other than 502/503/504. It received the request and
 *   refused it (or failed it); for the failover this still needs a confirming read.
 * - `gateway`: 502, 503 or 504, or any 5xx whose body is not the vAPI endpoint's own error (a
 *   proxy's HTML page, or the plain-text 503 of Envoy, which fronts vCenter 7/8/9's API, while the
 *   vAPI endpoint behind it is down: `envoy` is then set): something in front of vCenter, or
 *   vCenter restarting, answered. It proves nothing about whether an earlier request took effect.
 * - `lost`: the connection broke or timed out after the request could have been written.
 * - `malformed`: the expected status with a body that is not the expected JSON (HTML, truncated,
 *   wrong types), or an unexpected status whose body is not the vAPI error either.
 * - `other`: anything the client did not raise (a bug): assume the worst.
 *
 * Every class but `not-sent` means the request may have been executed.
 */
import {
  VcenterApiError,
  VcenterClientClosedError,
  VcenterError,
  VcenterResponseError,
  VcenterUnreachableError,
  type UnreachableReason,
} from './errors';
import type { VcenterOperation } from './operations';

/** What an error proves about the request of the operation that failed. */
export type VcenterErrorClass =
  | {
      kind: 'not-sent';
      reason: UnreachableReason | 'login' | 'closed';
      detail: string;
      /** For `login`: how the login made on the call's behalf failed. */
      login?: VcenterErrorClass;
    }
  | { kind: 'vapi-error'; status: number; errorType?: string; messages: readonly string[]; detail: string }
  | { kind: 'gateway'; status: number; detail: string; envoy?: true }
  | { kind: 'lost'; reason: UnreachableReason; detail: string }
  | { kind: 'malformed'; status: number; detail: string }
  | { kind: 'other'; detail: string };

/** The kind of a class. */
export type VcenterErrorKind = VcenterErrorClass['kind'];

/** Statuses that come from whatever stands between the client and vCenter's API, or from vCenter restarting. */
const GATEWAY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** The bodies Envoy answers with (`503`, `text/plain`) while its upstream, the vAPI endpoint, is down. */
const ENVOY_OUTAGE_BODIES: readonly RegExp[] = [
  /^no healthy upstream$/,
  /^upstream connect error or disconnect\/reset before headers\./,
];

/** Whether a body excerpt is one of Envoy's outage answers. */
export function isEnvoyOutageBody(text: string | undefined): boolean {
  const trimmed = text?.trim() ?? '';
  return ENVOY_OUTAGE_BODIES.some((pattern) => pattern.test(trimmed));
}

/** Classifies the error a call of `operation` failed with. */
export function classifyVcenterError(error: unknown, operation: VcenterOperation): VcenterErrorClass {
  if (!(error instanceof VcenterError)) {
    return { kind: 'other', detail: error instanceof Error ? error.message : String(error) };
  }
  const detail = error.message;
  // The login made on this call's behalf failed: the call's own request was never sent.
  if (error.operation !== operation) {
    return { kind: 'not-sent', reason: 'login', detail, login: classifyVcenterError(error, error.operation) };
  }
  if (error instanceof VcenterClientClosedError) return { kind: 'not-sent', reason: 'closed', detail };
  if (error instanceof VcenterUnreachableError) {
    return error.mayHaveReachedVcenter
      ? { kind: 'lost', reason: error.reason, detail }
      : { kind: 'not-sent', reason: error.reason, detail };
  }
  if (error instanceof VcenterApiError) {
    if (GATEWAY_STATUSES.has(error.status)) {
      return isEnvoyOutageBody(error.bodyExcerpt)
        ? { kind: 'gateway', status: error.status, detail, envoy: true }
        : { kind: 'gateway', status: error.status, detail };
    }
    if (error.vapiBody && (error.errorType !== undefined || error.messages.length > 0)) {
      return { kind: 'vapi-error', status: error.status, errorType: error.errorType, messages: error.messages, detail };
    }
    if (error.status >= 500) return { kind: 'gateway', status: error.status, detail };
    return { kind: 'malformed', status: error.status, detail };
  }
  if (error instanceof VcenterResponseError) return { kind: 'malformed', status: error.status, detail };
  return { kind: 'other', detail };
}

/** Whether the class leaves open that vCenter executed the request. */
export function mayHaveReached(errorClass: VcenterErrorClass): boolean {
  return errorClass.kind !== 'not-sent';
}

/** Whether the class is vCenter's own refusal for lack of privilege (a 403 from the vAPI endpoint). */
export function isUnauthorized(errorClass: VcenterErrorClass): boolean {
  return errorClass.kind === 'vapi-error' && errorClass.status === 403;
}

/**
 * Whether the answer was a 404, from vCenter (a task id the new active node does not know) or from
 * whatever answers in its place: either way the path serves nothing to wait for.
 */
export function isNotFound(errorClass: VcenterErrorClass): boolean {
  return (errorClass.kind === 'vapi-error' || errorClass.kind === 'malformed') && errorClass.status === 404;
}

/** Whether the class says vCenter's API could not be reached or was not serving: an outage, not an answer. */
export function isOutage(errorClass: VcenterErrorClass): boolean {
  switch (errorClass.kind) {
    case 'lost':
    case 'gateway':
      return true;
    case 'not-sent':
      if (errorClass.reason === 'closed') return false;
      return errorClass.login ? isOutage(errorClass.login) : true;
    default:
      return false;
  }
}
