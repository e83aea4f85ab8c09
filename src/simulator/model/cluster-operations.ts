/**
 * The task-based operations of one simulated cluster: the failover state machine (starting →
 * flushing → switching → resyncing → idle) and mode changes. It owns where the cluster is in the
 * failover cycle and whether its API is reachable; everything else it changes lives in the parts.
 */
import {
  VCHA_CLUSTER_SERVICE_ID,
  VCHA_FAILOVER_OPERATION_ID_QUALIFIED,
  VCHA_MODE_SERVICE_ID,
  VCHA_MODE_SET_OPERATION_ID_QUALIFIED,
} from '../../vcenter/operations';
import type { SimClock, TimerGroup } from './clock';
import type { ClusterParts } from './cluster-parts';
import { memberInRole, servedAddressOf, type ClusterMode } from './cluster-state';
import type { EffectiveFlags } from './cluster-wire';
import { failoverBlockers } from './failover-rules';
import { outageKeepsListening } from './faults';
import { modeChangeBlocker } from './mode-rules';
import { lastApplianceCheckAt, servicesAtTakeover } from './services';
import type { FailoverTimeline } from './failover-timeline';
import { finishTask, markTaskRunning, type SimTask, type TaskIdSequence } from './tasks';
import { localizable, vapiError, type VapiError } from './vapi-errors';

/** Where a cluster is in the failover cycle. */
export type FailoverStage = 'idle' | 'starting' | 'flushing' | 'switching' | 'resyncing';

/** The user a failover VCHA starts by itself runs as. */
const AUTOMATIC_FAILOVER_USER = 'VSPHERE.LOCAL\\vpxd-extension';

/** Result of starting a task-based operation: a task id, or an error to answer with. */
export type TaskStartResult = { kind: 'task'; taskId: string } | { kind: 'error'; error: VapiError };

/**
 * Why a cluster's port is closed: the failover's outage, a fault rule refusing connections, or an
 * address the cluster no longer answers at (it moved to a node's failover IP, or back).
 */
export type ClosedReason = 'outage' | 'refusal' | 'dark';

/** How an address the cluster left behaves until the cluster comes back to it. */
export type DarkAddressStyle = 'refuse' | 'blackhole';

/** The listeners of a cluster, which close during an outage or a refusal (port-per-cluster layout). */
export interface ClusterTransport {
  /** Closes the port until `reopen` takes back every reason. */
  close(reason: ClosedReason): Promise<void>;
  reopen(reason: ClosedReason): Promise<void>;
  /** Answers at `address` from now on (undefined: the public address); the address left goes dark in `style`. */
  serveAt(address: string | undefined, style: DarkAddressStyle): Promise<void>;
}

/** What the operations need besides the parts they change. */
export interface OperationsContext {
  clock: SimClock;
  timers: TimerGroup;
  taskIds: TaskIdSequence;
  /** The cluster's listener, once attached (port-per-cluster layout). */
  transport(): ClusterTransport | undefined;
  /** Announces a state change to waiters. */
  changed(): void;
}

/** Failover and mode change of one cluster. */
export class ClusterOperations {
  private stageNow: FailoverStage = 'idle';
  private available = true;
  private modeTask: SimTask | undefined;
  private failoverTask: SimTask | undefined;
  private failoverRequestedAt = 0;
  // Set when the cluster is reset: continuations of a failover in flight then do nothing.
  private disposed = false;

  constructor(
    private readonly parts: ClusterParts,
    private readonly context: OperationsContext,
  ) {}

  /** Where the cluster is in the failover cycle. */
  get stage(): FailoverStage {
    return this.stageNow;
  }

  /** False while the vCenter service is moving between nodes. */
  get apiAvailable(): boolean {
    return this.available;
  }

  /** Whether a failover has been accepted and has not switched yet. */
  failoverRunning(): boolean {
    return this.stageNow === 'starting' || this.stageNow === 'flushing' || this.stageNow === 'switching';
  }

  /** The running failover's task, while this vCenter keeps it out of sight (`faults.hideRunningFailover`). */
  hiddenTaskId(): string | undefined {
    const hide = this.parts.faults.hideRunningFailover;
    if (hide === false || (this.stageNow !== 'starting' && this.stageNow !== 'flushing')) return undefined;
    const hiding =
      hide === true || this.context.clock.now() < this.failoverRequestedAt + this.context.clock.toRealMs(hide);
    return hiding ? this.failoverTask?.id : undefined;
  }

