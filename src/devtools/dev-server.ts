/**
 * Starts and stops a local `temporal server start-dev` process: used by the test runner (one
 * server per run), the demo and the benchmark. Owns the readiness wait and the clean stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../contract';
import { dynamicConfigKey, dynamicConfigValues } from './dynamic-config';

/** The `temporal` CLI's spelling of each search attribute type. */
const CLI_TYPE_NAMES: Record<string, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** Custom search attributes the product uses, as `Name=Type` for `--search-attribute`. */
const SEARCH_ATTRIBUTE_FLAGS: readonly string[] = SEARCH_ATTRIBUTE_DEFINITIONS.map(
  ({ name, type }) => `${name}=${CLI_TYPE_NAMES[type]}`,
);

/** How to start the dev server. */
export interface DevServerOptions {
  executable: string;
  ip?: string;
  /** gRPC port; a free one is picked when omitted. */
  port?: number;
  /** Serve the Web UI on this port; headless when omitted. */
  uiPort?: number;
  /** SQLite file for persistence; in-memory when omitted. */
  dbFilename?: string;
  namespace?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Readiness wait; 60 s by default because a loaded two-core machine can take a while. */
  readyTimeoutMs?: number;
  /** Eager activity execution (default: as deploy/temporal/dynamicconfig.yaml sets it, on). */
  eagerActivityExecution?: boolean;
  /** Dynamic config values (`KEY=JSON`) on top of deploy/temporal/dynamicconfig.yaml's; these win. */
  dynamicConfig?: string[];
}

/** A running dev server. */
export interface DevServer {
  address: string;
  namespace: string;
  uiUrl?: string;
  pid: number;
  stop(): Promise<void>;
}

/** The setting `eagerActivityExecution` overrides (see deploy/temporal/dynamicconfig.yaml). */
const EAGER_ACTIVITY_EXECUTION_KEY = 'system.enableActivityEagerExecution';

/**
 * The dynamic config a dev server starts with: the compose server's file, so both run with the same
 * settings, then the caller's values, one value per key (the last one given wins).
 */
export function devServerDynamicConfig(options: Pick<DevServerOptions, 'eagerActivityExecution' | 'dynamicConfig'>) {
  const values = [...dynamicConfigValues()];
  if (options.eagerActivityExecution !== undefined) {
    values.push(`${EAGER_ACTIVITY_EXECUTION_KEY}=${options.eagerActivityExecution}`);
  }
  values.push(...(options.dynamicConfig ?? []));
  const byKey = new Map(values.map((value) => [dynamicConfigKey(value), value]));
  return [...byKey.values()];
}

/** Picks a currently free TCP port on the given interface. */
export async function freePort(ip = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, ip, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** How often a server that died while starting is started again. */
const START_ATTEMPTS = 3;

/**
 * Starts the server and resolves once its frontend answers a namespace call. The CLI picks its
 * internal ports itself (free when it looks, maybe taken by another process when it binds), and
 * a lost race makes it exit while starting: it is then started again, on a new frontend port
 * unless the caller chose one.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServerOnce(options);
    } catch (error) {
      if (!(error instanceof DevServerExitedError) || attempt >= START_ATTEMPTS) throw error;
    }
  }
}

/** The server process ended before its frontend answered. */
class DevServerExitedError extends Error {}

async function startDevServerOnce(options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? (await freePort(ip));
  const namespace = options.namespace ?? 'default';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port)];
  // "default" always exists; naming it again is harmless but noisy.
  if (namespace !== 'default') args.push('--namespace', namespace);
  args.push('--log-level', options.logLevel ?? 'warn');
  if (options.uiPort !== undefined) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  for (const flag of SEARCH_ATTRIBUTE_FLAGS) args.push('--search-attribute', flag);
  for (const value of devServerDynamicConfig(options)) args.push('--dynamic-config-value', value);

  const child = spawn(options.executable, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4000);
  });
  const address = `${ip}:${port}`;
  const stop = () => stopProcess(child);

  try {
    await waitUntilReady(child, address, namespace, options.readyTimeoutMs ?? 60_000, () => stderrTail);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    address,
    namespace,
    uiUrl: options.uiPort !== undefined ? `http://${ip}:${options.uiPort}` : undefined,
    pid: child.pid ?? -1,
    stop,
  };
}

async function waitUntilReady(
  child: ChildProcess,
  address: string,
  namespace: string,
  timeoutMs: number,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  let lastError = '';
  while (Date.now() < deadline) {
    if (exited) throw new DevServerExitedError(`Temporal dev server ${exited} before it was ready: ${stderr().trim()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Temporal dev server at ${address} was not ready within ${timeoutMs} ms (${lastError})`);
}

/** SIGTERM, then SIGKILL after a grace period: a stop must never leave the server running. */
export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
