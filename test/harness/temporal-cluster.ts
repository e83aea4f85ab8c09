/**
 * A real two-node Temporal cluster on a throwaway PostgreSQL, on loopback, for the cluster tests
 * and `npm run bench -- --server cluster`: the schema made by `temporal-sql-tool`, two full server
 * nodes (127.0.0.1 and 127.0.0.2, all four services each, ringpop membership through PostgreSQL)
 * reading the compose server's dynamic config file (plus any settings the caller adds), the
 * `default` namespace, and the search attributes registered with the compose `search-attributes`
 * job's own command. A TCP balancer in front of both frontends gives clients one address. Nodes
 * can be SIGKILLed and started again; `stop` ends every process and deletes every file, and so
 * does this process ending early.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { parse, stringify } from 'yaml';
import { freePort, stopProcess } from '../../src/devtools/dev-server';
import { resolveTemporalCli } from '../../src/devtools/temporal-cli';
import { resolveTemporalServer } from '../../src/devtools/temporal-server';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../src/contract';
import { startThrowawayPostgres, TEST_ROLE, type ThrowawayPostgres } from '../audit/throwaway-postgres';
import { guardProcessEnd } from './process-end';
import { startTcpBalancer, type TcpBalancer } from './tcp-balancer';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..');

/** The file the compose server mounts as its dynamic config; every node reads it too. */
export const COMPOSE_DYNAMIC_CONFIG = path.join(root, 'deploy', 'temporal', 'dynamicconfig.yaml');

/** The loopback addresses of the two nodes (Linux answers on all of 127/8). */
const NODE_IPS = ['127.0.0.1', '127.0.0.2'] as const;
const SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
const NAMESPACE = 'default';
/** What compose's auto-setup gives `default` (its DEFAULT_NAMESPACE_RETENTION). */
const NAMESPACE_RETENTION = '24h';

/** One server node: its own process, config and log. */
export interface ClusterNode {
  name: string;
  ip: string;
  /** `ip:port` of this node's frontend. */
  frontendAddress: string;
  logFile: string;
  /** The running process's id, or undefined while it is down. */
  pid(): number | undefined;
  running(): boolean;
  /** Kills the process (SIGKILL by default: no goodbye to the membership ring). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the process again with the same config and waits until its frontend serves `default`. */
  start(): Promise<void>;
}

/** A running cluster. */
export interface TemporalCluster {
  /** The balancer's address: the one address workers, clients and the CLI use. */
  address: string;
  namespace: string;
  nodes: readonly ClusterNode[];
  balancer: TcpBalancer;
  postgres: Pick<ThrowawayPostgres, 'url' | 'port' | 'dir'>;
  /** The `temporal` CLI the harness ran its setup commands with. */
  cli: string;
  /** The server's `--version` line. */
  serverVersion: string;
  /** The postmaster's process id (its backends are its children). */
  postgresPid(): number | undefined;
  /** Stops every node, the balancer and PostgreSQL, and deletes the cluster's files. */
  stop(): Promise<void>;
}

/** How to start the cluster. */
export interface ClusterOptions {
  /** History shards (fixed for the cluster's life); 16 by default. */
  historyShards?: number;
  /**
   * Settings on top of the compose dynamic config, for a cluster started for one test (the upgrade
   * test's fast drainage): the nodes then read a copy of the file with these entries added or
   * replaced, each as one unconstrained value.
   */
  dynamicConfig?: Readonly<Record<string, unknown>>;
  /** Progress lines; quiet by default. */
  log?: (line: string) => void;
}

function persistence(pg: ThrowawayPostgres, shards: number) {
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `127.0.0.1:${pg.port}`,
      connectProtocol: 'tcp',
      user: TEST_ROLE,
      // Trust authentication: the server must send a password, PostgreSQL ignores it.
      password: 'unused',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  return {
    defaultStore: 'default',
    visibilityStore: 'visibility',
    numHistoryShards: shards,
    datastores: { default: store('temporal', 20), visibility: store('temporal_visibility', 10) },
  };
}

