/**
 * One simulated VCHA cluster: its state, the failover state machine, sessions, tasks, faults and
 * counters. The HTTP layer only translates requests into calls on this class.
 */
import { EventEmitter } from 'node:events';
import {
  clusterScenarioSchema,
  ScenarioError,
  validateWith,
  type ClusterScenario,
  type ClusterScenarioInput,
  type UserScenario,
} from '../scenario';
import type { SimClock } from './clock';
import { TimerGroup } from './clock';
import {
  applyStatePatch,
  buildClusterState,
  FAILOVER_OPERATION_ID,
  memberInRole,
  MODE_SET_OPERATION_ID,
  type ClusterMode,
  type ClusterState,
  type MemberName,
  type MemberState,
} from './cluster-state';
import { renderClusterInfo, type ClusterInfoWire } from './cluster-wire';
import { zeroCounters, type SimCounters } from './counters';
import { failoverBlockers } from './failover-rules';
import { FailoverHistory, type FailoverTimeline } from './failover-timeline';
import { applyFaultPatch, defaultFaults, type FaultState } from './faults';
import { RequestLog, type SequenceCounter, type SimRequestRecord } from './request-log';
import { SessionStore, type SimSession } from './sessions';
import {
  finishTask,
  markTaskRunning,
  renderTaskInfo,
  TaskStore,
  type CisTaskInfo,
  type SimTask,
  type TaskFilter,
  type TaskIdSequence,
} from './tasks';
import { mergeTiming, type SimTiming } from './timing';
import { UserDirectory } from './users';
import { localizable, vapiError, type VapiError } from './vapi-errors';

/** Where a cluster is in the failover cycle. */
export type FailoverPhase = 'idle' | 'starting' | 'flushing' | 'switching' | 'resyncing';

/** A readable copy of a cluster's state, as the API would report it plus simulator internals. */
export interface ClusterSnapshot {
  name: string;
  phase: FailoverPhase;
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
}

/** Result of starting a task-based operation: a task id, or an error to answer with. */
export type TaskStartResult = { kind: 'task'; taskId: string } | { kind: 'error'; error: VapiError };

/** The listener of a cluster that must close during an outage (port-per-cluster layout). */
export interface ClusterTransport {
  suspend(): Promise<void>;
  resume(): Promise<void>;
}

/** What a cluster needs from the simulator that owns it. */
export interface SimClusterContext {
  clock: SimClock;
  taskIds: TaskIdSequence;
  logSequence: SequenceCounter;
  admin: { username: string; password: string };
  users: Record<string, UserScenario>;
  timing: SimTiming;
  requestLogCapacity: number;
}

const FAILOVER_SERVICE = 'com.vmware.vcenter.vcha.cluster';
const MODE_SERVICE = 'com.vmware.vcenter.vcha.cluster.mode';

/** The simulated vCenter behind one VCHA cluster. */
export class SimCluster {
  /** Live counters; the HTTP layer increments the request-level ones. */
  readonly stats: SimCounters = zeroCounters();

  private readonly events = new EventEmitter();
  private readonly timers: TimerGroup;
  private readonly log: RequestLog;
  private readonly history = new FailoverHistory();
  private state: ClusterState;
  private faultState: FaultState = defaultFaults();
  private timingState: SimTiming;
  private users: UserDirectory;
  private readonly sessions = new SessionStore();
  private readonly tasks = new TaskStore();
  private phaseState: FailoverPhase = 'idle';
  private available = true;
  private modeTask: SimTask | undefined;
  private transport: ClusterTransport | undefined;
  // Bumped by reset() so continuations of a cancelled failover do nothing.
  private generation = 0;

  constructor(
    readonly name: string,
    private readonly index: number,
    private readonly definition: ClusterScenario,
    private readonly context: SimClusterContext,
  ) {
    this.events.setMaxListeners(0);
    this.timers = new TimerGroup(context.clock);
    this.log = new RequestLog(context.requestLogCapacity);
    this.state = buildClusterState(name, index, definition);
    this.timingState = mergeTiming(context.timing, definition.timing);
    this.users = new UserDirectory(context.admin, { ...context.users, ...definition.users });
    applyFaultPatch(this.faultState, definition.faults);
  }

