/**
 * Typed errors of the vCenter client. Each one names the call that failed and says whether that call's request may
 * have reached vCenter; `classify.ts` turns them into what they prove. The errors carry plain
 * fields and serialise via `toJSON()` so they survive crossing a Temporal activity boundary as failure details.
 * Messages never contain credentials or session tokens: the client redacts server-provided text before building them.
 */
import { type VcenterOperation } from './operations';

/** Why a request did not get an HTTP response. */
export type UnreachableReason = 'refused' | 'reset' | 'timeout' | 'dns' | 'tls' | 'other';

/** Whether the transport failed while establishing the connection or after the request could have been written. */
export type UnreachablePhase = 'connect' | 'response';

/** Serialisable form of any {@link VcenterError}. */
export interface VcenterErrorJson {
  name: string;
  message: string;
  operation: VcenterOperation;
  mayHaveReachedVcenter: boolean;
  [field: string]: unknown;
}

/** Base class of every error the vCenter client throws. */
export class VcenterError extends Error {
  override name = 'VcenterError';
  /** The call whose request failed (a login made on behalf of another call reports `session.create`). */
  readonly operation: VcenterOperation;
  /**
   * False only when the failure proves `operation`'s request never left this process (or was never accepted for
   * execution by the transport); true whenever vCenter may have received it.
   */
  readonly mayHaveReachedVcenter: boolean;

  constructor(
    message: string,
    fields: { operation: VcenterOperation; mayHaveReachedVcenter: boolean },
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.operation = fields.operation;
    this.mayHaveReachedVcenter = fields.mayHaveReachedVcenter;
  }

  /** Plain-object form with the name, message and every field (no cause, no stack). */
  toJSON(): VcenterErrorJson {
    return {
      name: this.name,
      message: this.message,
      operation: this.operation,
      mayHaveReachedVcenter: this.mayHaveReachedVcenter,
      ...this.extraFields(),
    };
  }

  /** Subclass fields included in {@link toJSON}. */
  protected extraFields(): Record<string, unknown> {
    return {};
  }
}

/** vCenter answered with an HTTP status other than the call's success status. */
export class VcenterApiError extends VcenterError {
  override name = 'VcenterApiError';
  /** HTTP status code of the answer. */
  readonly status: number;
  /** `error_type` of the vAPI error body, when the body carried one. */
  readonly errorType: string | undefined;
  /** The `default_message` texts of the error body, outermost first. */
  readonly messages: readonly string[];
  /** A short excerpt of the body when it was not a vAPI error (e.g. a proxy's HTML page). */
  readonly bodyExcerpt: string | undefined;
  /**
   * True when the body was the vAPI endpoint's own error (a `VapiStdErrorsError`: `messages`, and `error_type` since
   * 6.7.2): vCenter itself answered. False for anything else, e.g. a proxy's page or a body that only resembles one.
   */
  readonly vapiBody: boolean;

  constructor(fields: {
    operation: VcenterOperation;
    status: number;
    errorType?: string | undefined;
    messages?: readonly string[];
    bodyExcerpt?: string | undefined;
    vapiBody?: boolean;
  }) {
    const messages = fields.messages ?? [];
    super(describeApiError(fields.operation, fields.status, fields.errorType, messages, fields.bodyExcerpt), {
      operation: fields.operation,
      mayHaveReachedVcenter: true,
    });
    this.status = fields.status;
    this.errorType = fields.errorType;
    this.messages = messages;
    this.bodyExcerpt = fields.bodyExcerpt;
    this.vapiBody = fields.vapiBody ?? false;
  }

  protected override extraFields(): Record<string, unknown> {
    return {
      status: this.status,
      errorType: this.errorType,
      messages: [...this.messages],
      bodyExcerpt: this.bodyExcerpt,
      vapiBody: this.vapiBody,
    };
  }
}

function describeApiError(
  operation: VcenterOperation,
  status: number,
  errorType: string | undefined,
  messages: readonly string[],
  bodyExcerpt: string | undefined,
): string {
  let text = `${operation} failed: HTTP ${status}`;
  if (errorType !== undefined) text += ` ${errorType}`;
  if (messages.length > 0) text += `: ${messages.join('; ')}`;
  else if (bodyExcerpt !== undefined && bodyExcerpt !== '') text += `: response body: ${bodyExcerpt}`;
  const hint = hintForStatus(operation, status);
  return hint === undefined ? text : `${text} (${hint})`;
}

function hintForStatus(operation: VcenterOperation, status: number): string | undefined {
  if (status === 403) {
    return 'the vCenter user lacks a privilege: VCHA cluster calls and failover require the Global.VCServer privilege';
  }
  if (status === 401 && operation === 'session.create') {
    return 'vCenter rejected the username or password configured for this target';
  }
  if (status === 401) return 'vCenter rejected the session again right after a fresh login';
  return undefined;
}

/** The request got no HTTP response: connection refused or reset, timeout, DNS or TLS failure. */
export class VcenterUnreachableError extends VcenterError {
  override name = 'VcenterUnreachableError';
  /** The kind of transport failure. */
  readonly reason: UnreachableReason;
  /** Where the exchange failed. */
  readonly phase: UnreachablePhase;
  /** The underlying error code (e.g. `ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`), when there was one. */
  readonly code: string | undefined;

  constructor(
    fields: {
      operation: VcenterOperation;
      reason: UnreachableReason;
      phase: UnreachablePhase;
      mayHaveReachedVcenter: boolean;
      code?: string | undefined;
      detail: string;
    },
    options?: { cause?: unknown },
  ) {
    const code = fields.code === undefined ? '' : `, ${fields.code}`;
    super(
      `${fields.operation} failed: vCenter unreachable (${fields.reason} during ${fields.phase}${code}): ${fields.detail}`,
      { operation: fields.operation, mayHaveReachedVcenter: fields.mayHaveReachedVcenter },
      options,
    );
    this.reason = fields.reason;
    this.phase = fields.phase;
    this.code = fields.code;
  }

  protected override extraFields(): Record<string, unknown> {
    return { reason: this.reason, phase: this.phase, code: this.code };
  }
}

/** vCenter answered with the expected status but a body that is not the expected JSON. */
export class VcenterResponseError extends VcenterError {
  override name = 'VcenterResponseError';
  /** HTTP status code of the answer. */
  readonly status: number;
  /** What was wrong with the body, e.g. `node1.runtime.state: Invalid option: expected one of "UP"|"DOWN"`. */
  readonly problems: readonly string[];

  constructor(fields: { operation: VcenterOperation; status: number; problems: readonly string[] }) {
    super(
      `${fields.operation} failed: unexpected response body (HTTP ${fields.status}): ${fields.problems.join('; ')}`,
      { operation: fields.operation, mayHaveReachedVcenter: true },
    );
    this.status = fields.status;
    this.problems = fields.problems;
  }

  protected override extraFields(): Record<string, unknown> {
    return { status: this.status, problems: [...this.problems] };
  }
}

/** The call was made after {@link VcenterClient.close}; nothing was sent. */
export class VcenterClientClosedError extends VcenterError {
  override name = 'VcenterClientClosedError';

  constructor(operation: VcenterOperation) {
    super(`${operation} failed: the vCenter client is closed`, { operation, mayHaveReachedVcenter: false });
  }
}
