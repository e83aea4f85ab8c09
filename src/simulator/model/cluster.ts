/**
 * One simulated VCHA cluster: the facade the HTTP layer, the admin API and in-process tests use.
 * It holds the cluster's parts (state, sessions, tasks, faults, counters, log: `cluster-parts.ts`),
 * its failover and mode operations (`cluster-operations.ts`) and its change feed, and delegates;
 * the HTTP layer only translates requests into calls on it and tells it what it answered.
 */
import {
  clusterScenarioSchema,
  ScenarioError,
  validateWith,
  type ClusterScenario,
  type ClusterScenarioInput,
  type UserScenario,
} from '../scenario';
import { TimerGroup } from './clock';
import { ChangeFeed } from './change-feed';
import {
  ClusterOperations,
  optional,
  type ClusterTransport,
  type FailoverStage,
  type TaskStartResult,
} from './cluster-operations';
import { partsFromScenario, type ClusterParts, type SimClusterContext } from './cluster-parts';
import {
  applyStatePatch,
  memberInRole,
  servedAddressOf,
  type ClusterMode,
  type ClusterState,
  type MemberName,
  type MemberState,
} from './cluster-state';
import { renderClusterInfo, type ClusterInfoWire } from './cluster-wire';
import { countExchange, type SimCounters } from './counters';
import type { FailoverTimeline } from './failover-timeline';
import { applyFaultPatch, takeRefusal, takeRule, type FaultRule, type FaultState } from './faults';
import type { SimRequestRecord } from './request-log';
import type { SimSession } from './sessions';
import {
  lastApplianceCheckAt,
  renderServiceInfo,
  type HealthColor,
  type ServiceInfoWire,
  type ServiceState,
} from './services';
import { renderTaskInfo, type CisTaskInfo, type TaskFilter } from './tasks';
import { mergeTiming, type SimTiming } from './timing';
import type { VcenterOperation } from '../../vcenter/operations';

/** A readable copy of a cluster's state, as the API would report it plus simulator internals. */
export interface SimClusterView {
  name: string;
  stage: FailoverStage;
  apiAvailable: boolean;
  mode: ClusterMode;
  configState: ClusterState['configState'];
  healthState: ClusterState['healthState'];
  healthException: string[];
  healthWarnings: string[];
  manualFailoverAllowed: boolean;
  autoFailoverAllowed: boolean;
  disabledOperations: string[];
  activeOperations: string[];
  members: Record<MemberName, MemberState>;
  activeNode?: 'node1' | 'node2';
  passiveNode?: 'node1' | 'node2';
  sessions: number;
  /** The state of each vCenter service of the active node. */
  services: Record<string, ServiceState>;
  /** The appliance's health as its last check reported it, and when that check ran (ISO time). */
  applianceHealth: { color: HealthColor; lastCheck: string };
  /** Whether the cluster's address answers nothing at all now (a `blackhole` fault rule). */
  blackholed: boolean;
}

/** What the HTTP layer reports about one answered (or abandoned) request. */
export type ExchangeReport = Omit<SimRequestRecord, 'seq' | 'cluster'>;

/** The simulated vCenter behind one VCHA cluster. */
export class SimCluster {
  private readonly timers: TimerGroup;
  private readonly feed: ChangeFeed<SimClusterView>;
  private parts: ClusterParts;
  private operations: ClusterOperations;
  private transport: ClusterTransport | undefined;
  // Real time until which a blackhole fault keeps the cluster's address silent.
  private blackholeUntil = 0;

  constructor(
    readonly name: string,
    private readonly index: number,
    private readonly definition: ClusterScenario,
    private readonly context: SimClusterContext,
  ) {
    this.timers = new TimerGroup(context.clock);
    this.feed = new ChangeFeed(
      () => this.snapshot(),
      (s) => `cluster ${this.name}: stage ${s.stage}, health ${s.healthState}, active ${s.activeNode ?? 'none'}`,
    );
    this.parts = partsFromScenario(name, index, definition, context);
    this.operations = this.operationsOn(this.parts);
  }