  // ---- state readable by tests and the admin API ----

  /** Where the cluster is in the failover cycle. */
  get phase(): FailoverPhase {
    return this.phaseState;
  }

  /** False while the vCenter service is moving between nodes. */
  get apiAvailable(): boolean {
    return this.available;
  }

  /** Current faults (live object; change them through `configure`). */
  get faults(): Readonly<FaultState> {
    return this.faultState;
  }

  /** Current timing of this cluster. */
  get timing(): Readonly<SimTiming> {
    return this.timingState;
  }

  /** Timers this cluster has scheduled; zero whenever nothing is in progress. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** The port this cluster asked for in its scenario (port-per-cluster layout). */
  get requestedPort(): number | undefined {
    return this.definition.port;
  }

  /** A copy of the counters. */
  counters(): SimCounters {
    return { ...this.stats };
  }

  /** Accounts (without passwords). */
  describeUsers(): { username: string; privileges: string[] }[] {
    return this.users.describe();
  }

  /** A copy of the cluster's state. */
  snapshot(): ClusterSnapshot {
    const members = structuredClone(this.state.members);
    const flags = this.effectiveFlags();
    return {
      name: this.name,
      phase: this.phaseState,
      apiAvailable: this.available,
      mode: this.state.mode,
      configState: this.state.configState,
      healthState: this.state.healthState,
      healthException: [...this.state.healthException],
      healthWarnings: [...this.state.healthWarnings],
      manualFailoverAllowed: flags.manualFailoverAllowed,
      autoFailoverAllowed: flags.autoFailoverAllowed,
      disabledOperations: [...this.state.disabledOperations],
      activeOperations: this.activeOperations(),
      members,
      ...optional('activeNode', memberInRole(this.state, 'ACTIVE')),
      ...optional('passiveNode', memberInRole(this.state, 'PASSIVE')),
      sessions: this.sessions.size,
    };
  }

  /** Every failover request so far, oldest first (refused ones included). */
  failovers(): FailoverTimeline[] {
    return this.history.all();
  }

  /** The most recent failover request, if any. */
  lastFailover(): FailoverTimeline | undefined {
    return this.history.last();
  }

  /** Logged requests, oldest first. */
  requestLog(): SimRequestRecord[] {
    return this.log.entries();
  }

