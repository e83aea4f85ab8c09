/**
 * A real two-node Temporal cluster on a throwaway PostgreSQL, on loopback, for the cluster tests
 * and `npm run bench -- --server cluster`, set up by the steps docker-compose.yml runs, read from
 * the compose file (test/harness/compose-steps.ts): the schema job's script
 * (deploy/temporal/setup-schema.sh, temporal-sql-tool), two full server nodes (127.0.0.1 and
 * 127.0.0.2, all four services each, ringpop membership through PostgreSQL) each started as the
 * server image starts it, from the compose config template and environment with only addresses,
 * ports, the database and the shard count replaced, and the setup job's script
 * (deploy/temporal/setup-namespace.sh, the temporal CLI: health, the `default` namespace, the
 * search attributes). The release is the one `TEMPORAL_SERVER_VERSION` selects. A TCP balancer in
 * front of both frontends gives clients one address. Nodes can be SIGKILLed and started again;
 * `stop` ends every process and deletes every file, and so does this process ending early.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
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
import { composeSteps, overrideEnvironment, type ComposeJob, type ComposeSteps } from './compose-steps';
import { guardProcessEnd } from './process-end';
import { startTcpBalancer, type TcpBalancer } from './tcp-balancer';

const run = promisify(execFile);
/** The loopback addresses of the two nodes (Linux answers on all of 127/8). */
const NODE_IPS = ['127.0.0.1', '127.0.0.2'] as const;
/** The server's four services; each node runs all of them, each on its own ports. */
type Service = 'frontend' | 'history' | 'matching' | 'worker';

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
  /** The release the nodes run (`TEMPORAL_SERVER_VERSION`), e.g. `1.32.1`. */
  serverRelease: string;
  /** Runs the compose `temporal-setup` job against the cluster again (it must be safe to rerun). */
  runComposeSetup(): Promise<void>;
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

/**
 * The server environment of one node: compose's, with the database, the node's addresses and
 * ports, the shard count and the dynamic config file replaced, and the log level lowered. Every
 * value the config template reads comes from here; nothing is inherited from this process.
 */
function nodeEnvironment(options: {
  steps: ComposeSteps;
  ip: string;
  ports: Record<Service, { grpcPort: number; membershipPort: number }> & { http: number };
  pg: ThrowawayPostgres;
  shards: number;
  clusterAddress: string;
  dynamicConfigFile: string;
}): Record<string, string> {
  const { ports } = options;
  return {
    ...overrideEnvironment('the temporal service', options.steps.server.environment, {
      BIND_ON_IP: options.ip,
      POSTGRES_SEEDS: '127.0.0.1',
      DB_PORT: String(options.pg.port),
      POSTGRES_USER: TEST_ROLE,
      // Trust authentication: the server must send a password, PostgreSQL ignores it.
      POSTGRES_PWD: 'unused',
      NUM_HISTORY_SHARDS: String(options.shards),
      DYNAMIC_CONFIG_FILE_PATH: options.dynamicConfigFile,
    }),
    // What compose leaves to the template's defaults or to the image's entrypoint.
    TEMPORAL_BROADCAST_ADDRESS: options.ip,
    CLUSTER_RPC_ADDRESS: options.clusterAddress,
    FRONTEND_GRPC_PORT: String(ports.frontend.grpcPort),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontend.membershipPort),
    FRONTEND_HTTP_PORT: String(ports.http),
    HISTORY_GRPC_PORT: String(ports.history.grpcPort),
    HISTORY_MEMBERSHIP_PORT: String(ports.history.membershipPort),
    MATCHING_GRPC_PORT: String(ports.matching.grpcPort),
    MATCHING_MEMBERSHIP_PORT: String(ports.matching.membershipPort),
    WORKER_GRPC_PORT: String(ports.worker.grpcPort),
    WORKER_MEMBERSHIP_PORT: String(ports.worker.membershipPort),
    LOG_LEVEL: 'warn',
  };
}

/**
 * The dynamic config file the nodes read: the compose file itself, or a copy in `dir` with
 * `extra` added (each key's value list replaced by the one value given).
 */
