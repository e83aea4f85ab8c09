/**
 * The vCenter REST client the failover worker uses: session login and renewal, the VCHA cluster calls, the failover
 * call and CIS task reads, with typed errors and checked responses. It needs nothing but a base URL and
 * credentials, so it works against a real vCenter and against a simulator alike.
 */
import { type z } from 'zod';
import { VcenterApiError, VcenterClientClosedError, VcenterError, VcenterResponseError } from './errors';
import { HttpTransport, type HttpExchange, type VcenterTimeouts } from './http-transport';
import { type VcenterOperation } from './operations';
import { SecretRedactor } from './redact';
import { describeInvalidJson, describeIssues, parseJson, safeExcerpt } from './response-body';
import {
  ApplianceHealthLastCheckSchema,
  ApplianceHealthSystemHealthLevelSchema,
  CisTaskInfoSchema,
  CisTasksListResultSchema,
  SessionTokenSchema,
  TaskIdSchema,
  VapiStdErrorsErrorSchema,
  VcenterDatacenterListResultSchema,
  VcenterServicesListResultSchema,
  VcenterServicesServiceInfoSchema,
  VcenterVchaClusterInfoSchema,
  VcenterVchaClusterModeInfoSchema,
  VcenterVchaOperationsInfoSchema,
  type ApplianceHealthSystemHealthLevel,
  type CisTaskInfo,
  type CisTaskStatus,
  type VcenterDatacenterSummary,
  type VcenterServicesListResult,
  type VcenterServicesServiceInfo,
  type VcenterVchaClusterModeClusterMode,
  type VcenterVchaClusterInfo,
  type VcenterVchaClusterModeInfo,
  type VcenterVchaOperationsInfo,
} from './schemas';
import { isEnvoyOutageBody } from './classify';
import { endRequestSpan, startRequestSpan } from './request-span';
import { SessionKeeper } from './session-keeper';

/** Where the client writes diagnostics; meta never contains credentials or tokens. */
export interface VcenterLogger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** One HTTP exchange with vCenter, reported to the metrics hook. */
export interface VcenterRequestEvent {
  operation: VcenterOperation;
  method: string;
  /** HTTP status, when a response arrived. */
  status?: number;
  durationMs: number;
  /** Name (and reason) of the error the exchange ended with, e.g. `VcenterUnreachableError:timeout`. */
  error?: string;
}

/** Options of {@link VcenterClient}. */
export interface VcenterClientOptions {
  /** vCenter base URL; may carry a path prefix, e.g. `http://127.0.0.1:9000/vc/lab-01`. */
  baseUrl: string;
  username: string;
  password: string;
  /** PEM CA certificate(s) trusted in addition to the public roots. */
  ca?: string | Buffer;
  /** Disables TLS certificate verification (logs a warning). */
  insecureSkipTlsVerify?: boolean;
  /** Request timeouts; defaults 10 s connect, 30 s headers, 30 s body, 60 s for the whole exchange. */
  timeouts?: VcenterTimeouts;
  /** Connections kept to this vCenter. */
  maxConnections?: number;
  /**
   * The name the server certificate must carry, when `baseUrl` reaches vCenter under another
   * address (a node's failover IP, a NAT address): its certificate names the configured host.
   */
  tlsName?: string;
  logger?: VcenterLogger;
  /** Called after every HTTP exchange; exceptions it throws are logged and ignored. */
  onRequest?: (event: VcenterRequestEvent) => void;
}

/** Filter of {@link VcenterClient.listTasks}; unset lists match anything. */
export interface TaskListFilter {
  tasks?: string[];
  services?: string[];
  operations?: string[];
  status?: CisTaskStatus[];
}

/** How long {@link VcenterClient.close} waits for the logout and for requests in flight. */
const CLOSE_GRACE_MS = 2_000;

/** What one call sends and expects. */
interface CallSpec<T> {
  operation: VcenterOperation;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  expectedStatus: number;
  /** Schema of the success body; absent when the success response has no body. */
  schema?: z.ZodType<T>;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /**
   * Whether a 401 is answered by logging in again and sending the request a second time (reads).
   * False for the failover: a request that cannot be repeated safely is sent once, whatever comes back.
   */
  resendAfterUnauthenticated?: boolean;
}