  /** Operation ids for `operations.active`. */
  activeOperations(): string[] {
    const active: string[] = [];
    if (this.failoverRunning() && this.hiddenTaskId() === undefined) active.push(VCHA_FAILOVER_OPERATION_ID_QUALIFIED);
    if (this.modeTask) active.push(VCHA_MODE_SET_OPERATION_ID_QUALIFIED);
    return active;
  }

  /** The failover flags as the API reports them now. */
  effectiveFlags(): EffectiveFlags {
    // Until the new passive node is in sync there is nothing to fail over to.
    const resyncing = this.stageNow === 'resyncing';
    // MAINTENANCE exists to stop VCHA failing over by itself; a manual failover stays allowed.
    const maintenance = this.parts.state.mode === 'MAINTENANCE';
    return {
      manualFailoverAllowed: this.parts.state.manualFailoverAllowed && !resyncing,
      autoFailoverAllowed: this.parts.state.autoFailoverAllowed && !resyncing && !maintenance,
    };
  }

  /** Stops every continuation of this machine (the cluster was reset). */
  dispose(): void {
    this.disposed = true;
  }

  /** Starts a failover, or refuses it as a 500 error or as a task that will end FAILED. */
  requestFailover(user: string, planned: boolean): TaskStartResult {
    const { state, history, counters, faults } = this.parts;
    const now = this.context.clock.now();
    const blockers = failoverBlockers(state, this.effectiveFlags().manualFailoverAllowed, this.failoverRunning());
    if (blockers.length > 0) {
      counters.failoversRefused += 1;
      const entry: FailoverTimeline = {
        planned,
        user,
        outcome: 'refused',
        refusalReasons: blockers.map((b) => b.code),
        requestedAt: now,
      };
      history.add(entry);
      const messages = [
        localizable(
          'com.vmware.vcenter.vcha.failover.not_allowed',
          'Failover is not allowed in the current state of the VCHA cluster.',
        ),
        ...blockers.map((b) => b.message),
      ];
      if (faults.failoverRefusal === 'error') return { kind: 'error', error: vapiError('ERROR', ...messages) };
      const task = this.newFailoverTask(user, planned);
      entry.taskId = task.id;
      this.context.timers.after(this.parts.timing.taskStartMs, () => this.markRunning(task));
      this.context.timers.after(Math.max(this.parts.timing.refusalTaskMs, this.parts.timing.taskStartMs), () => {
        this.finish(task, 'FAILED', vapiError('NOT_ALLOWED_IN_CURRENT_STATE', ...messages));
        entry.failedAt = this.context.clock.now();
        this.context.changed();
      });
      this.context.changed();
      return { kind: 'task', taskId: task.id };
    }

    counters.failoversStarted += 1;
    const fromActive = memberInRole(state, 'ACTIVE');
    const toActive = memberInRole(state, 'PASSIVE');
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
    history.add(entry);
    this.failoverTask = task;
    this.failoverRequestedAt = now;
    this.stageNow = 'starting';
    this.context.timers.after(this.parts.timing.taskStartMs, () => {
      this.markRunning(task);
      entry.runningAt = this.context.clock.now();
      if (planned) this.flush(task, entry);
      else this.beginSwitch(task, entry);
    });
    this.context.changed();
    return { kind: 'task', taskId: task.id };
  }