  /**
   * Resolves with the snapshot once `predicate` holds, re-checking on every state change;
   * rejects after `timeoutMs` real milliseconds.
   */
  waitFor(predicate: (snapshot: ClusterSnapshot) => boolean, timeoutMs: number): Promise<ClusterSnapshot> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const snapshot = this.snapshot();
        if (!predicate(snapshot)) return false;
        cleanup();
        resolve(snapshot);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        const s = this.snapshot();
        reject(
          new Error(
            `cluster ${this.name}: condition not met within ${timeoutMs} ms ` +
              `(phase ${s.phase}, health ${s.healthState}, active ${s.activeNode ?? 'none'})`,
          ),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off('change', check);
      };
      this.events.on('change', check);
      check();
    });
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
    applyStatePatch(this.state, patch);
    if (patch.users) for (const [username, spec] of Object.entries(patch.users)) this.users.set(username, spec);
    if (patch.timing) this.timingState = mergeTiming(this.timingState, patch.timing);
    applyFaultPatch(this.faultState, patch.faults);
    this.changed();
  }

  /** Adds or replaces one account. */
  setUser(username: string, spec: UserScenario): void {
    this.users.set(username, spec);
  }

  /**
   * Cancels anything in progress and restores the cluster exactly as its scenario defined it.
   * The state is restored at once; the promise resolves when the API accepts connections again
   * (it may have been in an outage).
   */
  reset(): Promise<void> {
    this.generation += 1;
    this.timers.clear();
    this.state = buildClusterState(this.name, this.index, this.definition);
    this.faultState = defaultFaults();
    applyFaultPatch(this.faultState, this.definition.faults);
    this.timingState = mergeTiming(this.context.timing, this.definition.timing);
    this.users = new UserDirectory(this.context.admin, { ...this.context.users, ...this.definition.users });
    this.sessions.clear();
    this.tasks.clear();
    this.log.clear();
    this.history.clear();
    Object.assign(this.stats, zeroCounters());
    this.modeTask = undefined;
    this.phaseState = 'idle';
    const wasAvailable = this.available;
    this.available = true;
    this.changed();
    if (wasAvailable || !this.transport) return Promise.resolve();
    return this.transport.resume().catch(() => undefined);
  }

  /** Cancels pending timers (simulator shutdown). */
  dispose(): void {
    this.timers.clear();
    this.events.removeAllListeners();
  }

  /** Appends to the request log. */
  logRequest(record: Omit<SimRequestRecord, 'seq' | 'cluster'>): void {
    this.log.add({ seq: this.context.logSequence.next(), cluster: this.name, ...record });
  }

  // ---- the vCenter API, as called by the HTTP handlers ----

  /** Logs in; returns the session token, or undefined for bad credentials. */
  login(username: string, password: string): string | undefined {
    const account = this.users.verify(username, password);
    if (!account) {
      this.stats.loginFailures += 1;
      return undefined;
    }
    this.stats.logins += 1;
    return this.sessions.create(account.username, this.context.clock.now());
  }

  /** Every session token this cluster has issued (recent ones), so tests can prove none leaked. */
  issuedTokens(): readonly string[] {
    return this.sessions.issued();
  }

  /** The session behind a token, if it is valid on the node currently serving the API. */
  session(token: string | undefined): SimSession | undefined {
    return this.sessions.touch(token, this.context.clock.now());
  }

  /** Ends a session; false if the token was unknown. */
  logout(token: string): boolean {
    return this.sessions.delete(token);
  }

  /** Whether `username` holds `privilege` on this vCenter. */
  userHasPrivilege(username: string, privilege: string): boolean {
    return this.users.hasPrivilege(username, privilege);
  }

  /** VcenterVchaClusterInfo. */
  clusterInfo(partial: boolean): ClusterInfoWire {
    return renderClusterInfo(this.name, this.state, this.effectiveFlags(), partial);
  }

  /** The cluster mode. */
  get mode(): ClusterMode {
    return this.state.mode;
  }

  /** VcenterVchaOperationsInfo. */
  operationsInfo(): { disabled: string[]; active: string[] } {
    return { disabled: [...new Set(this.state.disabledOperations)], active: this.activeOperations() };
  }

  /** CisTaskInfo of a task this node knows. */
  taskInfo(taskId: string): CisTaskInfo | undefined {
    const task = this.tasks.get(taskId);
    return task && renderTaskInfo(task, this.context.clock.now());
  }

  /** Tasks matching a filter, keyed by task id. */
  listTasks(filter: TaskFilter): Record<string, CisTaskInfo> {
    const now = this.context.clock.now();
    return Object.fromEntries(this.tasks.list(filter).map((task) => [task.id, renderTaskInfo(task, now)]));
  }

  /** Starts a failover, or refuses it as a 500 error or as a task that will end FAILED. */
  requestFailover(user: string, planned: boolean): TaskStartResult {
    const now = this.context.clock.now();
    const blockers = failoverBlockers(this.state, this.effectiveFlags().manualFailoverAllowed, this.failoverRunning());
    if (blockers.length > 0) {
      this.stats.failoversRefused += 1;
      const entry: FailoverTimeline = {
        planned,
        user,
        outcome: 'refused',
        refusalReasons: blockers.map((b) => b.code),
        requestedAt: now,
      };
      this.history.add(entry);
      const messages = [
        localizable(
          'com.vmware.vcenter.vcha.failover.not_allowed',
          'Failover is not allowed in the current state of the VCHA cluster.',
        ),
        ...blockers.map((b) => b.message),
      ];
      if (this.faultState.failoverRefusal === 'error') return { kind: 'error', error: vapiError('ERROR', ...messages) };
      const task = this.newFailoverTask(user, planned);
      entry.taskId = task.id;
      this.timers.after(this.timingState.taskStartMs, () => this.markRunning(task));
      this.timers.after(Math.max(this.timingState.refusalTaskMs, this.timingState.taskStartMs), () => {
        this.finishTask(task, 'FAILED', vapiError('NOT_ALLOWED_IN_CURRENT_STATE', ...messages));
        entry.failedAt = this.context.clock.now();
        this.changed();
      });
      this.changed();
      return { kind: 'task', taskId: task.id };
    }

    this.stats.failoversStarted += 1;
    const fromActive = memberInRole(this.state, 'ACTIVE');
    const toActive = memberInRole(this.state, 'PASSIVE');
    const task = this.newFailoverTask(user, planned);
    const entry: FailoverTimeline = {
      taskId: task.id,
      planned,
      user,
      outcome: 'in-progress',
      refusalReasons: [],
      ...optional('fromActive', fromActive),
      ...optional('toActive', toActive),
      requestedAt: now,
    };
    this.history.add(entry);
    this.phaseState = 'starting';
    this.timers.after(this.timingState.taskStartMs, () => {
      this.markRunning(task);
      entry.runningAt = this.context.clock.now();
      if (planned) this.flush(task, entry);
      else this.beginSwitch(task, entry);
    });
    this.changed();
    return { kind: 'task', taskId: task.id };
  }

  /** Starts a mode change task, or returns the error that prevents it. */
  requestModeChange(user: string, mode: ClusterMode): TaskStartResult {
    if (this.state.configState !== 'CONFIGURED') {
      return {
        kind: 'error',
        error: vapiError(
          'ERROR',
          localizable('com.vmware.vcenter.vcha.mode.not_configured', 'The VCHA cluster is not configured.'),
        ),
      };
    }
    if (this.failoverRunning() || this.modeTask) {
      return {
        kind: 'error',
        error: vapiError(
          'ERROR',
          localizable('com.vmware.vcenter.vcha.mode.busy', 'Another VCHA operation is in progress.'),
        ),
      };
    }
    const task: SimTask = {
      id: this.context.taskIds.next(MODE_SERVICE),
      service: MODE_SERVICE,
      operation: 'set',
      description: localizable('com.vmware.vcenter.vcha.cluster.mode.set', `Set the VCHA cluster mode to ${mode}`, [
        mode,
      ]),
      user,
      status: 'PENDING',
    };
    this.tasks.add(task);
    this.modeTask = task;
    this.timers.after(this.timingState.taskStartMs, () => this.markRunning(task));
    this.timers.after(Math.max(this.timingState.modeChangeMs, this.timingState.taskStartMs), () => {
      this.state.mode = mode;
      this.modeTask = undefined;
      this.finishTask(task, 'SUCCEEDED');
      this.changed();
    });
    this.changed();
    return { kind: 'task', taskId: task.id };
  }

  // ---- failover state machine ----

  private flush(task: SimTask, entry: FailoverTimeline): void {
    const now = this.context.clock.now();
    this.phaseState = 'flushing';
    task.progress = {
      total: 100,
      from: 0,
      to: 80,
      startAt: now,
      endAt: now + this.context.clock.toRealMs(this.timingState.flushMs),
      message: localizable('com.vmware.vcenter.vcha.cluster.failover.flush', 'Flushing state to the passive node'),
    };
    this.changed();
    this.timers.after(this.timingState.flushMs, () => this.beginSwitch(task, entry));
  }

  private beginSwitch(task: SimTask, entry: FailoverTimeline): void {
    const now = this.context.clock.now();
    if (this.faultState.failFailoverTask) {
      this.stats.failoversFailed += 1;
      this.finishTask(
        task,
        'FAILED',
        vapiError(
          'ERROR',
          localizable(
            'com.vmware.vcenter.vcha.cluster.failover.failed',
            'Failover failed: the passive node did not take over the active role.',
          ),
        ),
      );
      entry.outcome = 'failed';
      entry.failedAt = now;
      this.phaseState = 'idle';
      this.changed();
      return;
    }
    const fromActive = memberInRole(this.state, 'ACTIVE');
    this.phaseState = 'switching';
    entry.switchStartedAt = now;
    task.progress = {
      total: 100,
      from: 90,
      to: 90,
      startAt: now,
      endAt: now,
      message: localizable(
        'com.vmware.vcenter.vcha.cluster.failover.switch',
        'Switching the active role to the passive node',
      ),
    };
    if (fromActive) this.state.members[fromActive].state = 'DOWN';
    this.state.healthState = 'DEGRADED';
    this.available = false;
    this.transport?.suspend().catch(() => undefined);
    this.changed();
    this.timers.after(this.timingState.switchOutageMs, () => this.endSwitch(task, entry));
  }

  private endSwitch(task: SimTask, entry: FailoverTimeline): void {
    const fromActive = entry.fromActive;
    const toActive = entry.toActive;
    if (fromActive && toActive) {
      this.state.members[toActive].role = 'ACTIVE';
      this.state.members[toActive].state = 'UP';
      this.state.members[fromActive].role = 'PASSIVE';
      this.state.members[fromActive].state = 'UP';
    }
    // The node that took over has its own session and task managers: nothing from before survives.
    this.sessions.clear();
    if (this.faultState.taskAfterSwitch === 'not-found') {
      this.tasks.clear();
      this.modeTask = undefined;
    } else {
      this.finishTask(task, 'SUCCEEDED');
    }
    this.state.healthState = 'DEGRADED';
    this.state.healthWarnings = ['The passive node is not yet in sync with the active node.'];
    this.phaseState = 'resyncing';
    entry.outcome = 'succeeded';
    this.stats.failoversSucceeded += 1;
    this.changed();
    const generation = this.generation;
    const reopened = this.transport ? this.transport.resume() : Promise.resolve();
    void reopened
      .catch(() => undefined)
      .then(() => {
        if (generation !== this.generation) return;
        this.available = true;
        entry.apiBackAt = this.context.clock.now();
        this.changed();
        this.timers.after(this.timingState.resyncMs, () => {
          this.state.healthState = 'HEALTHY';
          this.state.healthWarnings = [];
          this.phaseState = 'idle';
          entry.healthyAt = this.context.clock.now();
          this.changed();
        });
      });
  }

  // ---- helpers ----

  private newFailoverTask(user: string, planned: boolean): SimTask {
    const task: SimTask = {
      id: this.context.taskIds.next(FAILOVER_SERVICE),
      service: FAILOVER_SERVICE,
      operation: 'failover',
      description: localizable(
        'com.vmware.vcenter.vcha.cluster.failover',
        planned ? 'Planned failover of the VCHA cluster' : 'Forced failover of the VCHA cluster',
        [String(planned)],
      ),
      user,
      status: 'PENDING',
    };
    this.tasks.add(task);
    return task;
  }

  private markRunning(task: SimTask): void {
    if (markTaskRunning(task, this.context.clock.now())) this.changed();
  }

  private finishTask(task: SimTask, status: 'SUCCEEDED' | 'FAILED', error?: VapiError): void {
    finishTask(task, status, this.context.clock.now(), error);
  }

  private failoverRunning(): boolean {
    return this.phaseState === 'starting' || this.phaseState === 'flushing' || this.phaseState === 'switching';
  }

  private effectiveFlags(): { manualFailoverAllowed: boolean; autoFailoverAllowed: boolean } {
    // Until the new passive node is in sync there is nothing to fail over to.
    const resyncing = this.phaseState === 'resyncing';
    return {
      manualFailoverAllowed: this.state.manualFailoverAllowed && !resyncing,
      autoFailoverAllowed: this.state.autoFailoverAllowed && !resyncing,
    };
  }

  private activeOperations(): string[] {
    const active: string[] = [];
    if (this.failoverRunning()) active.push(FAILOVER_OPERATION_ID);
    if (this.modeTask) active.push(MODE_SET_OPERATION_ID);
    return active;
  }

  private changed(): void {
    this.events.emit('change');
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