type Attempt<T> =
  { kind: 'ok'; value: T; date: string | undefined } | { kind: 'unauthenticated'; exchange: HttpExchange };

/** A read's answer with vCenter's own time of it. */
export interface Timed<T> {
  value: T;
  /** When vCenter answered, by its own clock (the `Date` header, whole seconds); absent when it sent none or an unreadable one. */
  vcenterTime?: Date;
}

/** A client of one vCenter's REST API (`/api`), logged in lazily and re-logged in once when a session expires. */
export class VcenterClient {
  private readonly transport: HttpTransport;
  private readonly redactor = new SecretRedactor();
  private readonly session: SessionKeeper;
  private readonly basicAuthorization: string;
  private readonly logger: VcenterLogger | undefined;
  private readonly onRequest: ((event: VcenterRequestEvent) => void) | undefined;
  private closed = false;

  constructor(options: VcenterClientOptions) {
    if (options.username === '') throw new TypeError('VcenterClient: username is empty');
    if (options.password === '') throw new TypeError('VcenterClient: password is empty');
    const credentials = Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64');
    this.basicAuthorization = `Basic ${credentials}`;
    this.redactor.add(options.password);
    this.redactor.add(credentials);
    this.logger = options.logger;
    this.onRequest = options.onRequest;
    this.transport = new HttpTransport({
      baseUrl: options.baseUrl,
      ca: options.ca,
      insecureSkipTlsVerify: options.insecureSkipTlsVerify,
      timeouts: options.timeouts,
      maxConnections: options.maxConnections,
      ...(options.tlsName === undefined ? {} : { tlsName: options.tlsName }),
      redactor: this.redactor,
    });
    this.session = new SessionKeeper(() => this.createSession());
    if (options.insecureSkipTlsVerify === true) {
      this.logger?.warn('TLS certificate verification is disabled for this vCenter; configure a CA instead', {
        origin: this.transport.origin,
      });
    }
  }

  /** How many successful logins this client made. */
  get loginCount(): number {
    return this.session.loginCount;
  }

  /** Makes sure the client holds a session, logging in when it has none (useful to check credentials early). */
  async login(): Promise<void> {
    this.assertOpen('session.create');
    await this.session.current();
  }

  /**
   * Drops the session without logging out, so the next call logs in first. For when the session
   * is known to be gone: a VCHA failover's new active node never knew the old node's sessions, so
   * asking it with the old token would only cost a 401 and a second request.
   */
  forgetSession(): void {
    this.session.take();
  }

  /** Ends the session (`DELETE /api/session`). Best effort: failures are logged, never thrown. */
  async logout(): Promise<void> {
    const token = this.session.take();
    if (token === undefined) return;
    try {
      await this.attempt(
        {
          operation: 'session.delete',
          method: 'DELETE',
          path: '/api/session',
          expectedStatus: 204,
          headersTimeoutMs: CLOSE_GRACE_MS,
          bodyTimeoutMs: CLOSE_GRACE_MS,
        },
        { 'vmware-api-session-id': token },
        1,
      );
    } catch (error) {
      this.logger?.warn('vCenter logout failed', {
        error: error instanceof VcenterError ? error.message : describeError(error),
      });
    }
  }

  /** Cluster configuration and health: `POST /api/vcenter/vcha/cluster?action=get`. */
  async getCluster(options: { partial?: boolean } = {}): Promise<VcenterVchaClusterInfo> {
    return (await this.getClusterTimed(options)).value;
  }

  /**
   * The cluster, as {@link getCluster}, with vCenter's own time of the answer: the check before the
   * failover request reads it, so the follow can tell a task vCenter started for that request from
   * an earlier one without trusting this worker's clock.
   */
  async getClusterTimed(options: { partial?: boolean } = {}): Promise<Timed<VcenterVchaClusterInfo>> {
    return this.callTimed({
      operation: 'cluster.get',
      method: 'POST',
      path: '/api/vcenter/vcha/cluster?action=get',
      body: options.partial === undefined ? {} : { partial: options.partial },
      expectedStatus: 200,
      schema: VcenterVchaClusterInfoSchema,
    });
  }