function dynamicConfigFile(
  composeFile: string,
  dir: string,
  extra: Readonly<Record<string, unknown>> | undefined,
): string {
  if (!extra || Object.keys(extra).length === 0) return composeFile;
  const settings = (parse(readFileSync(composeFile, 'utf8')) ?? {}) as Record<string, unknown>;
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

/**
 * Runs a compose job's script as its container would (`/bin/sh SCRIPT`), with compose's
 * environment plus `overrides`, and `bin` (the tools under their image names) first on PATH.
 */
async function runComposeJob(job: ComposeJob, bin: string, overrides: Record<string, string>): Promise<void> {
  const env = {
    ...process.env,
    ...overrideEnvironment(`the ${job.service} job`, job.environment, overrides),
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  await run('/bin/sh', [job.script], { env, encoding: 'utf8' }).catch((error: unknown) => {
    const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message?: string };
    throw new Error(
      `the compose ${job.service} job (${path.basename(job.script)}) failed: ${(stderr || stdout || message || String(error)).trim()}`,
    );
  });
}

/** Starts PostgreSQL, the schema, both nodes, the balancer, the namespace and the search attributes. */
export async function startTemporalCluster(options: ClusterOptions = {}): Promise<TemporalCluster> {
  const log = options.log ?? (() => {});
  const shards = options.historyShards ?? 16;
  const binaries = resolveTemporalServer({ log });
  const cli = resolveTemporalCli({ allowSdkDownload: false, log }).executable!;
  const steps = composeSteps();
  const namespace = steps.setup.environment.TEMPORAL_NAMESPACE;
  if (!namespace) throw new Error(`the compose ${steps.setup.service} job sets no TEMPORAL_NAMESPACE`);
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
    // The compose jobs call the tools by their image names.
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(binaries.sqlTool.executable, path.join(bin, 'temporal-sql-tool'));
    symlinkSync(cli, path.join(bin, 'temporal'));
    await runComposeJob(steps.schema, bin, {
      SQL_HOST: '127.0.0.1',
      SQL_PORT: String(pg.port),
      SQL_USER: TEST_ROLE,
      SQL_PASSWORD: 'unused',
    });
    took(`schema created (compose ${steps.schema.service} job)`);

    // Both nodes read the compose config template, where compose mounts it relative to their root.
    mkdirSync(path.join(dir, steps.server.configDir), { recursive: true });
    copyFileSync(
      steps.server.configTemplate,
      path.join(dir, steps.server.configDir, `${steps.server.configEnvironment}.yaml`),
    );
    const dynamicConfig = dynamicConfigFile(steps.server.dynamicConfig, dir, options.dynamicConfig);
    const taken = new Set<number>();
    const allPorts = await Promise.all(NODE_IPS.map((ip) => nodePorts(ip, taken)));
    const frontends = NODE_IPS.map((ip, i) => `${ip}:${allPorts[i]!.frontend.grpcPort}`);
    NODE_IPS.forEach((ip, i) => {
      const env = nodeEnvironment({
        steps,
        ip,
        ports: allPorts[i]!,
        pg: pg!,
        shards,
        clusterAddress: frontends[0]!,
        dynamicConfigFile: dynamicConfig,
      });
      nodes.push(new NodeHandle(`node${i + 1}`, ip, frontends[i]!, binaries.server.executable, dir, env, namespace));
    });
    // The first node creates the cluster metadata; the second joins its ring.
    await nodes[0]!.start({ namespaceReady: false });
    await nodes[1]!.start({ namespaceReady: false });
    took('two nodes serving');

    balancer = await startTcpBalancer(frontends);
    await runComposeJob(steps.setup, bin, { TEMPORAL_ADDRESS: balancer.address });
    // Each frontend caches namespaces and search attributes: wait until both know them.
    await Promise.all(nodes.map((node) => node.waitForNamespace()));
    await Promise.all(nodes.map((node) => node.waitForSearchAttributes()));
    took(`namespace ${namespace} and search attributes registered (compose ${steps.setup.service} job)`);

    const postmaster = path.join(pg.dir, 'data', 'postmaster.pid');
    return {
      address: balancer.address,
      namespace,
      nodes,
      balancer,
      postgres: { url: pg.url, port: pg.port, dir: pg.dir },
      cli,
      serverVersion: binaries.server.version,
      serverRelease: binaries.release,
      runComposeSetup: () => runComposeJob(steps.setup, path.join(dir, 'bin'), { TEMPORAL_ADDRESS: balancer!.address }),
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
    private readonly env: Readonly<Record<string, string>>,
    private readonly namespace: string,
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
    // What the server image's entrypoint runs, `temporal-server start`, with the cluster's folder as
    // the root the image has as its working directory; the rest of the config comes from the
    // environment.
    const child = spawn(this.executable, ['--root', this.dir, 'start'], {
      cwd: this.dir,
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', out, out],
    });
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
    return retryUntil(`${this.name} knowing namespace ${this.namespace}`, 60_000, () =>
      withConnection(
        this.frontendAddress,
        async (c) => void (await c.workflowService.describeNamespace({ namespace: this.namespace })),
      ),
    );
  }

  /** Waits until this node lists every custom search attribute the product upserts. */
  waitForSearchAttributes(): Promise<void> {
    return retryUntil(`${this.name} listing the search attributes`, 60_000, () =>
      withConnection(this.frontendAddress, async (c) => {
        const listed = await c.operatorService.listSearchAttributes({ namespace: this.namespace });
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