  private operationsOn(parts: ClusterParts): ClusterOperations {
    return new ClusterOperations(parts, {
      clock: this.context.clock,
      timers: this.timers,
      taskIds: this.context.taskIds,
      transport: () => this.transport,
      changed: () => this.feed.changed(),
    });
  }

  // ---- state readable by tests and the admin API ----

  /** Where the cluster is in the failover cycle. */
  get stage(): FailoverStage {
    return this.operations.stage;
  }

  /** False while the vCenter service is moving between nodes. */
  get apiAvailable(): boolean {
    return this.operations.apiAvailable;
  }

  /** Current faults (live object; change them through `configure`). */
  get faults(): Readonly<FaultState> {
    return this.parts.faults;
  }

  /** Current timing of this cluster. */
  get timing(): Readonly<SimTiming> {
    return this.parts.timing;
  }

  /** Timers this cluster has scheduled; zero whenever nothing is in progress. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** The port this cluster asked for in its scenario (port-per-cluster layout). */
  get requestedPort(): number | undefined {
    return this.definition.port;
  }

  /** The other addresses this cluster answers at besides its public one (port-per-cluster layout). */
  get aliases(): readonly string[] {
    return this.definition.aliases ?? [];
  }

  /** A copy of the counters. */
  counters(): SimCounters {
    return { ...this.parts.counters };
  }

  /** Accounts (without passwords). */
  describeUsers(): { username: string; privileges: string[] }[] {
    return this.parts.users.describe();
  }

  /** A copy of the cluster's state. */
  snapshot(): SimClusterView {
    const { state, sessions } = this.parts;
    const flags = this.operations.effectiveFlags();
    return {
      name: this.name,
      stage: this.operations.stage,
      apiAvailable: this.operations.apiAvailable,
      mode: state.mode,
      configState: state.configState,
      healthState: state.healthState,
      healthException: [...state.healthException],
      healthWarnings: [...state.healthWarnings],
      manualFailoverAllowed: flags.manualFailoverAllowed,
      autoFailoverAllowed: flags.autoFailoverAllowed,
      disabledOperations: [...state.disabledOperations],
      activeOperations: this.operations.activeOperations(),
      members: structuredClone(state.members),
      ...optional('activeNode', memberInRole(state, 'ACTIVE')),
      ...optional('passiveNode', memberInRole(state, 'PASSIVE')),
      sessions: sessions.size,
      services: Object.fromEntries([...state.services].map(([id, service]) => [id, service.state])),
      applianceHealth: this.applianceHealth(),
      blackholed: this.blackholed(),
    };
  }

  /** Every failover request so far, oldest first (refused ones included). */
  failovers(): FailoverTimeline[] {
    return this.parts.history.all();
  }

  /** The most recent failover request, if any. */
  lastFailover(): FailoverTimeline | undefined {
    return this.parts.history.last();
  }

  /** Logged requests, oldest first. */
  requestLog(): SimRequestRecord[] {
    return this.parts.log.entries();
  }

  /**
   * Resolves with the snapshot once `predicate` holds, re-checking on every state change;
   * rejects after `timeoutMs` real milliseconds.
   */
  waitFor(predicate: (snapshot: SimClusterView) => boolean, timeoutMs: number): Promise<SimClusterView> {
    return this.feed.waitFor(predicate, timeoutMs);
  }

  /**
   * Connects the transport that serves this cluster, so an outage closes it and the API counts as
   * back only once it really accepts connections again.
   */
  attachTransport(transport: ClusterTransport): void {
    this.transport = transport;
  }

  // ---- runtime control (admin API and in-process tests) ----