  /** The cluster mode: `GET /api/vcenter/vcha/cluster/mode`. */
  async getMode(): Promise<VcenterVchaClusterModeInfo> {
    return this.read('cluster.mode.get', '/api/vcenter/vcha/cluster/mode', VcenterVchaClusterModeInfoSchema);
  }

  /** Disabled and running VCHA operations: `GET /api/vcenter/vcha/operations`. */
  async getOperations(): Promise<VcenterVchaOperationsInfo> {
    return this.read('operations.get', '/api/vcenter/vcha/operations', VcenterVchaOperationsInfoSchema);
  }

  /**
   * Starts a failover (`POST /api/vcenter/vcha/cluster?action=failover&vmw-task=true`) and returns its task id.
   * Sent at most once per call: a 401 is an error like any other (the session is dropped, so the next call logs in
   * again), never a reason to send the request a second time.
   */
  async startFailover(options: { planned: boolean }): Promise<string> {
    return this.call({
      operation: 'cluster.failover',
      method: 'POST',
      path: '/api/vcenter/vcha/cluster?action=failover&vmw-task=true',
      body: { planned: options.planned },
      expectedStatus: 202,
      schema: TaskIdSchema,
      resendAfterUnauthenticated: false,
    });
  }

  /** One task: `GET /api/cis/tasks/{task}`; the id (which contains a colon) is sent as a single path segment. */
  async getTask(taskId: string): Promise<CisTaskInfo> {
    return this.read('tasks.get', `/api/cis/tasks/${encodeURIComponent(taskId)}`, CisTaskInfoSchema);
  }

  /** Tasks matching a filter, by id: `POST /api/cis/tasks?action=list`. */
  async listTasks(filter: TaskListFilter): Promise<Record<string, CisTaskInfo>> {
    const filterSpec: Record<string, string[]> = {};
    if (filter.tasks !== undefined) filterSpec.tasks = filter.tasks;
    if (filter.services !== undefined) filterSpec.services = filter.services;
    if (filter.operations !== undefined) filterSpec.operations = filter.operations;
    if (filter.status !== undefined) filterSpec.status = filter.status;
    return this.call({
      operation: 'tasks.list',
      method: 'POST',
      path: '/api/cis/tasks?action=list',
      body: { filter_spec: filterSpec },
      expectedStatus: 200,
      schema: CisTasksListResultSchema,
    });
  }

  /**
   * Sets the cluster mode (`PUT /api/vcenter/vcha/cluster/mode?vmw-task=true`) and returns the task id. Setting
   * the mode the cluster already has changes nothing, so a set may be sent again after a 401.
   */
  async setMode(mode: VcenterVchaClusterModeClusterMode): Promise<string> {
    return this.call({
      operation: 'cluster.mode.set',
      method: 'PUT',
      path: '/api/vcenter/vcha/cluster/mode?vmw-task=true',
      body: { mode },
      expectedStatus: 202,
      schema: TaskIdSchema,
    });
  }

  /** The vCenter services of the node serving the API, by service id: `GET /api/vcenter/services`. */
  async listServices(): Promise<VcenterServicesListResult> {
    return this.read('services.list', '/api/vcenter/services', VcenterServicesListResultSchema);
  }

  /** One vCenter service: `GET /api/vcenter/services/{service}` (404 when this vCenter has no such service). */
  async getService(serviceId: string): Promise<VcenterServicesServiceInfo> {
    return this.read(
      'services.get',
      `/api/vcenter/services/${encodeURIComponent(serviceId)}`,
      VcenterServicesServiceInfoSchema,
    );
  }

  /** The datacenters: `GET /api/vcenter/datacenter`, served by vpxd, so it answers only while vpxd runs. */
  async listDatacenters(): Promise<VcenterDatacenterSummary[]> {
    return this.read('datacenter.list', '/api/vcenter/datacenter', VcenterDatacenterListResultSchema);
  }

  /** The appliance's overall health color, as its last periodic check computed it: `GET /api/appliance/health/system`. */
  async getSystemHealth(): Promise<ApplianceHealthSystemHealthLevel> {
    return this.read('health.system', '/api/appliance/health/system', ApplianceHealthSystemHealthLevelSchema);
  }

  /** When the appliance's health was last checked: `GET /api/appliance/health/system/lastcheck`. */
  async getSystemHealthLastCheck(): Promise<Date> {
    const text = await this.read(
      'health.lastcheck',
      '/api/appliance/health/system/lastcheck',
      ApplianceHealthLastCheckSchema,
    );
    return new Date(text);
  }

