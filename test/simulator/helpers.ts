/**
 * Test helpers for the simulator: a small vCenter API caller that checks every response body
 * against the swagger, admin API calls, polling, a probe for refused connections, and a fast
 * simulator for a suite.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, beforeEach } from 'node:test';
import { fetch, type Dispatcher } from 'undici';
import { DEFAULT_PASSWORD, DEFAULT_USERNAME, startSimulator, type Simulator } from '../../src/simulator';
import { assertResponseMatchesSpec } from './swagger-validator';

/** A response as the tests see it. */
export interface CallResult {
  status: number;
  body: unknown;
  text: string;
  contentType: string;
}

/** Options of one API call. */
export interface CallOptions {
  body?: unknown;
  /** Session token to send; defaults to the caller's current token. */
  token?: string | null;
  basic?: { username: string; password: string };
  /** Check the body against the swagger (default true). */
  validate?: boolean;
}

/** HTTP status each vAPI error type travels with (CONTRACT.md). */
const STATUS_BY_ERROR_TYPE: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  NOT_ALLOWED_IN_CURRENT_STATE: 400,
  UNAUTHENTICATED: 401,
  UNAUTHORIZED: 403,
  NOT_FOUND: 404,
  ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
  TIMED_OUT: 504,
};

/** Calls one cluster's vCenter API the way a client would. */
export class VcenterCaller {
  token: string | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly dispatcher?: Dispatcher,
  ) {}

  /** Sends a request; by default validates the answer against the swagger (strictly). */
  async call(method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? this.token : options.token;
    if (token) headers['vmware-api-session-id'] = token;
    if (options.basic) {
      headers.authorization = `Basic ${Buffer.from(`${options.basic.username}:${options.basic.password}`).toString('base64')}`;
    }
    let payload: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(payload !== undefined ? { body: payload } : {}),
      ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    let body: unknown = undefined;
    if (text !== '' && contentType.includes('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    const result = { status: response.status, body, text, contentType };
    if (options.validate !== false) {
      assertResponseMatchesSpec(method, path, response.status, body, { strict: true });
      if (response.status >= 400) {
        const errorType = (body as { error_type?: string }).error_type ?? '';
        assert.equal(
          STATUS_BY_ERROR_TYPE[errorType],
          response.status,
          `error_type ${errorType} with status ${response.status}`,
        );
      }
    }
    return result;
  }

  /** Logs in and keeps the token for later calls. */
  async login(username = DEFAULT_USERNAME, password = DEFAULT_PASSWORD): Promise<string> {
    const result = await this.call('POST', '/api/session', { basic: { username, password }, token: null });
    assert.equal(result.status, 201, `login failed: ${result.text}`);
    assert.equal(typeof result.body, 'string');
    this.token = result.body as string;
    return this.token;
  }

  /** `POST /api/vcenter/vcha/cluster?action=get`. */
  clusterGet(partial?: boolean, token?: string | null): Promise<CallResult> {
    return this.call('POST', '/api/vcenter/vcha/cluster?action=get', {
      ...(partial === undefined ? {} : { body: { partial } }),
      ...(token === undefined ? {} : { token }),
    });
  }

  /** `POST /api/vcenter/vcha/cluster?action=failover&vmw-task=true`. */
  failover(planned: boolean): Promise<CallResult> {
    return this.call('POST', '/api/vcenter/vcha/cluster?action=failover&vmw-task=true', { body: { planned } });
  }

  /** `GET /api/cis/tasks/{task}`. */
  task(taskId: string, token?: string | null): Promise<CallResult> {
    return this.call('GET', `/api/cis/tasks/${encodeURIComponent(taskId)}`, token === undefined ? {} : { token });
  }

  /** `GET /api/vcenter/vcha/operations`. */
  operations(): Promise<CallResult> {
    return this.call('GET', '/api/vcenter/vcha/operations');
  }
}

/** Calls the simulator's admin API; `T` is the shape the test expects back. */
export async function admin<T = unknown>(
  sim: Simulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${sim.adminUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export { pollUntil } from '../harness/poll';

/** Resolves with the error code of a fresh TCP connection attempt, or `connected`. */
export function probeConnection(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

/** The error code behind a rejected fetch (`fetch failed` wraps it in `cause`). */
export async function fetchFailureCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? (error as { code?: string }).code ?? 'unknown';
  }
  return 'no-error';
}

/** The body of a rejected admin change. */
export interface AdminError {
  error: string;
  issues: string[];
}

/** Timing that makes a whole failover take about 1.5 s at time scale 0.01. */
export const FAST_TIMING = {
  flushMs: 40_000,
  switchOutageMs: 60_000,
  resyncMs: 50_000,
  taskStartMs: 1_000,
  refusalTaskMs: 2_000,
  modeChangeMs: 5_000,
};

/** The simulator and caller of a suite that useFastSimulator runs, set once the suite's `before` has run. */
export interface FastSimulatorSuite {
  sim: Simulator;
  vc: VcenterCaller;
}

/** Runs a FAST_TIMING simulator for the suite; its first cluster's caller is reset and logged in per test, or logged in once. */
export function useFastSimulator(
  clusters: [string, ...string[]],
  { resetEachTest = true }: { resetEachTest?: boolean } = {},
): FastSimulatorSuite {
  const suite = {} as FastSimulatorSuite;
  before(async () => {
    suite.sim = await startSimulator({ clusters, timeScale: 0.01, timing: FAST_TIMING });
    suite.vc = new VcenterCaller(suite.sim.urlFor(clusters[0]));
    if (!resetEachTest) await suite.vc.login();
  });
  if (resetEachTest) {
    beforeEach(async () => {
      assert.equal((await admin(suite.sim, 'POST', `/clusters/${clusters[0]}/reset`)).status, 200);
      await suite.vc.login();
    });
  }
  after(() => suite.sim.close());
  return suite;
}
