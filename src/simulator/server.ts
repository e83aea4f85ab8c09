/**
 * Starts a simulator: builds the cluster models and serves them over HTTP(S), either one port
 * per cluster (with a separate admin port) or every cluster on one shared port under `/vc/<name>`.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomInt } from 'node:crypto';
import { SimClock } from './model/clock';
import { SimCluster } from './model/cluster';
import { HA_NETWORKS } from './model/cluster-state';
import type { SimCounters } from './model/counters';
import { SequenceCounter, type SimRequestRecord } from './model/request-log';
import { TaskIdSequence } from './model/tasks';
import { DEFAULT_TIMING, mergeTiming, type SimTiming } from './model/timing';
import { DEFAULT_PASSWORD, DEFAULT_USERNAME } from './model/users';
import { serveAdminRequest, type AdminTarget } from './http/admin';
import { serveApiRequest } from './http/api-pipeline';
import { sendApiResponse } from './http/api-response';
import { simpleError } from './http/errors';
import { ClusterListeners } from './http/cluster-listeners';
import { createServer, listen, shutDown, type TlsOptions } from './http/listener';
import { scenarioSchema, validateWith, type ClusterScenarioInput, type UserScenario } from './scenario';

/** How clusters are exposed. */
export type SimulatorLayout = 'port-per-cluster' | 'shared-port';

/** Options of `startSimulator`. */
export interface SimulatorOptions {
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Default `port-per-cluster`. */
  layout?: SimulatorLayout;
  /** Shared-port layout: the port of everything; port-per-cluster: the admin port. 0 = any free port. */
  port?: number;
  /** Port-per-cluster: give the i-th cluster port `clusterBasePort + i` unless its scenario names one. */
  clusterBasePort?: number;
  /** Clusters by name with their scenario, or just names (healthy defaults). */
  clusters: Record<string, ClusterScenarioInput> | string[];
  /** Administrator account (default administrator@vsphere.local / VMware1!). */
  username?: string;
  password?: string;
  /** Additional accounts for every cluster. */
  users?: Record<string, UserScenario>;
  /** Multiplier applied to every simulated duration (default 1). */
  timeScale?: number;
  /** Simulated durations for every cluster (a cluster's scenario may override them). */
  timing?: Partial<SimTiming>;
  /** Serve HTTPS with this PEM key and certificate. */
  tls?: TlsOptions;
  /** Requests kept in each cluster's log (default 1000). */
  requestLogCapacity?: number;
}

/** A running simulator. */
export interface Simulator {
  readonly layout: SimulatorLayout;
  /** Base URL of the admin API (`…/__sim`). */
  readonly adminUrl: string;
  /** Administrator credentials. */
  readonly username: string;
  readonly password: string;
  /** Base URL of a cluster's API; API paths (`/api/...`) are appended to it. */
  urlFor(cluster: string): string;
  /**
   * Where a cluster answers now: its base URL, or (port-per-cluster layout) the URL at the active
   * node's failover IP while a node that has one is active.
   */
  servingUrlFor(cluster: string): string;
  /** The URLs of a cluster's aliases (port-per-cluster layout), which reach the same vCenter as `urlFor`. */
  aliasUrlsFor(cluster: string): string[];
  /** Names of the clusters, in scenario order. */
  clusterNames(): string[];
  /** The model of a cluster, to read state and set faults in-process. */
  cluster(name: string): SimCluster;
  /** Counters of a cluster. */
  counters(name: string): SimCounters;
  /** Request log of one cluster, or of all clusters merged in arrival order. */
  requestLog(name?: string): SimRequestRecord[];
  /** Restores every cluster as its scenario defined it (resolves once every API is back). */
  resetAll(): Promise<void>;
  /** Stops every listener and timer. */
  close(): Promise<void>;
}

const SHARED_PREFIX = '/vc/';
const ADMIN_PREFIX = '/__sim';

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function notFound(res: ServerResponse, method: string, path: string): void {
  sendApiResponse(
    res,
    simpleError('NOT_FOUND', 'vapi.operation.not_found', `No operation matches ${method} ${path}.`, [method, path]),
  );
}

function isAdminPath(url: string): boolean {
  return url === ADMIN_PREFIX || url.startsWith(`${ADMIN_PREFIX}/`) || url.startsWith(`${ADMIN_PREFIX}?`);
}

class RunningSimulator implements Simulator, AdminTarget {
  readonly clusters = new Map<string, SimCluster>();
  readonly clusterPorts = new Map<string, number>();
  readonly listeners = new Map<string, ClusterListeners>();
  readonly servers: Server[] = [];
  adminUrl = '';
  private baseUrl = '';

  constructor(
    readonly layout: SimulatorLayout,
    readonly username: string,
    readonly password: string,
    private readonly scheme: 'http' | 'https',
    private readonly host: string,
  ) {}

  urlFor(cluster: string): string {
    this.cluster(cluster);
    if (this.layout === 'shared-port') return `${this.baseUrl}${SHARED_PREFIX}${cluster}`;
    return `${this.scheme}://${hostForUrl(this.host)}:${this.clusterPorts.get(cluster)}`;
  }

  servingUrlFor(cluster: string): string {
    const listeners = this.listeners.get(cluster);
    if (!listeners) return this.urlFor(cluster);
    return `${this.scheme}://${hostForUrl(listeners.servingAddress)}:${listeners.port}`;
  }

  aliasUrlsFor(cluster: string): string[] {
    const listeners = this.listeners.get(cluster);
    if (!listeners) return [];
    return this.cluster(cluster).aliases.map((alias) => `${this.scheme}://${hostForUrl(alias)}:${listeners.port}`);
  }