  /**
   * Drops every pooled connection to this vCenter (requests in flight on them fail) and keeps the session. After
   * an outage a kept-alive connection may lead to an address that silently dropped it; a fresh one does not.
   */
  async resetConnections(): Promise<void> {
    await this.transport.resetConnections();
  }

  /** Logs out (best effort, bounded) and releases the connections; later calls fail without sending anything. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await withDeadline(this.logout(), CLOSE_GRACE_MS);
    await this.transport.close(CLOSE_GRACE_MS);
  }

  /** A session-authenticated `GET` answered `200` with a body `schema` checks. */
  private read<T>(operation: VcenterOperation, path: string, schema: z.ZodType<T>): Promise<T> {
    return this.call({ operation, method: 'GET', path, expectedStatus: 200, schema });
  }

  /** Runs a session-authenticated call, renewing the session once if vCenter answers 401 (and the call allows it). */
  private async call<T>(spec: CallSpec<T>): Promise<T> {
    return (await this.callTimed(spec)).value;
  }

  /** {@link call}, with the time vCenter answered it. */
  private async callTimed<T>(spec: CallSpec<T>): Promise<Timed<T>> {
    this.assertOpen(spec.operation);
    const token = await this.session.current();
    // close() may have run while this call waited for the login.
    this.assertOpen(spec.operation);
    const first = await this.attempt(spec, { 'vmware-api-session-id': token }, 1);
    if (first.kind === 'ok') return timed(first);
    if (spec.resendAfterUnauthenticated === false) {
      this.session.drop(token);
      throw this.apiError(spec.operation, first.exchange);
    }

    this.logger?.info('vCenter session not accepted; logging in again', { operation: spec.operation });
    const renewed = await this.session.renew(token);
    this.assertOpen(spec.operation);
    const second = await this.attempt(spec, { 'vmware-api-session-id': renewed }, 2);
    if (second.kind === 'ok') return timed(second);
    throw this.apiError(spec.operation, second.exchange);
  }

  private async createSession(): Promise<string> {
    const outcome = await this.attempt(
      {
        operation: 'session.create',
        method: 'POST',
        path: '/api/session',
        expectedStatus: 201,
        schema: SessionTokenSchema,
      },
      { authorization: this.basicAuthorization },
      1,
    );
    // A 401 on login means bad credentials, not an expired session.
    if (outcome.kind === 'unauthenticated') throw this.apiError('session.create', outcome.exchange);
    this.redactor.add(outcome.value);
    return outcome.value;
  }

  /**
   * One HTTP exchange: sends, checks the status, parses the body, and reports the exchange to the
   * metrics hook and as a trace span. `attempt` counts the sends of one call (2: after a re-login).
   */
  private async attempt<T>(
    spec: CallSpec<T>,
    authHeaders: Record<string, string>,
    attempt: number,
  ): Promise<Attempt<T>> {
    const span = startRequestSpan(spec.operation, spec.method, attempt);
    const started = performance.now();
    let status: number | undefined;
    let failure: unknown;
    try {
      const headers: Record<string, string> = { accept: 'application/json', ...authHeaders };
      let body: string | undefined;
      if (spec.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(spec.body);
      }
      const exchange = await this.transport.exchange({
        operation: spec.operation,
        method: spec.method,
        path: spec.path,
        headers,
        body,
        headersTimeoutMs: spec.headersTimeoutMs,
        bodyTimeoutMs: spec.bodyTimeoutMs,
      });
      status = exchange.status;
      if (exchange.status === 401) return { kind: 'unauthenticated', exchange };
      if (exchange.status !== spec.expectedStatus) throw this.apiError(spec.operation, exchange);
      return { kind: 'ok', value: this.parseSuccess(spec, exchange), date: exchange.date };
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      this.report(spec, started, status, failure);
      endRequestSpan(span, status, failure === undefined ? undefined : describeError(failure));
    }
  }

