/**
 * Classifies a transport failure (from undici or Node's net/tls/dns layers) as a {@link VcenterUnreachableError},
 * deciding conservatively whether the request may have reached vCenter.
 */
import { VcenterUnreachableError, type UnreachableReason } from './errors';
import { type VcenterOperation } from './operations';
import { type SecretRedactor } from './redact';

/** What the classifier knows about the exchange that failed. */
export interface TransportFailureContext {
  operation: VcenterOperation;
  /** `scheme://host:port` of the target, for messages. */
  origin: string;
  /** True when the connection pool reported this very error as a failure to establish a connection. */
  failedWhileConnecting: boolean;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  redactor: SecretRedactor;
}

/** Codes that only arise before a request is written: proof that it never left. */
const CONNECT_ONLY_REASONS: ReadonlyMap<string, UnreachableReason> = new Map<string, UnreachableReason>([
  ['ECONNREFUSED', 'refused'],
  ['ENOTFOUND', 'dns'],
  ['EAI_AGAIN', 'dns'],
  ['EAI_FAIL', 'dns'],
  ['EAI_NONAME', 'dns'],
  ['EAI_NODATA', 'dns'],
  ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
  // Raised when a request is handed to a pool that is already closed.
  ['UND_ERR_CLOSED', 'other'],
]);

/** Certificate verification failures: raised during the TLS handshake, before any request byte is sent. */
const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const OTHER_REASONS: ReadonlyMap<string, UnreachableReason> = new Map<string, UnreachableReason>([
  ['ECONNRESET', 'reset'],
  ['EPIPE', 'reset'],
  ['ECONNABORTED', 'reset'],
  ['UND_ERR_SOCKET', 'reset'],
  ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
  ['UND_ERR_BODY_TIMEOUT', 'timeout'],
  ['ETIMEDOUT', 'timeout'],
  ['EPROTO', 'tls'],
]);

/** Converts a transport error into a {@link VcenterUnreachableError}. */
export function classifyTransportError(error: unknown, context: TransportFailureContext): VcenterUnreachableError {
  const code = errorCode(error);
  const certificateFailure = code !== undefined && CERTIFICATE_CODES.has(code);
  const connectOnlyReason = code === undefined ? undefined : CONNECT_ONLY_REASONS.get(code);
  const neverSent = context.failedWhileConnecting || certificateFailure || connectOnlyReason !== undefined;
  const reason: UnreachableReason = certificateFailure ? 'tls' : (connectOnlyReason ?? reasonFromCode(code));
  return new VcenterUnreachableError(
    {
      operation: context.operation,
      reason,
      phase: neverSent ? 'connect' : 'response',
      mayHaveReachedVcenter: !neverSent,
      code,
      detail: describe(reason, code, certificateFailure, error, context),
    },
    { cause: error },
  );
}

function reasonFromCode(code: string | undefined): UnreachableReason {
  if (code === undefined) return 'other';
  const known = OTHER_REASONS.get(code);
  if (known !== undefined) return known;
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return 'tls';
  return 'other';
}

function describe(
  reason: UnreachableReason,
  code: string | undefined,
  certificateFailure: boolean,
  error: unknown,
  context: TransportFailureContext,
): string {
  const underlying = context.redactor.redact(errorMessage(error));
  if (certificateFailure) {
    return (
      `TLS certificate verification of ${context.origin} failed (${underlying}); ` +
      'configure caFile for this target with the CA certificate that signed the vCenter certificate'
    );
  }
  switch (reason) {
    case 'refused':
      return `${context.origin} refused the connection`;
    case 'dns':
      return `cannot resolve the host of ${context.origin} (${underlying})`;
    case 'timeout':
      if (code === 'UND_ERR_CONNECT_TIMEOUT') return `no connection to ${context.origin} could be established in time`;
      if (code === 'UND_ERR_HEADERS_TIMEOUT') {
        return `no response from ${context.origin} within ${context.headersTimeoutMs} ms`;
      }
      if (code === 'UND_ERR_BODY_TIMEOUT') {
        return `response body from ${context.origin} stalled for more than ${context.bodyTimeoutMs} ms`;
      }
      return `${context.origin} timed out (${underlying})`;
    case 'reset':
      return `connection to ${context.origin} was closed or reset (${underlying})`;
    case 'tls':
      return `TLS with ${context.origin} failed (${underlying})`;
    case 'other':
      if (code === 'UND_ERR_CLOSED') return `the connection pool to ${context.origin} is closed`;
      return `request to ${context.origin} failed (${underlying})`;
  }
}

/** The error's `code`; for Happy Eyeballs' AggregateError, the code of its first attempt. */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const innerCode = errorCode(inner);
      if (innerCode !== undefined) return innerCode;
    }
  }
  return undefined;
}

/** The error's message on one line; OpenSSL's `<code>:error:<id>:<lib>:<func>:<reason>:<file>` is cut to its reason. */
function errorMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message || error.name : String(error);
  const oneLine = raw.replace(/\s+/g, ' ').trim();
  const openSslReason = /^[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/.exec(oneLine)?.[1];
  return openSslReason ?? oneLine;
}