/** A node's config, shaped like the server's own `development-postgres12.yaml`. */
function nodeConfig(options: {
  ip: string;
  ports: Record<(typeof SERVICES)[number], { grpcPort: number; membershipPort: number }> & { http: number };
  pg: ThrowawayPostgres;
  shards: number;
  clusterAddress: string;
  dynamicConfigFile: string;
}) {
  const services = Object.fromEntries(
    SERVICES.map((service) => [
      service,
      {
        rpc: {
          ...options.ports[service],
          bindOnIP: options.ip,
          ...(service === 'frontend' ? { httpPort: options.ports.http } : {}),
        },
      },
    ]),
  );
  return {
    log: { stdout: true, level: 'warn' },
    persistence: persistence(options.pg, options.shards),
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: options.ip } },
    services,
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: options.clusterAddress },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: options.dynamicConfigFile, pollInterval: '10s' },
  };
}

/**
 * The dynamic config file the nodes read: the compose file itself, or a copy in `dir` with
 * `extra` added (each key's value list replaced by the one value given).
 */
function dynamicConfigFile(dir: string, extra: Readonly<Record<string, unknown>> | undefined): string {
  if (!extra || Object.keys(extra).length === 0) return COMPOSE_DYNAMIC_CONFIG;
  const settings = (parse(readFileSync(COMPOSE_DYNAMIC_CONFIG, 'utf8')) ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(extra)) settings[key] = [{ value }];
  const file = path.join(dir, 'dynamicconfig.yaml');
  writeFileSync(file, stringify(settings));
  return file;
}

/** Whether `port` can be bound on `ip` right now. */
function canBind(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, ip, () => server.close(() => resolve(true)));
  });
}

/**
 * A free port below 32768: the server stores membership ports in a PostgreSQL smallint, and
 * Linux hands out ephemeral ports from 32768 up, so those ports would fail its membership upsert.
 */
async function freeMembershipPort(ip: string, taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!taken.has(port) && (await canBind(ip, port))) {
      taken.add(port);
      return port;
    }
  }
}

async function nodePorts(ip: string, taken: Set<number>) {
  const pair = async () => ({ grpcPort: await freePort(ip), membershipPort: await freeMembershipPort(ip, taken) });
  return {
    frontend: await pair(),
    history: await pair(),
    matching: await pair(),
    worker: await pair(),
    http: await freePort(ip),
  };
}

/** The last lines of a node's log, each JSON line shortened to its level, message and error. */
function tail(file: string, lines = 12): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return '(no log)';
  }
  return text
    .trim()
    .split('\n')
    .slice(-lines)
    .map((line) => {
      try {
        const entry = JSON.parse(line) as { level?: string; msg?: string; error?: string };
        return `${entry.level}: ${entry.msg}${entry.error ? ` (${entry.error})` : ''}`;
      } catch {
        return line;
      }
    })
    .join('\n');
}

/** Polls `check` every 250 ms until it resolves; rejects with `what` and the last error after `timeoutMs`. */
async function retryUntil(
  what: string,
  timeoutMs: number,
  check: () => Promise<void>,
  abort?: () => string | undefined,
) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const aborted = abort?.();
    if (aborted) throw new Error(`${what}: ${aborted}`);
    try {
      await check();
      return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms failed: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Runs `check` with a connection to `address`, closing it afterwards. */
async function withConnection(address: string, check: (connection: Connection) => Promise<void>): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  try {
    await check(connection);
  } finally {
    await connection.close();
  }
}

/** The compose `search-attributes` job's shell command, as the container's shell receives it. */
export function composeSearchAttributeCommand(composeFile = path.join(root, 'docker-compose.yml')): string {
  const compose = parse(readFileSync(composeFile, 'utf8')) as {
    services: Record<string, { command?: string[] | string }>;
  };
  // `$$` is compose's escape for a literal `$`, which the shell then sees.
  const command = ([] as string[])
    .concat(compose.services['search-attributes']?.command ?? [])
    .join(' ')
    .replaceAll('$$', '$');
  if (!command.includes('temporal operator search-attribute create')) {
    throw new Error(
      `${composeFile}: the search-attributes job no longer runs \`temporal operator search-attribute create\``,
    );
  }
  return command;
}