  private parseSuccess<T>(spec: CallSpec<T>, exchange: HttpExchange): T {
    if (spec.schema === undefined) return undefined as T;
    const json = parseJson(exchange.text);
    if (!json.ok) {
      // A login body is the session token itself, so it is never quoted.
      const quotable = spec.operation !== 'session.create';
      throw new VcenterResponseError({
        operation: spec.operation,
        status: exchange.status,
        problems: [describeInvalidJson(exchange.text, exchange.contentType, this.redactor, quotable)],
      });
    }
    const parsed = spec.schema.safeParse(json.value);
    if (!parsed.success) {
      throw new VcenterResponseError({
        operation: spec.operation,
        status: exchange.status,
        problems: describeIssues(parsed.error.issues).map((line) => this.redactor.redact(line)),
      });
    }
    return parsed.data;
  }

  /** Builds the error for an unexpected status from the vAPI error body, or from an excerpt when there is none. */
  private apiError(operation: VcenterOperation, exchange: HttpExchange): VcenterApiError {
    const json = parseJson(exchange.text);
    const parsed = json.ok ? VapiStdErrorsErrorSchema.safeParse(json.value) : undefined;
    if (parsed?.success === true) {
      return new VcenterApiError({
        operation,
        status: exchange.status,
        errorType: parsed.data.error_type ?? undefined,
        messages: parsed.data.messages.map((message) => this.redactor.redact(message.default_message)),
        vapiBody: true,
      });
    }
    const loose = json.ok ? looseErrorFields(json.value) : undefined;
    if (loose !== undefined) {
      return new VcenterApiError({
        operation,
        status: exchange.status,
        errorType: loose.errorType,
        messages: loose.messages.map((message) => this.redactor.redact(message)),
      });
    }
    // A login's body is never quoted, unless it is one of Envoy's fixed outage texts (no secret can be in it).
    const quotable = operation !== 'session.create' || isEnvoyOutageBody(exchange.text);
    const excerpt = quotable ? safeExcerpt(exchange.text, this.redactor) : undefined;
    return new VcenterApiError({ operation, status: exchange.status, bodyExcerpt: excerpt || undefined });
  }

  private report<T>(spec: CallSpec<T>, started: number, status: number | undefined, failure: unknown): void {
    const durationMs = Math.round(performance.now() - started);
    const error = failure === undefined ? undefined : describeError(failure);
    this.logger?.debug('vCenter request', {
      operation: spec.operation,
      method: spec.method,
      path: spec.path,
      status,
      durationMs,
      ...(error === undefined ? {} : { error }),
    });
    if (this.onRequest === undefined) return;
    const event: VcenterRequestEvent = { operation: spec.operation, method: spec.method, durationMs };
    if (status !== undefined) event.status = status;
    if (error !== undefined) event.error = error;
    try {
      this.onRequest(event);
    } catch (hookError) {
      this.logger?.warn('vCenter request hook failed', { error: describeError(hookError) });
    }
  }

  private assertOpen(operation: VcenterOperation): void {
    if (this.closed) throw new VcenterClientClosedError(operation);
  }
}

/**
 * Salvages `error_type` and message texts from an error body that does not fully match the vAPI schema (e.g. a
 * message without `args`), so the caller still learns what vCenter said.
 */
function looseErrorFields(value: unknown): { errorType: string | undefined; messages: string[] } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const errorType = typeof record.error_type === 'string' ? record.error_type : undefined;
  const messages = Array.isArray(record.messages)
    ? record.messages.flatMap((message: unknown) => {
        const text = (message as { default_message?: unknown } | null)?.default_message;
        return typeof text === 'string' ? [text] : [];
      })
    : [];
  if (errorType === undefined && messages.length === 0) return undefined;
  return { errorType, messages };
}

/** A successful attempt's value with vCenter's time, when its `Date` header reads as one. */
function timed<T>(ok: { value: T; date: string | undefined }): Timed<T> {
  const at = ok.date === undefined ? NaN : Date.parse(ok.date);
  return Number.isFinite(at) ? { value: ok.value, vcenterTime: new Date(at) } : { value: ok.value };
}

/** A short, secret-free label of an error for logs and metrics. */
function describeError(error: unknown): string {
  if (error instanceof VcenterError) {
    const reason = (error as { reason?: unknown }).reason;
    return typeof reason === 'string' ? `${error.name}:${reason}` : error.name;
  }
  return error instanceof Error ? error.name : 'unknown';
}

async function withDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