  /**
   * Changes state, users, timing and faults at runtime. `change` has the shape of a scenario
   * cluster entry (every field optional, lists replace lists); it is validated and a
   * ScenarioError names any bad field. The port cannot change at runtime.
   */
  configure(change: ClusterScenarioInput): void {
    const source = `change to cluster ${this.name}`;
    const patch: ClusterScenario = validateWith(clusterScenarioSchema, change, source);
    if (patch.port !== undefined) throw new ScenarioError(source, ['port: cannot be changed at runtime']);
    if (patch.aliases !== undefined) throw new ScenarioError(source, ['aliases: cannot be changed at runtime']);
    applyStatePatch(this.parts.state, patch);
    if (patch.users) for (const [username, spec] of Object.entries(patch.users)) this.parts.users.set(username, spec);
    if (patch.timing) this.parts.timing = mergeTiming(this.parts.timing, patch.timing);
    if (patch.faults?.rules?.some((rule) => rule.action === 'refuse') && !this.transport) {
      throw new ScenarioError(source, ['faults.rules: refuse needs the port-per-cluster layout (a port of its own)']);
    }
    applyFaultPatch(this.parts.faults, patch.faults);
    this.refuseNextIfDue();
    this.feed.changed();
  }

  /** Adds or replaces one account. */
  setUser(username: string, spec: UserScenario): void {
    this.parts.users.set(username, spec);
  }

  /**
   * Cancels anything in progress and restores the cluster exactly as its scenario defined it.
   * The state is restored at once; the promise resolves when the API accepts connections again
   * (it may have been in an outage).
   */
  reset(): Promise<void> {
    const wasAvailable = this.operations.apiAvailable;
    this.operations.dispose();
    this.timers.clear();
    this.blackholeUntil = 0;
    this.parts = partsFromScenario(this.name, this.index, this.definition, this.context);
    this.operations = this.operationsOn(this.parts);
    this.feed.changed();
    const transport = this.transport;
    if (!transport) return Promise.resolve();
    const active = memberInRole(this.parts.state, 'ACTIVE');
    const servedAt = active === undefined ? undefined : servedAddressOf(this.parts.state.members[active]);
    const reopened = transport
      .serveAt(servedAt, this.parts.faults.oldAddress)
      .then(() => Promise.all([transport.reopen('refusal'), wasAvailable ? undefined : transport.reopen('outage')]));
    return reopened.then(() => undefined).catch(() => undefined);
  }

  /** Cancels pending timers (simulator shutdown). */
  dispose(): void {
    this.operations.dispose();
    this.timers.clear();
    this.feed.close();
  }

  /** A request arrived: counts it and returns its place (1-based), which indexed fault rules match. */
  requestArrived(): number {
    this.parts.counters.requests += 1;
    return this.parts.counters.requests;
  }

  /** The fault rule for the `index`-th request, an `operation`, if one applies (used up by one). */
  faultFor(index: number, operation: VcenterOperation): FaultRule | undefined {
    return takeRule(this.parts.faults, index, operation);
  }

  /** Whether the cluster's address answers nothing at all now (a `blackhole` fault rule is in force). */
  blackholed(): boolean {
    return Date.now() < this.blackholeUntil;
  }

  /** From now on, for `realMs`, nothing this cluster receives is answered. */
  startBlackhole(realMs: number): void {
    this.blackholeUntil = Math.max(this.blackholeUntil, Date.now() + realMs);
    this.timers.afterReal(realMs, () => this.feed.changed());
    this.feed.changed();
  }

  /** Records how a request was answered: appended to the request log and counted. */
  recordExchange(report: ExchangeReport): void {
    countExchange(this.parts.counters, report);
    this.parts.log.add({ seq: this.context.logSequence.next(), cluster: this.name, ...report });
    this.refuseNextIfDue();
  }

  /**
   * Closes the port for a refuse rule aimed at the next request, once the answer before it is on
   * its way (so that answer still arrives, and the next request finds the port closed).
   */
  private refuseNextIfDue(): void {
    const refusal = takeRefusal(this.parts.faults, this.parts.counters.requests + 1);
    if (!refusal) return;
    const transport = this.transport;
    if (!transport) return;
    setImmediate(() => {
      void transport.close('refusal').catch(() => undefined);
      this.timers.afterReal(refusal.refuseMs, () => void transport.reopen('refusal').catch(() => undefined));
    });
  }

  // ---- the vCenter API, as called by the HTTP handlers ----

