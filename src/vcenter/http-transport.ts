/**
 * One connection pool to one vCenter: sends a request with the configured timeouts and TLS trust, reads the whole
 * response, and turns transport failures into {@link VcenterUnreachableError}s. Knows nothing about sessions or
 * the vCenter API itself.
 */
import { checkServerIdentity, rootCertificates } from 'node:tls';
import { isIP } from 'node:net';
import { Pool, type Dispatcher } from 'undici';
import { VcenterResponseError, VcenterUnreachableError } from './errors';
import { type VcenterOperation } from './operations';
import { type SecretRedactor } from './redact';
import { BodyTooLargeError, readBody } from './response-body';
import { classifyTransportError } from './transport-errors';

/** Timeouts of one request, in milliseconds. */
export interface VcenterTimeouts {
  /** Establishing the TCP connection and the TLS handshake. */
  connectMs?: number;
  /** From sending the request until the response headers arrive. */
  headersMs?: number;
  /** Longest pause between two chunks of the response body. */
  bodyMs?: number;
  /**
   * The whole exchange, from handing the request to the pool until the last byte of the body: a
   * hard deadline, so a connection an address change has silently dropped (no reset, no answer)
   * can never hold a request longer than this, whatever the other timeouts allow.
   */
  totalMs?: number;
}

/** Timeouts used where the options leave one unset. */
export const DEFAULT_VCENTER_TIMEOUTS: Readonly<Required<VcenterTimeouts>> = {
  connectMs: 10_000,
  headersMs: 30_000,
  bodyMs: 30_000,
  totalMs: 60_000,
};

/** Statuses of whatever stands in front of vCenter's API (Envoy, a proxy) while it is down or restarting. */
const GATEWAY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * Whether an answer is a gateway's own (Envoy's plain text, a proxy's HTML) rather than vCenter's
 * JSON error: vCenter answering on a connection shows the connection works.
 */
function isGatewayPage(exchange: HttpExchange): boolean {
  return GATEWAY_STATUSES.has(exchange.status) && !/\bjson\b/i.test(exchange.contentType ?? '');
}

/** Connections per vCenter when the options leave it unset. */
export const DEFAULT_MAX_CONNECTIONS = 4;

/** Options of the transport; see `VcenterClientOptions` for their meaning. */
export interface HttpTransportOptions {
  baseUrl: string;
  ca?: string | Buffer;
  insecureSkipTlsVerify?: boolean;
  timeouts?: VcenterTimeouts;
  maxConnections?: number;
  /** The name the certificate is verified against when it differs from the URL's host; see `VcenterClientOptions`. */
  tlsName?: string;
  redactor: SecretRedactor;
}

/** One request to send. `path` is relative to the base URL and starts with `/`. */
export interface HttpRequest {
  operation: VcenterOperation;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Overrides of the per-request timeouts (the connect timeout belongs to the pool). */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

/** A complete HTTP response. */
export interface HttpExchange {
  status: number;
  contentType: string | undefined;
  text: string;
  /** The `Date` header: when vCenter sent the answer, by its own clock (HTTP-date, 1 s resolution). */
  date: string | undefined;
}

/** The pooled HTTP connection to one vCenter. */
export class HttpTransport {
  /** `scheme://host:port` of the target. */
  readonly origin: string;
  private readonly pathPrefix: string;
  private readonly timeouts: Readonly<Required<VcenterTimeouts>>;
  private readonly poolOptions: Pool.Options;
  private pool: Pool;
  /** Pools replaced after an outage, closing once the requests still in flight on them end. */
  private readonly retired = new Set<Pool>();
  /**
   * Set when an exchange ended in a sign of an outage (no answer, a broken connection, a gateway's
   * own 502/503/504 such as Envoy's): the next exchange starts on a fresh pool, since a kept-alive
   * connection may lead to an address that moved and silently drops what is sent on it.
   */
  private outageSeen = false;
  private readonly redactor: SecretRedactor;
  // Errors the pool reported as failures to connect; a request that fails with one of them was never written.
  private readonly connectFailures = new WeakSet<object>();

  constructor(options: HttpTransportOptions) {
    const { origin, pathPrefix } = parseBaseUrl(options.baseUrl);
    this.origin = origin;
    this.pathPrefix = pathPrefix;
    this.redactor = options.redactor;
    this.timeouts = resolveTimeouts(options.timeouts);
    const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    if (!Number.isInteger(maxConnections) || maxConnections < 1) {
      throw new TypeError('VcenterClient: maxConnections must be a positive integer');
    }
    this.poolOptions = {
      connections: maxConnections,
      allowH2: false,
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyMs,
      connect: {
        timeout: this.timeouts.connectMs,
        rejectUnauthorized: options.insecureSkipTlsVerify !== true,
        // A configured CA is trusted in addition to the public roots, not instead of them.
        ...(options.ca === undefined ? {} : { ca: [...rootCertificates, options.ca.toString()] }),
        ...(options.tlsName === undefined ? {} : tlsNameOptions(options.tlsName)),
      },
    };
    this.pool = this.createPool();
  }

  private createPool(): Pool {
    const pool = new Pool(this.origin, this.poolOptions);
    pool.on('connectionError', (_origin, _targets, error) => {
      this.connectFailures.add(error);
    });
    return pool;
  }

