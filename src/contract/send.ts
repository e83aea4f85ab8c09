/**
 * How the send activity reports a failover request that did not come back accepted: the failure
 * type says what its end proves, so the workflow can decide without reading error texts.
 */

/** Why the failover request did not come back accepted. */
export const SEND_FAILURE_TYPES = {
  /** Proof that no byte of the request reached vCenter (refused, DNS, TLS handshake, the login failed). */
  notSent: 'FailoverNotSent',
  /** vCenter's vAPI endpoint answered with its own error: it received the request and refused it. */
  refused: 'FailoverRefused',
  /** Anything else: the request may have been accepted. */
  maybeSent: 'FailoverMaybeSent',
} as const;

/** The details a send failure carries. */
export interface SendFailureDetails {
  /** The vCenter error class (see `src/vcenter/classify.ts`). */
  errorClass: string;
  /** The HTTP status, when an answer came. */
  status?: number;
  /** The vAPI `error_type` of a refusal. */
  errorType?: string;
  /** What vCenter or the transport said, secrets masked. */
  detail: string;
}