  /** Logs in; returns the session token, or undefined for missing or bad credentials. */
  login(credentials: { username: string; password: string } | undefined): string | undefined {
    const account = credentials && this.parts.users.verify(credentials.username, credentials.password);
    if (!account) {
      this.parts.counters.loginFailures += 1;
      return undefined;
    }
    this.parts.counters.logins += 1;
    return this.parts.sessions.create(account.username, this.context.clock.now());
  }

  /** Every session token this cluster has issued (recent ones), so tests can prove none leaked. */
  issuedTokens(): readonly string[] {
    return this.parts.sessions.issued();
  }

  /** The session behind a token, if it is valid on the node currently serving the API. */
  session(token: string | undefined): SimSession | undefined {
    return this.parts.sessions.touch(token, this.context.clock.now());
  }

  /** Ends a session; false if the token was unknown. */
  logout(token: string): boolean {
    return this.parts.sessions.delete(token);
  }

  /** Whether `username` holds `privilege` on this vCenter. */
  userHasPrivilege(username: string, privilege: string): boolean {
    return this.parts.users.hasPrivilege(username, privilege);
  }

  /** VcenterVchaClusterInfo. */
  clusterInfo(partial: boolean): ClusterInfoWire {
    return renderClusterInfo(this.name, this.parts.state, this.operations.effectiveFlags(), partial);
  }

  /** VcenterServicesServiceInfo of every service, by service id. */
  servicesInfo(): Record<string, ServiceInfoWire> {
    return Object.fromEntries(
      [...this.parts.state.services].map(([id, service]) => [id, renderServiceInfo(id, service)]),
    );
  }

  /** VcenterServicesServiceInfo of one service, if this vCenter has it. */
  serviceInfo(serviceId: string): ServiceInfoWire | undefined {
    const service = this.parts.state.services.get(serviceId);
    return service && renderServiceInfo(serviceId, service);
  }

  /** The datacenters (VcenterDatacenterSummary), or undefined while vpxd, which serves them, is not STARTED. */
  datacenters(): { datacenter: string; name: string }[] | undefined {
    if (this.parts.state.services.get('vpxd')?.state !== 'STARTED') return undefined;
    return [{ datacenter: 'datacenter-3', name: 'Datacenter' }];
  }

  /** The appliance health the last periodic check reported, and when it ran. */
  applianceHealth(): { color: HealthColor; lastCheck: string } {
    const { appliance } = this.parts.state;
    const lastCheckAt = lastApplianceCheckAt(appliance, this.context.clock.now());
    return { color: appliance.reported, lastCheck: new Date(lastCheckAt).toISOString() };
  }

  /** The cluster mode. */
  get mode(): ClusterMode {
    return this.parts.state.mode;
  }

  /** VcenterVchaOperationsInfo. */
  operationsInfo(): { disabled: string[]; active: string[] } {
    return { disabled: [...new Set(this.parts.state.disabledOperations)], active: this.operations.activeOperations() };
  }

  /** CisTaskInfo of a task this node knows. */
  taskInfo(taskId: string): CisTaskInfo | undefined {
    const task = this.parts.tasks.get(taskId);
    return task && renderTaskInfo(task, this.context.clock.now());
  }

  /** Tasks matching a filter, keyed by task id (without a running failover this vCenter hides). */
  listTasks(filter: TaskFilter): Record<string, CisTaskInfo> {
    const now = this.context.clock.now();
    const hidden = this.operations.hiddenTaskId();
    const listed = this.parts.tasks.list(filter).filter((task) => task.id !== hidden);
    return Object.fromEntries(listed.map((task) => [task.id, renderTaskInfo(task, now)]));
  }

  /** Starts a failover, or refuses it as a 500 error or as a task that will end FAILED. */
  requestFailover(user: string, planned: boolean): TaskStartResult {
    return this.operations.requestFailover(user, planned);
  }

  /** Starts a mode change task, or returns the error that prevents it. */
  requestModeChange(user: string, mode: ClusterMode): TaskStartResult {
    return this.operations.requestModeChange(user, mode);
  }
}