/** Starts PostgreSQL, the schema, both nodes, the balancer, the namespace and the search attributes. */
export async function startTemporalCluster(options: ClusterOptions = {}): Promise<TemporalCluster> {
  const log = options.log ?? (() => {});
  const shards = options.historyShards ?? 16;
  const binaries = resolveTemporalServer({ log });
  const cli = resolveTemporalCli({ allowSdkDownload: false, log }).executable!;
  const dir = mkdtempSync(path.join(tmpdir(), 'vcha-cluster-'));
  const nodes: NodeHandle[] = [];
  let pg: ThrowawayPostgres | undefined;
  let balancer: TcpBalancer | undefined;
  // SIGKILL every node if this process ends without `stop` (a crashed or interrupted run). On a
  // signal PostgreSQL's own guard, registered later, still runs after this one.
  const unguard = guardProcessEnd(() => {
    for (const node of nodes) node.killSync();
    rmSync(dir, { recursive: true, force: true });
  });
  const stop = async () => {
    unguard();
    await balancer?.close();
    await Promise.all(nodes.map((node) => node.kill('SIGTERM')));
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    let phase = Date.now();
    const took = (what: string) => {
      log(`temporal-cluster: ${what} in ${Date.now() - phase} ms`);
      phase = Date.now();
    };
    // Two nodes hold ~70 connections; the default 100 leaves no room for restarts and the audit store.
    pg = await startThrowawayPostgres({ settings: ['max_connections = 300'] });
    took('PostgreSQL started');
    await createSchema(binaries.sqlTool.executable, pg);
    took('schema created');

    const configDir = path.join(dir, 'config');
    mkdirSync(configDir);
    const dynamicConfig = dynamicConfigFile(dir, options.dynamicConfig);
    const taken = new Set<number>();
    const allPorts = await Promise.all(NODE_IPS.map((ip) => nodePorts(ip, taken)));
    const frontends = NODE_IPS.map((ip, i) => `${ip}:${allPorts[i]!.frontend.grpcPort}`);
    NODE_IPS.forEach((ip, i) => {
      const config = nodeConfig({
        ip,
        ports: allPorts[i]!,
        pg: pg!,
        shards,
        clusterAddress: frontends[0]!,
        dynamicConfigFile: dynamicConfig,
      });
      writeFileSync(path.join(configDir, `node${i + 1}.yaml`), stringify(config));
      nodes.push(new NodeHandle(`node${i + 1}`, ip, frontends[i]!, binaries.server.executable, dir));
    });
    // The first node creates the cluster metadata; the second joins its ring.
    await nodes[0]!.start({ namespaceReady: false });
    await nodes[1]!.start({ namespaceReady: false });
    took('two nodes serving');

    balancer = await startTcpBalancer(frontends);
    const cliEnv = {
      ...process.env,
      PATH: `${path.dirname(cli)}${path.delimiter}${process.env.PATH ?? ''}`,
      TEMPORAL_ADDRESS: balancer.address,
    };
    const setupStep = (what: string, file: string, args: string[]) =>
      run(file, args, { env: cliEnv, encoding: 'utf8' }).catch((error: unknown) => {
        const { stderr, message } = error as { stderr?: string; message?: string };
        throw new Error(`${what} failed: ${(stderr || message || String(error)).trim()}`);
      });
    await setupStep(`creating the ${NAMESPACE} namespace`, cli, [
      ...['operator', 'namespace', 'create', '--namespace', NAMESPACE, '--retention', NAMESPACE_RETENTION],
    ]);
    await Promise.all(nodes.map((node) => node.waitForNamespace()));
    await setupStep('the compose search-attribute command', '/bin/sh', ['-c', composeSearchAttributeCommand()]);
    await Promise.all(nodes.map((node) => node.waitForSearchAttributes()));
    took(`namespace ${NAMESPACE} and search attributes registered`);

    const postmaster = path.join(pg.dir, 'data', 'postmaster.pid');
    return {
      address: balancer.address,
      namespace: NAMESPACE,
      nodes,
      balancer,
      postgres: { url: pg.url, port: pg.port, dir: pg.dir },
      cli,
      serverVersion: binaries.server.version,
      postgresPid: () => {
        try {
          return Number(readFileSync(postmaster, 'utf8').split('\n')[0]);
        } catch {
          return undefined;
        }
      },
      stop,
    };
  } catch (error) {
    const logs = nodes.map((node) => `${node.name}:\n${tail(node.logFile)}`).join('\n');
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}${logs ? `\n${logs}` : ''}`);
  }
}

/** The two databases and their schemas, as the issue's and compose's auto-setup steps make them. */
async function createSchema(sqlTool: string, pg: ThrowawayPostgres): Promise<void> {
  const base = ['--pl', 'postgres12', '--ep', '127.0.0.1', '-p', String(pg.port), '-u', TEST_ROLE, '--pw', 'unused'];
  const steps: [string, string[]][] = [];
  for (const [db, schema] of [
    ['temporal', 'postgresql/v12/temporal'],
    ['temporal_visibility', 'postgresql/v12/visibility'],
  ] as const) {
    steps.push([db, ['create']], [db, ['setup-schema', '-v', '0.0']], [db, ['update-schema', '--schema-name', schema]]);
  }
  for (const [db, args] of steps) {
    await run(sqlTool, [...base, '--db', db, ...args], { encoding: 'utf8' }).catch((error: unknown) => {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(
        `temporal-sql-tool ${args.join(' ')} on ${db} failed: ${(stderr || stdout || String(error)).trim()}`,
      );
    });
  }
}

/** A server node process the cluster owns. */
class NodeHandle implements ClusterNode {
  readonly logFile: string;
  private child: ChildProcess | undefined;

  constructor(
    readonly name: string,
    readonly ip: string,
    readonly frontendAddress: string,
    private readonly executable: string,
    private readonly dir: string,
  ) {
    this.logFile = path.join(dir, `${name}.log`);
  }

  pid(): number | undefined {
    return this.running() ? this.child?.pid : undefined;
  }

  running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(options: { namespaceReady?: boolean } = {}): Promise<void> {
    if (this.running()) throw new Error(`${this.name} is already running`);
    const out = openSync(this.logFile, 'a');
    const child = spawn(
      this.executable,
      ['--root', this.dir, '--config', 'config', '--env', this.name, '--allow-no-auth', 'start'],
      { cwd: this.dir, stdio: ['ignore', out, out] },
    );
    closeSync(out);
    this.child = child;
    const exited = () =>
      child.exitCode !== null || child.signalCode !== null
        ? `${this.name} exited (${child.exitCode ?? child.signalCode}):\n${tail(this.logFile)}`
        : undefined;
    await retryUntil(
      `${this.name} at ${this.frontendAddress} serving`,
      90_000,
      () => withConnection(this.frontendAddress, async (c) => void (await c.workflowService.getSystemInfo({}))),
      exited,
    );
    if (options.namespaceReady ?? true) await this.waitForNamespace();
  }

  /** Waits until this node's frontend knows the namespace (each frontend caches namespaces). */
  waitForNamespace(): Promise<void> {
    return retryUntil(`${this.name} knowing namespace ${NAMESPACE}`, 60_000, () =>
      withConnection(
        this.frontendAddress,
        async (c) => void (await c.workflowService.describeNamespace({ namespace: NAMESPACE })),
      ),
    );
  }

  /** Waits until this node lists every custom search attribute the product upserts. */
  waitForSearchAttributes(): Promise<void> {
    return retryUntil(`${this.name} listing the search attributes`, 60_000, () =>
      withConnection(this.frontendAddress, async (c) => {
        const listed = await c.operatorService.listSearchAttributes({ namespace: NAMESPACE });
        const missing = SEARCH_ATTRIBUTE_DEFINITIONS.filter(({ name }) => !(name in (listed.customAttributes ?? {})));
        if (missing.length > 0) throw new Error(`missing ${missing.map((m) => m.name).join(', ')}`);
      }),
    );
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.running()) return;
    if (signal === 'SIGTERM') return stopProcess(child, 10_000);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  killSync(): void {
    if (this.running()) this.child?.kill('SIGKILL');
  }
}
