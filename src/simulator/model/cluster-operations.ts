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
import { memberInRole, type ClusterMode } from './cluster-state';
import type { EffectiveFlags } from './cluster-wire';
import { failoverBlockers } from './failover-rules';
import type { FailoverTimeline } from './failover-timeline';
import { finishTask, markTaskRunning, type SimTask, type TaskIdSequence } from './tasks';
import { localizable, vapiError, type VapiError } from './vapi-errors';

/** Where a cluster is in the failover cycle. */
export type FailoverStage = 'idle' | 'starting' | 'flushing' | 'switching' | 'resyncing';

/** Result of starting a task-based operation: a task id, or an error to answer with. */
export type TaskStartResult = { kind: 'task'; taskId: string } | { kind: 'error'; error: VapiError };

/** Why a cluster's port is closed: the failover's outage, or a fault rule refusing connections. */
export type ClosedReason = 'outage' | 'refusal';

/** The listener of a cluster, which closes during an outage or a refusal (port-per-cluster layout). */
export interface ClusterTransport {
  /** Closes the port until `reopen` takes back every reason. */
  close(reason: ClosedReason): Promise<void>;
  reopen(reason: ClosedReason): Promise<void>;
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
    const hiding =
      this.parts.faults.hideRunningFailover && (this.stageNow === 'starting' || this.stageNow === 'flushing');
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
    return {
      manualFailoverAllowed: this.parts.state.manualFailoverAllowed && !resyncing,
      autoFailoverAllowed: this.parts.state.autoFailoverAllowed && !resyncing,
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
    this.context.timers.after(Math.max(timing.modeChangeMs, timing.taskStartMs), () => {
      this.parts.state.mode = mode;
      this.modeTask = undefined;
      this.finish(task, 'SUCCEEDED');
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

  private beginSwitch(task: SimTask, entry: FailoverTimeline): void {
    const { state, counters } = this.parts;
    const now = this.context.clock.now();
    if (this.parts.faults.failFailoverTask) {
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
    this.context
      .transport()
      ?.close('outage')
      .catch(() => undefined);
    this.context.changed();
    this.context.timers.after(this.parts.timing.switchOutageMs, () => this.endSwitch(task, entry));
  }

  private endSwitch(task: SimTask, entry: FailoverTimeline): void {
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
    } else {
      this.finish(task, 'SUCCEEDED');
    }
    state.healthState = 'DEGRADED';
    state.healthWarnings = ['The passive node is not yet in sync with the active node.'];
    this.stageNow = 'resyncing';
    entry.outcome = 'succeeded';
    counters.failoversSucceeded += 1;
    this.context.changed();
    const transport = this.context.transport();
    const reopened = transport ? transport.reopen('outage') : Promise.resolve();
    void reopened
      .catch(() => undefined)
      .then(() => {
        if (this.disposed) return;
        this.available = true;
        entry.apiBackAt = this.context.clock.now();
        this.context.changed();
        this.context.timers.after(this.parts.timing.resyncMs, () => {
          state.healthState = 'HEALTHY';
          state.healthWarnings = [];
          this.stageNow = 'idle';
          entry.healthyAt = this.context.clock.now();
          this.context.changed();
        });
      });
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