  clusterNames(): string[] {
    return [...this.clusters.keys()];
  }

  findCluster(name: string): SimCluster | undefined {
    return this.clusters.get(name);
  }

  cluster(name: string): SimCluster {
    const cluster = this.clusters.get(name);
    if (!cluster) throw new Error(`unknown cluster ${JSON.stringify(name)}`);
    return cluster;
  }

  counters(name: string): SimCounters {
    return this.cluster(name).counters();
  }

  requestLog(name?: string): SimRequestRecord[] {
    if (name !== undefined) return this.cluster(name).requestLog();
    return [...this.clusters.values()].flatMap((c) => c.requestLog()).sort((a, b) => a.seq - b.seq);
  }

  async resetAll(): Promise<void> {
    await Promise.all([...this.clusters.values()].map((cluster) => cluster.reset()));
  }

  async close(): Promise<void> {
    for (const cluster of this.clusters.values()) cluster.dispose();
    await Promise.all([
      ...[...this.listeners.values()].map((l) => l.shutDown()),
      ...this.servers.map((s) => shutDown(s)),
    ]);
  }

  /** Admin requests on the admin port (port-per-cluster) or the shared port. */
  serveAdmin(req: IncomingMessage, res: ServerResponse): Promise<void> | void {
    const url = req.url ?? '/';
    if (!isAdminPath(url)) return notFound(res, req.method ?? 'GET', url);
    return serveAdminRequest(this, req, res, url.slice(ADMIN_PREFIX.length));
  }

  /** Every request on the shared port: admin, or `/vc/<cluster>/api/...`. */
  serveShared(req: IncomingMessage, res: ServerResponse): Promise<void> | void {
    const url = req.url ?? '/';
    if (isAdminPath(url)) return this.serveAdmin(req, res);
    if (url.startsWith(SHARED_PREFIX)) {
      const slash = url.indexOf('/', SHARED_PREFIX.length);
      const name = url.slice(SHARED_PREFIX.length, slash < 0 ? undefined : slash);
      const cluster = this.clusters.get(name);
      if (cluster && slash >= 0) return serveApiRequest(cluster, req, res, url.slice(slash));
    }
    return notFound(res, req.method ?? 'GET', url);
  }

  async startSharedPort(port: number, tls: TlsOptions | undefined): Promise<void> {
    const server = createServer(tls, (req, res) => this.serveShared(req, res));
    this.servers.push(server);
    const bound = await listen(server, this.host, port);
    this.baseUrl = `${this.scheme}://${hostForUrl(this.host)}:${bound}`;
    this.adminUrl = `${this.baseUrl}${ADMIN_PREFIX}`;
  }

  async startPortPerCluster(
    adminPort: number,
    basePort: number | undefined,
    tls: TlsOptions | undefined,
  ): Promise<void> {
    const admin = createServer(tls, (req, res) => this.serveAdmin(req, res));
    this.servers.push(admin);
    const boundAdmin = await listen(admin, this.host, adminPort);
    this.baseUrl = `${this.scheme}://${hostForUrl(this.host)}:${boundAdmin}`;
    this.adminUrl = `${this.baseUrl}${ADMIN_PREFIX}`;
    let index = 0;
    for (const cluster of this.clusters.values()) {
      const listeners: ClusterListeners = new ClusterListeners(
        () =>
          createServer(tls, (req, res) =>
            // An address the cluster left as a blackhole accepts the request and never answers it.
            listeners.answers(req.socket.localAddress) ? serveApiRequest(cluster, req, res, req.url ?? '/') : undefined,
          ),
        this.host,
        cluster.aliases,
      );
      this.listeners.set(cluster.name, listeners);
      const port = cluster.requestedPort ?? (basePort ? basePort + index : 0);
      this.clusterPorts.set(cluster.name, await listeners.start(port));
      cluster.attachTransport(listeners);
      index += 1;
    }
  }
}

/** Starts a simulator with the given clusters and serves it until `close()`. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const validated = validateWith(
    scenarioSchema,
    {
      clusters: options.clusters,
      ...(options.users !== undefined ? { users: options.users } : {}),
      ...(options.timing !== undefined ? { timing: options.timing } : {}),
      ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
      ...(options.layout !== undefined ? { layout: options.layout } : {}),
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
    },
    'simulator options',
  );
  const layout = validated.layout ?? 'port-per-cluster';
  const host = options.host ?? '127.0.0.1';
  const admin = { username: validated.username ?? DEFAULT_USERNAME, password: validated.password ?? DEFAULT_PASSWORD };
  const simulator = new RunningSimulator(layout, admin.username, admin.password, options.tls ? 'https' : 'http', host);
  const context = {
    clock: new SimClock(validated.timeScale ?? 1),
    taskIds: new TaskIdSequence(),
    logSequence: new SequenceCounter(),
    admin,
    users: validated.users ?? {},
    timing: mergeTiming(DEFAULT_TIMING, validated.timing),
    requestLogCapacity: options.requestLogCapacity ?? 1000,
    // Each simulator its own range of VCHA addresses: the worker identifies a cluster by them, and
    // two simulators on one Temporal server (parallel tests) must not look like one cluster.
    haNetworkBase: randomInt(HA_NETWORKS),
  };
  let index = 0;
  for (const [name, scenario] of Object.entries(validated.clusters)) {
    simulator.clusters.set(name, new SimCluster(name, index, scenario, context));
    index += 1;
  }
  try {
    if (layout === 'shared-port') await simulator.startSharedPort(options.port ?? 0, options.tls);
    else await simulator.startPortPerCluster(options.port ?? 0, options.clusterBasePort, options.tls);
  } catch (error) {
    await simulator.close();
    throw error;
  }
  return simulator;
}