  /** Starts a mode change task, or returns the error that prevents it. */
  requestModeChange(user: string, mode: ClusterMode): TaskStartResult {
    if (this.parts.state.configState !== 'CONFIGURED') {
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
    const { state } = this.parts;
    const blocker = modeChangeBlocker(state.mode, mode, state.healthState);
    const task: SimTask = {
      id: this.context.taskIds.next(VCHA_MODE_SERVICE_ID),
      service: VCHA_MODE_SERVICE_ID,
      operation: 'set',
      description: localizable('com.vmware.vcenter.vcha.cluster.mode.set', `Set the VCHA cluster mode to ${mode}`, [
        mode,
      ]),
      user,
      status: 'PENDING',
    };
    this.parts.tasks.add(task);
    this.modeTask = task;
    const { timing } = this.parts;
    this.context.timers.after(timing.taskStartMs, () => this.markRunning(task));
    // Setting the mode the cluster already has changes nothing and succeeds, so a set may be retried.
    const takesMs = blocker ? timing.refusalTaskMs : state.mode === mode ? 0 : timing.modeChangeMs;
    this.context.timers.after(Math.max(takesMs, timing.taskStartMs), () => {
      this.modeTask = undefined;
      if (blocker) {
        this.finish(task, 'FAILED', vapiError('NOT_ALLOWED_IN_CURRENT_STATE', blocker));
      } else {
        this.parts.state.mode = mode;
        this.finish(task, 'SUCCEEDED');
      }
      this.context.changed();
    });
    this.context.changed();
    return { kind: 'task', taskId: task.id };
  }

  private flush(task: SimTask, entry: FailoverTimeline): void {
    const now = this.context.clock.now();
    this.stageNow = 'flushing';
    task.progress = {
      total: 100,
      from: 0,
      to: 80,
      startAt: now,
      endAt: now + this.context.clock.toRealMs(this.parts.timing.flushMs),
      message: localizable('com.vmware.vcenter.vcha.cluster.failover.flush', 'Flushing state to the passive node'),
    };
    this.context.changed();
    this.context.timers.after(this.parts.timing.flushMs, () => this.beginSwitch(task, entry));
  }

  private beginSwitch(task: SimTask | undefined, entry: FailoverTimeline): void {
    const { state, counters } = this.parts;
    const now = this.context.clock.now();
    if (task && this.parts.faults.failFailoverTask) {
      counters.failoversFailed += 1;
      this.finish(
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
      this.stageNow = 'idle';
      this.context.changed();
      return;
    }
    const fromActive = memberInRole(state, 'ACTIVE');
    this.stageNow = 'switching';
    entry.switchStartedAt = now;
    if (task)
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
    if (fromActive) state.members[fromActive].state = 'DOWN';
    state.healthState = 'DEGRADED';
    this.available = false;
    // The node taking over reports the old node's last check until its own first one.
    state.appliance.lastCheckAt = lastApplianceCheckAt(state.appliance, now);
    delete state.appliance.checkEveryMs;
    // Envoy's answers and a blackhole come from an address that still accepts connections.
    if (!outageKeepsListening(this.parts.faults.outageStyle)) {
      this.context
        .transport()
        ?.close('outage')
        .catch(() => undefined);
    }
    this.context.changed();
    this.context.timers.after(this.parts.timing.switchOutageMs, () => this.endSwitch(task, entry));
  }

  private endSwitch(task: SimTask | undefined, entry: FailoverTimeline): void {
    const { state, sessions, tasks, counters } = this.parts;
    const fromActive = entry.fromActive;
    const toActive = entry.toActive;
    if (fromActive && toActive) {
      state.members[toActive].role = 'ACTIVE';
      state.members[toActive].state = 'UP';
      state.members[fromActive].role = 'PASSIVE';
      state.members[fromActive].state = 'UP';
    }
    // The node that took over has its own session and task managers: nothing from before survives.
    sessions.clear();
    if (this.parts.faults.taskAfterSwitch === 'not-found') {
      tasks.clear();
      this.modeTask = undefined;
    } else if (task) {
      this.finish(task, 'SUCCEEDED');
    }
    state.healthState = 'DEGRADED';
    state.healthWarnings = ['The passive node is not yet in sync with the active node.'];
    this.stageNow = 'resyncing';
    entry.outcome = 'succeeded';
    counters.failoversSucceeded += 1;
    this.context.changed();
    const transport = this.context.transport();
    // The new active node serves at its failover IP (or the NAT address in front of it) when it has one, else at the public address.
    const servedAt = toActive === undefined ? undefined : servedAddressOf(state.members[toActive]);
    const reopened = transport
      ? transport
          .serveAt(servedAt, this.parts.faults.oldAddress)
          .catch(() => undefined)
          .then(() => transport.reopen('outage'))
      : Promise.resolve();
    void reopened
      .catch(() => undefined)
      .then(() => {
        if (this.disposed) return;
        this.available = true;
        entry.apiBackAt = this.context.clock.now();
        this.startServices(servicesAtTakeover(state.services), entry);
        this.context.timers.after(this.parts.timing.healthCheckMs, () => {
          entry.healthCheckedAt = this.checkApplianceHealth();
        });
        this.context.changed();
        this.context.timers.after(this.parts.timing.resyncMs, () => {
          state.healthState = 'HEALTHY';
          state.healthWarnings = [];
          this.stageNow = 'idle';
          entry.healthyAt = this.context.clock.now();
          this.context.changed();
          if (!entry.automatic && this.parts.faults.failBack !== 'off') {
            this.context.timers.after(this.parts.timing.failBackMs, () => this.failBack());
          }
        });
      });
  }

  /**
   * The new active node's services start one after another (`timing.serviceStartMs` each); those
   * named in `faults.servicesAfterSwitch` stay STARTING or end STOPPED instead of STARTED. When
   * the queue is done and every AUTOMATIC service is STARTED, the failover's timeline says when.
   */
  private startServices(queue: string[], entry: FailoverTimeline): void {
    const [id, ...rest] = queue;
    const service = id === undefined ? undefined : this.parts.state.services.get(id);
    if (id === undefined || !service) {
      const started = [...this.parts.state.services.values()].every(
        (each) => each.startupType !== 'AUTOMATIC' || each.state === 'STARTED',
      );
      if (started) entry.servicesStartedAt = this.context.clock.now();
      return;
    }
    service.state = 'STARTING';
    this.context.changed();
    this.context.timers.after(this.parts.timing.serviceStartMs, () => {
      const fate = this.parts.faults.servicesAfterSwitch[id];
      if (fate !== 'STARTING') service.state = fate ?? 'STARTED';
      this.context.changed();
      this.startServices(rest, entry);
    });
  }

  /**
   * The new active node's first periodic health check: only now does its health say anything about
   * it. Later checks follow every `healthCheckMs` (read from the clock when asked: no timer keeps
   * the cluster busy). Returns the check's time.
   */
  private checkApplianceHealth(): number {
    const { appliance } = this.parts.state;
    appliance.reported = appliance.color;
    appliance.lastCheckAt = this.context.clock.now();
    appliance.checkEveryMs = this.context.clock.toRealMs(this.parts.timing.healthCheckMs);
    this.context.changed();
    return appliance.lastCheckAt;
  }

  /**
   * VCHA fails the cluster back by itself (Broadcom KB 430364), with a failover task of its own or
   * none. Not in MAINTENANCE (which exists to prevent exactly this), nor while anything else runs.
   */
  private failBack(): void {
    const { state, faults, history, counters } = this.parts;
    if (this.disposed || faults.failBack === 'off' || state.mode !== 'ENABLED') return;
    if (this.stageNow !== 'idle' || this.modeTask || !this.effectiveFlags().autoFailoverAllowed) return;
    const fromActive = memberInRole(state, 'ACTIVE');
    const toActive = memberInRole(state, 'PASSIVE');
    if (!fromActive || !toActive) return;
    const now = this.context.clock.now();
    const task = faults.failBack === 'task' ? this.newFailoverTask(AUTOMATIC_FAILOVER_USER, false) : undefined;
    if (task) markTaskRunning(task, now);
    const entry: FailoverTimeline = {
      ...optional('taskId', task?.id),
      planned: false,
      user: AUTOMATIC_FAILOVER_USER,
      automatic: true,
      outcome: 'in-progress',
      refusalReasons: [],
      fromActive,
      toActive,
      requestedAt: now,
      runningAt: now,
    };
    history.add(entry);
    counters.failoversStarted += 1;
    this.failoverTask = task;
    this.failoverRequestedAt = now;
    this.beginSwitch(task, entry);
  }

  private newFailoverTask(user: string, planned: boolean): SimTask {
    const task: SimTask = {
      id: this.context.taskIds.next(VCHA_CLUSTER_SERVICE_ID),
      service: VCHA_CLUSTER_SERVICE_ID,
      operation: 'failover',
      description: localizable(
        'com.vmware.vcenter.vcha.cluster.failover',
        planned ? 'Planned failover of the VCHA cluster' : 'Forced failover of the VCHA cluster',
        [String(planned)],
      ),
      user,
      status: 'PENDING',
    };
    this.parts.tasks.add(task);
    return task;
  }

  private markRunning(task: SimTask): void {
    if (markTaskRunning(task, this.context.clock.now())) this.context.changed();
  }

  private finish(task: SimTask, status: 'SUCCEEDED' | 'FAILED', error?: VapiError): void {
    finishTask(task, status, this.context.clock.now(), error);
  }
}

/** `{ [key]: value }` when value is defined, else `{}`. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