  /**
   * Drops every pooled connection (requests still in flight on them fail) and starts a fresh
   * pool: after an outage, a kept-alive connection may lead to an address that no longer answers.
   */
  async resetConnections(): Promise<void> {
    const old = this.pool;
    if (old.closed || old.destroyed) return;
    this.pool = this.createPool();
    await old.destroy();
  }

  /**
   * Sends a request and reads its whole response; throws only for transport failures and oversized bodies. After
   * an exchange that met an outage, this one goes out on a fresh pool (see {@link outageSeen}).
   */
  async exchange(request: HttpRequest): Promise<HttpExchange> {
    if (this.outageSeen) this.renewPool();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.timeouts.totalMs);
    try {
      const exchange = await this.exchangeUntil(request, deadline.signal);
      if (isGatewayPage(exchange)) this.outageSeen = true;
      return exchange;
    } catch (error) {
      if (error instanceof VcenterUnreachableError) this.outageSeen = true;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Starts a fresh pool for the requests to come and retires the old one: its idle connections close now, the
   * requests in flight on it (another run's, say) end on their own deadlines, then it closes.
   */
  private renewPool(): void {
    this.outageSeen = false;
    const old = this.pool;
    this.pool = this.createPool();
    if (old.closed || old.destroyed) return;
    this.retired.add(old);
    old
      .close()
      .catch(() => old.destroy())
      .catch(() => undefined)
      .finally(() => this.retired.delete(old));
  }

  private async exchangeUntil(request: HttpRequest, signal: AbortSignal): Promise<HttpExchange> {
    let response: Dispatcher.ResponseData;
    try {
      response = await this.pool.request({
        path: this.pathPrefix + request.path,
        method: request.method,
        headers: request.headers,
        body: request.body,
        headersTimeout: request.headersTimeoutMs ?? this.timeouts.headersMs,
        bodyTimeout: request.bodyTimeoutMs ?? this.timeouts.bodyMs,
        signal,
      });
    } catch (error) {
      throw this.classify(error, request, signal);
    }
    const status = response.statusCode;
    try {
      const text = await readBody(response.body);
      return {
        status,
        contentType: firstHeader(response.headers['content-type']),
        text,
        date: firstHeader(response.headers.date),
      };
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        throw new VcenterResponseError({ operation: request.operation, status, problems: [error.message] });
      }
      throw this.classify(error, request, signal);
    }
  }

  /** Waits up to `graceMs` for requests in flight, then aborts whatever is left and releases every socket. */
  async close(graceMs: number): Promise<void> {
    const pools = [this.pool, ...this.retired].filter((pool) => !pool.closed && !pool.destroyed);
    if (pools.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const closed = Promise.allSettled(pools.map((pool) => pool.close())).then(() => 'closed' as const);
    const outcome = await Promise.race([closed, graceOver]);
    clearTimeout(timer);
    if (outcome === 'timeout') await Promise.allSettled(pools.map((pool) => pool.destroy()));
  }

  private classify(error: unknown, request: HttpRequest, signal: AbortSignal): Error {
    if (error instanceof VcenterResponseError) return error;
    const failedWhileConnecting = typeof error === 'object' && error !== null && this.connectFailures.has(error);
    if (signal.aborted && !failedWhileConnecting) {
      // The request may have been written before the deadline ended the exchange.
      return new VcenterUnreachableError(
        {
          operation: request.operation,
          reason: 'timeout',
          phase: 'response',
          mayHaveReachedVcenter: true,
          code: 'VCENTER_TOTAL_TIMEOUT',
          detail: `no complete answer from ${this.origin} within ${this.timeouts.totalMs} ms`,
        },
        { cause: error },
      );
    }
    return classifyTransportError(error, {
      operation: request.operation,
      origin: this.origin,
      failedWhileConnecting,
      headersTimeoutMs: request.headersTimeoutMs ?? this.timeouts.headersMs,
      bodyTimeoutMs: request.bodyTimeoutMs ?? this.timeouts.bodyMs,
      redactor: this.redactor,
    });
  }
}

/**
 * TLS options that verify the certificate against `name` instead of the host connected to: SNI
 * carries the name when it is a DNS name (RFC 6066 allows no IP address there).
 */
function tlsNameOptions(name: string): { servername?: string; checkServerIdentity: typeof checkServerIdentity } {
  const bare = name.replace(/^\[|\]$/g, '');
  return {
    ...(isIP(bare) === 0 ? { servername: bare } : {}),
    checkServerIdentity: (_host, certificate) => checkServerIdentity(bare, certificate),
  };
}

/** Splits a base URL such as `https://vc01.example.com/vc/lab-01/` into origin and path prefix (`/vc/lab-01`). */
function parseBaseUrl(baseUrl: string): { origin: string; pathPrefix: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError('VcenterClient: baseUrl is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`VcenterClient: baseUrl must use https or http, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new TypeError('VcenterClient: baseUrl must not carry credentials; pass username and password instead');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new TypeError('VcenterClient: baseUrl must not have a query or fragment');
  }
  return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, '') };
}

function resolveTimeouts(timeouts: VcenterTimeouts | undefined): Readonly<Required<VcenterTimeouts>> {
  const resolved = { ...DEFAULT_VCENTER_TIMEOUTS };
  for (const key of ['connectMs', 'headersMs', 'bodyMs', 'totalMs'] as const) {
    const value = timeouts?.[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value <= 0) {
      throw new TypeError(`VcenterClient: timeouts.${key} must be a positive number of milliseconds`);
    }
    resolved[key] = value;
  }
  return resolved;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
