/**
 * A small, scriptable stand-in for a vCenter's REST API, for client tests. It answers the calls the client makes
 * with spec-shaped bodies, enforces Basic login and session tokens, records every request, and lets a test replace
 * any route's answer (error statuses, malformed bodies, hangs, resets).
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, type Socket } from 'node:net';
import { clusterInfoExample, operationsInfoExample, taskInfoExample } from './examples';

/** A request as the fake received it; `path` excludes the base path prefix. */
export interface RecordedRequest {
  method: string;
  path: string;
  rawUrl: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Answers one request; may write to `res`, destroy the socket, or never answer. */
export type RouteHandler = (request: RecordedRequest, res: ServerResponse) => void | Promise<void>;

/** Options of {@link FakeVcenter.start}. */
export interface FakeVcenterOptions {
  username?: string;
  password?: string;
  /** Path prefix the fake serves under, e.g. `/vc/lab-01`. */
  prefix?: string;
  /** Serve HTTPS with this key and certificate. */
  tls?: { key: string; cert: string };
}

/** Sends a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Sends a vAPI standard error. */
export function sendVapiError(res: ServerResponse, status: number, errorType: string, message: string): void {
  sendJson(res, status, {
    error_type: errorType,
    messages: [{ id: `vapi.std.errors.${errorType.toLowerCase()}`, default_message: message, args: [] }],
  });
}

/** The scriptable fake vCenter. */
export class FakeVcenter {
  readonly requests: RecordedRequest[] = [];
  /** Tokens the fake currently accepts. */
  readonly validTokens = new Set<string>();
  /** How many TCP connections clients opened. */
  connectionCount = 0;
  /** Every token the fake ever issued. */
  readonly issuedTokens: string[] = [];
  readonly username: string;
  readonly password: string;
  private readonly overrides = new Map<string, RouteHandler>();
  private readonly sockets = new Set<Socket>();
  /** Connections an address change dropped: whatever arrives on them is never answered, nor reset. */
  private readonly silenced = new WeakSet<Socket>();
  private readonly scheme: 'http' | 'https';

  private constructor(
    private readonly server: Server,
    private readonly prefix: string,
    options: FakeVcenterOptions,
  ) {
    this.username = options.username ?? 'administrator@vsphere.local';
    this.password = options.password ?? 'Pa55-w0rd!secret';
    this.scheme = options.tls === undefined ? 'http' : 'https';
    // Plain and TLS servers both emit 'connection' for each TCP connection.
    server.on('connection', (socket: Socket) => {
      this.connectionCount += 1;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts a fake on 127.0.0.1 with an ephemeral port. */
  static async start(options: FakeVcenterOptions = {}): Promise<FakeVcenter> {
    const server = options.tls === undefined ? createHttpServer() : createHttpsServer(options.tls);
    const fake = new FakeVcenter(server, options.prefix ?? '', options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      void fake.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** Base URL of the fake, including its prefix. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `${this.scheme}://127.0.0.1:${port}${this.prefix}`;
  }

  /** Replaces the answer for `METHOD path` (path with query, without prefix), e.g. `GET /api/vcenter/vcha/operations`. */
  on(route: string, handler: RouteHandler): void {
    this.overrides.set(route, handler);
  }

  /**
   * Drops every open connection silently, as a moved address does: requests on them get no answer
   * and no reset; new connections are served as before.
   */
  dropConnectionsSilently(): void {
    for (const socket of this.sockets) this.silenced.add(socket);
  }

  /** How many connections are open now. */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Makes every issued session token unknown, as after a failover to the other node. */
  expireSessions(): void {
    this.validTokens.clear();
  }

  /** Requests for one route. */
  requestsFor(route: string): RecordedRequest[] {
    return this.requests.filter((request) => `${request.method} ${request.path}` === route);
  }

  /** Stops the fake, dropping open connections (including hung ones). */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.silenced.has(req.socket)) return;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawUrl = req.url ?? '/';
    const path = rawUrl.startsWith(this.prefix) ? rawUrl.slice(this.prefix.length) : rawUrl;
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      rawUrl,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(request);
    if (!rawUrl.startsWith(this.prefix)) return sendVapiError(res, 404, 'NOT_FOUND', 'outside the prefix');

    const route = `${request.method} ${request.path}`;
    if (route === 'POST /api/session') return this.login(request, res);
    if (!this.validTokens.has(String(request.headers['vmware-api-session-id']))) {
      return sendVapiError(res, 401, 'UNAUTHENTICATED', 'This method requires authentication.');
    }
    const override = this.overrides.get(route);
    if (override !== undefined) return override(request, res);
    return this.defaultRoute(route, request, res);
  }

  private login(request: RecordedRequest, res: ServerResponse): void {
    const override = this.overrides.get('POST /api/session');
    if (override !== undefined) {
      void override(request, res);
      return;
    }
    const expected = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    if (request.headers.authorization !== expected) {
      return sendVapiError(res, 401, 'UNAUTHENTICATED', 'Authentication required.');
    }
    const token = `tok-${randomBytes(12).toString('hex')}`;
    this.validTokens.add(token);
    this.issuedTokens.push(token);
    sendJson(res, 201, token);
  }

  private defaultRoute(route: string, request: RecordedRequest, res: ServerResponse): void {
    switch (route) {
      case 'DELETE /api/session':
        this.validTokens.delete(String(request.headers['vmware-api-session-id']));
        res.writeHead(204).end();
        return;
      case 'POST /api/vcenter/vcha/cluster?action=get':
        return sendJson(res, 200, clusterInfoExample());
      case 'GET /api/vcenter/vcha/cluster/mode':
        return sendJson(res, 200, { mode: 'ENABLED' });
      case 'GET /api/vcenter/vcha/operations':
        return sendJson(res, 200, operationsInfoExample());
      case 'POST /api/vcenter/vcha/cluster?action=failover&vmw-task=true':
        return sendJson(res, 202, 'task-1234:com.vmware.vcenter.vcha.cluster');
      case 'POST /api/cis/tasks?action=list':
        return sendJson(res, 200, { 'task-1234:com.vmware.vcenter.vcha.cluster': taskInfoExample() });
    }
    if (request.method === 'GET' && request.path.startsWith('/api/cis/tasks/')) {
      return sendJson(res, 200, taskInfoExample());
    }
    sendVapiError(res, 404, 'OPERATION_NOT_FOUND', `no route ${route}`);
  }
}
