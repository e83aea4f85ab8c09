/**
 * Follows a failover from inside one long-running activity (Temporal's polling pattern: one request
 * per poll interval, heartbeats in between, no workflow timers), through the outage the failover
 * causes: refused connections, resets, timeouts, 503s, a lost session and a task id unknown on the
 * new node. The cluster state is the proof; the task status is supporting evidence.
 *
 * When the request's own answer proved nothing (it may or may not have arrived), the activity
 * also looks for signs of a failover, one lookup per poll in turn: the roles, `operations.active`
 * and vCenter's task list (a running failover task found there is followed like its own). If
 * none shows up for the no-sign window of answered reads (an outage starts the window again: it
 * may be a hidden failover's switch) and a final read of all three confirms the cluster
 * unchanged, it ends saying exactly that.
 *
 * One clock: every window (the switch, the no-sign window, the healthy window) is a duration on
 * the activity's own monotonic clock, summed over its attempts through the heartbeat
 * (`followedForMs`), never a workflow timestamp against this worker's clock, which may be minutes off.
 * A retried attempt resumes from the last heartbeat: a crash loses at most one heartbeat interval
 * of counted time, so a retry never shortens a window; the server's schedule-to-close timeout is
 * the backstop. Input from older builds (`switchDeadline`, `unconfirmed.sentAt`, workflow epochs) is
 * read as durations from the attempt's start.
 *
 * With a stability period (`stableForMs`, from runs with the `stable-result` patch), a cluster that is
 * back is not yet verified: the activity keeps reading the roles once per poll interval until they
 * held for the whole period (`domain/stability.ts` judges each read), and ends `flipped-back` as soon
 * as the old active node is ACTIVE again, from the switch on. Without it, the first proof ends the
 * follow, as before.
 *
 * With the readiness gate (`readiness`, from runs with the `readiness-gate` patch), verified also
 * needs vCenter to serve: the gate's requests (`activities/readiness.ts`, judged by
 * `domain/readiness.ts`) take turns with the stability period's role reads, one request per poll
 * interval, and go on alone once the roles held; not serving within `readiness.withinMs` of the
 * cluster being back ends `not-ready`.
 *
 * A task in vCenter's list is adopted as this request's only when vCenter started it at or after
 * the check just before the request, both by vCenter's own clock (`vcenterTimeBefore`, its `Date`
 * header); without that time none is adopted, and the cluster state decides.
 */
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { FollowHeartbeat, ReadinessOptions, ReadinessRecord } from '../contract';
import { readinessRecord, resumedReadiness } from '../domain/readiness';
import { ReadinessCheck } from './readiness';
import { allMembersUp, describeSnapshot, snapshotCluster, type ClusterSnapshot } from '../domain/cluster-snapshot';
import { isFailoverOperationId, VCHA_CLUSTER_SERVICE_ID, type VcenterClient, type VcenterError } from '../vcenter';
import { isNotFound, isOutage, isUnauthorized, type VcenterErrorClass } from '../vcenter/classify';
import type { ActivityDeps } from './deps';
import { classOf, clientOf, notAuthorizedFailure, taskErrorText } from './failures';
import { withHeartbeats } from './heartbeat';
import { holdEndOf, holdPauseMs, judgeHold, nextHoldPoll, type HoldReading } from '../domain/stability';
import { formatDuration } from '../contract/duration';
import {
  initialFollowHeartbeat,
  observe,
  observeReachable,
  observeUnreachable,
  outageReason,
  publicObservations,
} from './observations';

/** Input of {@link followFailover}. */
export interface FollowFailoverInput {
  target: string;
  /** The task vCenter answered the request with; absent when its answer was lost. */
  taskId?: string;
  /** Identity of the node that was ACTIVE before the failover. */
  previousActive: string;
  /** Identity of the node that was PASSIVE before: it must become ACTIVE. */
  previousPassive: string;
  /**
   * How long the switch may take to be proven (ms, on the activity's own clock, from the follow's
   * start); after it the activity reports what it saw. Absent only in input from older builds.
   */
  switchWithinMs?: number;
  /**
   * Older builds: epoch ms (the workflow's clock) by which the switch had to be proven. Read as a
   * duration from when the activity was scheduled (`switchDeadline - scheduledTimestampMs`, both
   * server times), counted from the attempt's start; never compared with this worker's clock.
   */
  switchDeadline?: number;
  /** How long after the switch the cluster may take to be back (all members UP, HEALTHY when required). */
  healthyTimeoutMs: number;
  requireHealthy: boolean;
  pollIntervalMs: number;
  /**
   * Set when the request may or may not have arrived: how long (ms, on the activity's own clock)
   * the cluster may show no sign of a failover before the activity ends `no-sign`. Older builds also
   * sent `sentAt` (a workflow epoch): not read, the window counts from the attempt's start.
   */
  unconfirmed?: { noSignWindowMs: number; sentAt?: number };
  /**
   * vCenter's own time (ISO, from its `Date` header) of the check just before the request: a
   * running failover task that vCenter started before it is not this request's. Absent (the check
   * sent no `Date`, or an older build): no task is adopted, the cluster state decides.
   */
  vcenterTimeBefore?: string;
  /**
   * The stability period (ms, on the activity's own clock): after the cluster is back, the new roles
   * must be seen held this long before the follow ends `verified`. Absent (runs without the
   * `stable-result` patch): the first proof ends it.
   */
  stableForMs?: number;
  /**
   * The readiness gate: after the cluster is back, vCenter must serve (vAPI, vpxd, services,
   * appliance health, minus the skipped gates) within `withinMs` before the follow ends `verified`.
   * Absent (runs without the `readiness-gate` patch): the cluster proof alone decides.
   */
  readiness?: ReadinessOptions;
  /**
   * Where the cluster answers once the old passive node is ACTIVE, when preflight found the failover
   * moves it (the node's failover IP or its URL in the targets file). The follow reads the cluster at
   * the target's address until it stops answering, then here. Absent: the address does not move.
   */
  followAt?: string;
}

/** One address the follow reads the cluster at, with its client. */
export interface FollowAddress {
  /** Its base URL (empty when the worker keeps no addresses). */
  url: string;
  client: VcenterClient;
  /** Told when the cluster answered there, so later runs of the target read it there. */
  answered?: () => void;
}

/**
 * How the failover ended: `verified` (switched and back, and held for the stability period when
 * there is one), `failed` (the task FAILED and the old node is still ACTIVE), `switch-deadline` (no
 * proof of the switch in time), `healthy-deadline` (switched, but not back in time), `no-sign` (a
 * request of unknown arrival, and the cluster confirmed unchanged with no sign of a failover for
 * the whole window), `flipped-back` (switched, then the old active node was ACTIVE again) or
 * `hold-unproven` (back, but no whole stability period of reads showed the new roles in time) or
 * `not-ready` (back and held, but vCenter did not serve within the readiness bound).
 */
export interface FollowFailoverResult {
  outcome:
    | 'verified'
    | 'failed'
    | 'switch-deadline'
    | 'healthy-deadline'
    | 'no-sign'
    | 'flipped-back'
    | 'hold-unproven'
    | 'not-ready';
  /** When the switch was first seen (ISO), if it was. */
  switchedAt?: string;
  snapshot?: ClusterSnapshot;
  /** The task followed: the request's own, or the one found in the task list. */
  taskId?: string;
  taskError?: string;
  /** After a request of unknown arrival: what showed the failover, if anything did. */
  signOfFailover?: string;
  /**
   * After `flipped-back`: when the read that showed the old active node ACTIVE again was answered,
   * by vCenter's clock (its `Date` header) when it sent one, otherwise this worker's.
   */
  flippedBackAt?: { at: string; clock: 'vcenter' | 'worker' };
  /** With a stability period: the last read that showed the new roles (same clocks as {@link flippedBackAt}). */
  lastHeldAt?: { at: string; clock: 'vcenter' | 'worker' };
  /** With the readiness gate: each gate as last seen, and the verdict. */
  readiness?: ReadinessRecord;
  /** With the readiness gate: the stability period was over (the roles held) before the follow ended. */
  rolesHeld?: boolean;
  /** The base URL of vCenter's last answer: where the cluster answers now (absent when the worker keeps no addresses). */
  servedAt?: string;
  observation: string;
  observations: string[];
  longestOutageMs: number;
}

/**
 * The `Date` header has whole seconds: the check's true time may be up to this much later than
 * the header says, and a task vCenter started right after it may carry the same second.
 */
const DATE_HEADER_RESOLUTION_MS = 1_000;

/** The clocks a follow reads: the monotonic one for every window, the wall clock only for times humans read. */
export interface FollowClock {
  /** Monotonic ms (`performance.now()`): never jumps, meaningless across processes. */
  monotonic(): number;
  /** Epoch ms of this worker's clock: the switch's time on the timeline, nothing else. */
  wall(): number;
}

/** This process's clocks. */
export const SYSTEM_CLOCK: FollowClock = { monotonic: () => performance.now(), wall: () => Date.now() };

/** Sleeps one poll interval, or less when the window ends first; rejects if the activity is cancelled. */
async function pause(pollIntervalMs: number, remainingMs: number): Promise<void> {
  const wait = Math.min(pollIntervalMs, remainingMs);
  if (wait > 0) await Context.current().sleep(wait);
}

/** The switch window of an input (ms), new or from an older build; a clear error when it has none. */
function switchWindowOf(input: FollowFailoverInput, scheduledTimestampMs: number): number {
  if (input.switchWithinMs !== undefined && Number.isFinite(input.switchWithinMs)) return input.switchWithinMs;
  if (input.switchDeadline !== undefined && Number.isFinite(input.switchDeadline)) {
    return Math.max(0, input.switchDeadline - scheduledTimestampMs);
  }
  throw ApplicationFailure.nonRetryable(
    `follow input for ${input.target} has neither switchWithinMs nor switchDeadline: no switch window to follow within`,
    'InvalidFollowInput',
  );
}

function isTerminal(status: string | undefined): boolean {
  return status === 'SUCCEEDED' || status === 'FAILED';
}

/** One attempt of the follow activity: its input, its client and the state it heartbeats. */
class Follow {
  readonly state: FollowHeartbeat;
  private last: ClusterSnapshot | undefined;
  /** A retried attempt that resumes in VERIFYING polls at once; after a fresh switch, one interval on. */
  private readonly resumedInVerifying: boolean;
  /** The follow's time counted by earlier attempts, and this attempt's start on the monotonic clock. */
  private readonly followedBefore: number;
  private readonly attemptStart: number;
  private readonly switchWithinMs: number;
  /** The earliest `start_time` (epoch ms, vCenter's clock) of a task that can be this request's; undefined: none can. */
  private readonly adoptFrom: number | undefined;
  /** When the last cluster read was answered: vCenter's time when it sent a `Date` header, else this worker's. */
  private lastReadAt: { at: string; clock: 'vcenter' | 'worker' } | undefined;
  /** A retried attempt that resumes in the stability period: its unbroken stretch starts again. */
  private readonly resumedHolding: boolean;
  /** The readiness gate, when the input asks for it. */
  private readonly readiness: ReadinessCheck | undefined;

  /** Where the follow reads the cluster: the target's address now, then `followAt` when the input has it. */
  private readonly addresses: FollowAddress[];
  /** Which of {@link addresses} the next request goes to. */
  private using = 0;
  /** The address of the last answer, if any came. */
  private answeredUrl: string | undefined;

  constructor(
    private readonly input: FollowFailoverInput,
    addresses: FollowAddress[],
    previous: unknown,
    private readonly clock: FollowClock,
    scheduledTimestampMs: number,
  ) {
    this.switchWithinMs = switchWindowOf(input, scheduledTimestampMs);
    this.addresses = addresses;
    this.state = initialFollowHeartbeat(previous);
    this.attemptStart = clock.monotonic();
    this.followedBefore = this.state.followedForMs ?? 0;
    this.resumedInVerifying = this.state.phase === 'VERIFYING';
    // A lost attempt's reads stopped for a while: nothing proves the roles held meanwhile.
    this.resumedHolding = this.state.backAtFollowedMs !== undefined;
    if (this.resumedHolding) {
      delete this.state.heldSinceFollowedMs;
      // Nor that vCenter still answers: the vAPI gate waits for a read answered to this attempt.
      if (this.state.readiness) this.state.readiness = resumedReadiness(this.state.readiness);
    }
    // A heartbeat of an older build counted its windows on wall clocks: they start again here.
    if (this.resumedInVerifying) this.state.switchedAtFollowedMs ??= this.followedBefore;
    if (input.unconfirmed) this.state.quietSinceFollowedMs ??= this.followedBefore;
    const before = input.vcenterTimeBefore === undefined ? NaN : Date.parse(input.vcenterTimeBefore);
    this.adoptFrom = Number.isFinite(before) ? before - DATE_HEADER_RESOLUTION_MS : undefined;
    this.readiness = input.readiness
      ? new ReadinessCheck(
          this.state,
          () => this.client,
          input.target,
          input.readiness,
          () => ({
            ...(this.state.switchVcenterTime ? { switchVcenterTime: this.state.switchVcenterTime } : {}),
          }),
        )
      : undefined;
  }

  /** The client of the address the next request goes to. */
  private get client(): VcenterClient {
    return this.addresses[this.using]!.client;
  }

  /** vCenter answered (even with an error): the address it answered at is where the cluster is now. */
  private reachable(): void {
    observeReachable(this.state);
    const address = this.addresses[this.using]!;
    if (this.answeredUrl !== address.url && this.answeredUrl !== undefined) {
      log.info('the cluster answers at another address', { target: this.input.target, url: address.url });
      observe(this.state, `vCenter answers at ${address.url}`);
    }
    this.answeredUrl = address.url;
    address.answered?.();
  }

  /**
   * An address gave no answer: the next request goes to the other one, if the follow has two. Before
   * the switch the old address answers and the new one refuses; after it, the other way round; a
   * fail back by itself may bring the cluster back to the old one. One request per poll either way.
   */
  private tryOtherAddress(): void {
    if (this.addresses.length > 1) this.using = (this.using + 1) % this.addresses.length;
  }

  /** The follow's time so far (ms): earlier attempts' plus this one's, on the monotonic clock. */
  private followedFor(): number {
    return this.followedBefore + (this.clock.monotonic() - this.attemptStart);
  }

  /** The state to heartbeat, with the time counted so far. */
  heartbeat(): FollowHeartbeat {
    this.state.followedForMs = this.followedFor();
    return this.state;
  }

  /** Runs both stages to an outcome. */
  async run(): Promise<FollowFailoverResult> {
    if (!this.holding) {
      const switched = await this.untilSwitched();
      if (switched) return switched;
    }
    if (!this.holding) {
      const back = await this.untilBack();
      if (back) return back;
    }
    return this.untilHeld();
  }

  /** Whether the cluster was seen back and the stability period is under way. */
  private get holding(): boolean {
    return this.state.backAtFollowedMs !== undefined;
  }

  private result(outcome: FollowFailoverResult['outcome']): FollowFailoverResult {
    const { state } = this;
    return {
      outcome,
      switchedAt: state.switchedAt !== undefined ? new Date(state.switchedAt).toISOString() : undefined,
      snapshot: this.last,
      taskId: this.taskId,
      taskError: state.taskError,
      signOfFailover: state.signOfFailover,
      ...(outcome === 'flipped-back' && this.lastReadAt ? { flippedBackAt: this.lastReadAt } : {}),
      ...(state.heldReadAt ? { lastHeldAt: state.heldReadAt } : {}),
      ...(state.readiness ? { readiness: readinessRecord(state.readiness, outcome === 'not-ready') } : {}),
      ...(state.rolesHeld ? { rolesHeld: true } : {}),
      ...(this.answeredUrl ? { servedAt: this.answeredUrl } : {}),
      observation: state.observation,
      observations: publicObservations(state),
      longestOutageMs: state.longestOutageMs,
    };
  }

  /** The task followed: the request's own, or one found in the task list. */
  private get taskId(): string | undefined {
    return this.input.taskId ?? this.state.foundTaskId;
  }

  /** Whether the switch has been seen (stage VERIFYING). */
  private get switched(): boolean {
    return this.state.phase === 'VERIFYING';
  }

  /** Whether the request may not have arrived and nothing has shown a failover yet. */
  private get stillNoSign(): boolean {
    return this.input.unconfirmed !== undefined && this.state.signOfFailover === undefined;
  }

  private sign(what: string): void {
    if (this.state.signOfFailover !== undefined || this.input.unconfirmed === undefined) return;
    this.state.signOfFailover = what;
    log.info('sign of a failover after a request of unknown arrival', { target: this.input.target, sign: what });
  }

  /** Stage FAILING_OVER: until the old passive node is ACTIVE; an outcome if it ends here. */
  private async untilSwitched(): Promise<FollowFailoverResult | undefined> {
    const { input, state } = this;
    while (!this.switched) {
      if (this.followedFor() >= this.switchWithinMs) {
        log.warn('failover deadline passed without proof of the switch', {
          target: input.target,
          observation: state.observation,
        });
        return this.result('switch-deadline');
      }
      if (this.stillNoSign && this.followedFor() - state.quietSinceFollowedMs! >= input.unconfirmed!.noSignWindowMs) {
        if (await this.confirmedUnchanged()) return this.result('no-sign');
      } else {
        state.polls += 1;
        this.renewSessionAfterOutage();
        try {
          const ended = await this.pollOnce();
          if (ended) return ended;
        } catch (error) {
          this.observeError(error);
        }
      }
      if (this.switched) break;
      await pause(input.pollIntervalMs, this.switchWithinMs - this.followedFor());
    }
    return undefined;
  }

  /** One request of stage FAILING_OVER: the task, a sign lookup, or the cluster. */
  private async pollOnce(): Promise<FollowFailoverResult | undefined> {
    const { state } = this;
    const taskId = this.taskId;
    const watchTask = taskId !== undefined && !state.taskGone && !isTerminal(state.taskStatus);
    // A task read that failed with an answer (not an outage) is followed by a cluster read: the
    // cluster is the proof, and a task endpoint that answers oddly must not hide the switch.
    if (watchTask && !state.taskUnreadable) {
      await this.pollTask(taskId);
      return undefined;
    }
    state.taskUnreadable = false;
    if (this.stillNoSign) {
      // One lookup per poll, in turn: the roles, the running operations, the task list.
      const lookup = (state.lookups ?? 0) % 3;
      state.lookups = (state.lookups ?? 0) + 1;
      if (lookup === 1) return this.lookForRunningOperation();
      if (lookup === 2) return this.lookForTask();
    }
    return this.readCluster();
  }

  /** Reads the cluster: the switch, a FAILED task with the old node still ACTIVE, or still waiting. */
  private async readCluster(): Promise<FollowFailoverResult | undefined> {
    const { input, state } = this;
    const snapshot = await this.snapshot();
    if (snapshot.activeNode === input.previousPassive) {
      this.sign(`${input.previousPassive} is ACTIVE`);
      observe(state, `switch complete: ${input.previousPassive} is ACTIVE (${describeSnapshot(snapshot)})`);
      state.phase = 'VERIFYING';
      state.switchedAt = this.clock.wall();
      state.switchedAtFollowedMs = this.followedFor();
      if (this.lastReadAt?.clock === 'vcenter') state.switchVcenterTime = this.lastReadAt.at;
      // The snapshot that proved the switch may already show the cluster back.
      return this.isBack(snapshot) ? this.back(snapshot) : undefined;
    }
    if (snapshot.activeNode !== input.previousActive) {
      this.sign(
        snapshot.activeNode === undefined ? 'no node is ACTIVE' : `the active node is now ${snapshot.activeNode}`,
      );
    }
    if (snapshot.activeNode === input.previousActive && state.taskStatus === 'FAILED') {
      observe(state, `task FAILED and ${input.previousActive} is still ACTIVE`);
      return this.result('failed');
    }
    observe(state, `waiting for ${input.previousPassive} to become ACTIVE (${describeSnapshot(snapshot)})`, 'waiting');
    return undefined;
  }

  private async lookForRunningOperation(): Promise<undefined> {
    const operations = await this.client.getOperations();
    this.reachable();
    if (operations.active.some(isFailoverOperationId)) this.sign('operations.active lists a failover');
    observe(
      this.state,
      `no sign of a failover yet: ${this.state.signOfFailover ?? 'roles, operations and tasks unchanged'}`,
      'no-sign',
    );
    return undefined;
  }

  private async lookForTask(): Promise<undefined> {
    const { state } = this;
    const tasks = await this.client.listTasks({ services: [VCHA_CLUSTER_SERVICE_ID] });
    this.reachable();
    // Only a failover still running can be this request's: a finished one (an earlier run's FAILED
    // task, say) proves nothing about it, and a failover of this request that already finished shows
    // in the roles. Of the running ones, only a task vCenter started at or after the check before the
    // request is adopted (both times by vCenter's clock); any other is a sign, never followed as this one.
    // A PENDING task has no start_time yet: neither adopted nor a sign until it starts (the next lookups see it).
    const startedAt = (task: { start_time?: string }) => (task.start_time ? Date.parse(task.start_time) : NaN);
    const running = Object.entries(tasks)
      .filter(([, task]) => task.operation.endsWith('failover') && !isTerminal(task.status))
      .filter(([, task]) => Number.isFinite(startedAt(task)))
      .sort(([, a], [, b]) => startedAt(a) - startedAt(b));
    const { adoptFrom } = this;
    const ours = running.filter(([, task]) => adoptFrom !== undefined && startedAt(task) >= adoptFrom).at(-1);
    if (ours) {
      state.foundTaskId = ours[0];
      this.sign(`task ${ours[0]} (${ours[1].status}) is in vCenter's task list`);
      observe(state, `following task ${ours[0]}, found in vCenter's task list`);
      return undefined;
    }
    const other = running.at(-1);
    if (other) {
      const why =
        adoptFrom === undefined
          ? "vCenter's time before the request is unknown"
          : `it started ${other[1].start_time}, before the request (${this.input.vcenterTimeBefore})`;
      this.sign(`task ${other[0]} (${other[1].status}) is in vCenter's task list, not adopted: ${why}`);
      observe(state, `a failover task runs (${other[0]}), not adopted as this request's: ${why}`);
      return undefined;
    }
    observe(state, `no sign of a failover yet: roles, operations and tasks unchanged`, 'no-sign');
    return undefined;
  }

  /**
   * After a window without any sign: one read of the roles, the operations and the task list. Only
   * when all three answer and show nothing is the cluster confirmed unchanged; otherwise the
   * follow goes on (an unanswered read is no proof).
   */
  private async confirmedUnchanged(): Promise<boolean> {
    const { input, state } = this;
    this.renewSessionAfterOutage();
    try {
      await this.readCluster();
      if (!this.stillNoSign || this.switched) return false;
      await this.lookForRunningOperation();
      if (!this.stillNoSign) return false;
      await this.lookForTask();
      if (!this.stillNoSign) return false;
    } catch (error) {
      this.observeError(error);
      return false;
    }
    const seconds = Math.round(input.unconfirmed!.noSignWindowMs / 1_000);
    observe(
      state,
      `the cluster is unchanged (${describeSnapshot(this.last!)}); no sign of a failover for ${seconds} s`,
    );
    return true;
  }

  /**
   * Stage VERIFYING: until all members are UP (and HEALTHY when required), or the healthy deadline;
   * undefined when the cluster is back and the stability period starts. With a stability period, the
   * old active node ACTIVE again ends it at once: the cluster failed back by itself.
   */
  private async untilBack(): Promise<FollowFailoverResult | undefined> {
    const { input, state } = this;
    const healthyEnd = (state.switchedAtFollowedMs ?? this.followedFor()) + input.healthyTimeoutMs;
    let pollNow = this.resumedInVerifying;
    while (true) {
      if (!pollNow) await pause(input.pollIntervalMs, healthyEnd - this.followedFor());
      pollNow = false;
      if (this.followedFor() >= healthyEnd) return this.result('healthy-deadline');
      this.renewSessionAfterOutage();
      try {
        const snapshot = await this.snapshot();
        if (this.isBack(snapshot)) return this.back(snapshot);
        if (input.stableForMs !== undefined && snapshot.activeNode === input.previousActive) {
          return this.flippedBack(snapshot);
        }
        observe(state, this.notBackYet(snapshot), 'waiting');
      } catch (error) {
        this.observeError(error);
      }
    }
  }

  private async snapshot(): Promise<ClusterSnapshot> {
    // Partial: roles, state and health need only read privilege and no management vCenter.
    const read = await this.client.getClusterTimed({ partial: true });
    const snapshot = snapshotCluster(read.value, { observedAt: new Date() });
    this.reachable();
    this.last = snapshot;
    this.lastReadAt = read.vcenterTime
      ? { at: read.vcenterTime.toISOString(), clock: 'vcenter' }
      : { at: snapshot.observedAt, clock: 'worker' };
    return snapshot;
  }

  /**
   * The stability period, from the read that showed the cluster back: one read per poll interval,
   * each judged by `judgeHold`, until the roles held for the whole period, the old active node is
   * ACTIVE again, or the bound passes without proof. With the readiness gate, its requests take
   * turns with the role reads while a gate waits, and go on alone once the roles held.
   */
  private async untilHeld(): Promise<FollowFailoverResult> {
    const { input, state, readiness } = this;
    const stableMs = input.stableForMs ?? 0;
    const backAt = state.backAtFollowedMs!;
    const holdEnd = holdEndOf(state.switchedAtFollowedMs ?? backAt, input.healthyTimeoutMs, backAt, stableMs);
    const readyEnd = readiness ? backAt + readiness.options.withinMs : Infinity;
    // The read that showed the cluster back is the stretch's first, unless this attempt resumes a lost one.
    let readNow = !this.resumedHolding;
    while (true) {
      let reading: HoldReading;
      if (readNow && this.last) {
        reading = { kind: 'roles', activeNode: this.last.activeNode };
      } else {
        const now = this.followedFor();
        await pause(
          input.pollIntervalMs,
          holdPauseMs(now, input.pollIntervalMs, {
            holdEndMs: holdEnd,
            rolesHeld: !!state.rolesHeld,
            readyEndMs: readyEnd,
          }),
        );
        // Past the gate's bound, a gate still waiting ends the follow; with every gate passed, only the roles are left.
        if (readiness && this.followedFor() >= readyEnd) {
          const ended = this.readinessEnd(readiness, readyEnd);
          if (ended) return ended;
        }
        const poll = nextHoldPoll({
          gate: readiness !== undefined,
          rolesHeld: state.rolesHeld === true,
          readinessRequest: readiness?.pending === true && this.followedFor() < readyEnd,
          readinessTurn: state.readinessTurn === true,
        });
        if (poll === 'readiness') {
          const ended = await this.readinessPoll(readiness!, readyEnd);
          if (ended) return ended;
          continue;
        }
        this.renewSessionAfterOutage();
        try {
          reading = { kind: 'roles', activeNode: (await this.snapshot()).activeNode };
        } catch (error) {
          this.observeError(error);
          reading = { kind: 'unreadable', reason: state.observation };
        }
      }
      readNow = false;
      if (state.rolesHeld) {
        const ended = this.afterHeld(reading, readiness!, readyEnd);
        if (ended) return ended;
        continue;
      }
      if (reading.kind === 'roles') readiness?.vapiAnswered();
      // While a gate waits, the next poll is the gate's.
      if (readiness?.pending) state.readinessTurn = true;
      const judged = judgeHold(reading, this.followedFor(), {
        previousActive: input.previousActive,
        previousPassive: input.previousPassive,
        stableMs,
        heldSinceMs: state.heldSinceFollowedMs,
        holdEndMs: holdEnd,
      });
      if (judged.verdict === 'flipped-back') return this.flippedBack(this.last!);
      if (reading.kind === 'roles' && reading.activeNode === input.previousPassive) state.heldReadAt = this.lastReadAt;
      if (judged.verdict === 'held') {
        if (readiness) {
          state.rolesHeld = true;
          const ended = this.readinessEnd(readiness, readyEnd);
          if (ended) return ended;
          observe(
            state,
            `the roles held for ${formatDuration(stableMs)}; waiting for vCenter to serve (${readiness.describe()})`,
          );
          continue;
        }
        return this.verified();
      }
      if (judged.verdict === 'unproven') {
        observe(
          state,
          `${input.previousPassive} was back, but no read showed it ACTIVE for ${formatDuration(stableMs)} without a break before the healthy deadline`,
        );
        return this.result('hold-unproven');
      }
      const wasHolding = state.heldSinceFollowedMs !== undefined;
      if (judged.heldSinceMs === undefined) {
        delete state.heldSinceFollowedMs;
        if (reading.kind === 'roles') {
          const seen = reading.activeNode === undefined ? 'no node ACTIVE' : `${reading.activeNode} ACTIVE`;
          observe(
            state,
            `stability period broken: saw ${seen}; it starts again once ${input.previousPassive} is ACTIVE`,
            'hold-broken',
          );
        } else if (wasHolding) {
          observe(
            state,
            `stability period broken: ${reading.reason}; it starts again once vCenter answers`,
            'hold-broken',
          );
        }
      } else {
        state.heldSinceFollowedMs = judged.heldSinceMs;
        if (!wasHolding) {
          observe(state, `back: ${describeSnapshot(this.last!)}; holding for ${formatDuration(stableMs)}`, 'holding');
        }
      }
    }
  }

  /**
   * A role read after the roles held, made only by an attempt that resumed after the period: the
   * old active node ACTIVE is a flip back; the new one ACTIVE is this attempt's own proof of the
   * roles (and its vAPI gate), so the gate's verdict may end the follow; anything else proves
   * nothing, and the next poll reads again.
   */
  private afterHeld(
    reading: HoldReading,
    readiness: ReadinessCheck,
    readyEnd: number,
  ): FollowFailoverResult | undefined {
    const { input, state } = this;
    if (reading.kind === 'unreadable') return undefined;
    if (reading.activeNode === input.previousActive) return this.flippedBack(this.last!);
    if (reading.activeNode !== input.previousPassive) {
      const seen = reading.activeNode === undefined ? 'no node ACTIVE' : `${reading.activeNode} ACTIVE`;
      observe(state, `the roles held, but this attempt saw ${seen}; reading again`, 'hold-broken');
      return undefined;
    }
    state.heldReadAt = this.lastReadAt;
    readiness.vapiAnswered();
    return this.readinessEnd(readiness, readyEnd);
  }

  /** The roles held (and vCenter serves, with the readiness gate): the follow ends verified. */
  private verified(): FollowFailoverResult {
    const stableMs = this.input.stableForMs ?? 0;
    const period = stableMs > 0 ? `; the roles held for ${formatDuration(stableMs)}` : '';
    const serves = this.readiness ? `; vCenter serves (${this.readiness.describe()})` : '';
    observe(this.state, `verified: ${describeSnapshot(this.last!)}${period}${serves}`);
    return this.result('verified');
  }

  /** One poll of the readiness gate: its request, unless the bound passed; then its end, if any. */
  private async readinessPoll(readiness: ReadinessCheck, readyEnd: number): Promise<FollowFailoverResult | undefined> {
    this.state.readinessTurn = false;
    if (this.followedFor() < readyEnd && readiness.pending) {
      this.renewSessionAfterOutage();
      await readiness.step();
    }
    return this.readinessEnd(readiness, readyEnd);
  }

  /** The gate's end: not ready (a required gate cannot pass, or the bound passed), or verified once the roles held too. */
  private readinessEnd(readiness: ReadinessCheck, readyEnd: number): FollowFailoverResult | undefined {
    const { verdict } = readiness.verdict(this.followedFor() >= readyEnd);
    if (verdict === 'not-ready') {
      observe(this.state, `vCenter does not serve: ${readiness.describe()}`);
      log.warn('vCenter did not serve after the switch', { target: this.input.target, gates: readiness.describe() });
      return this.result('not-ready');
    }
    if (verdict === 'ready' && this.state.rolesHeld) return this.verified();
    return undefined;
  }

  /** The old active node is ACTIVE again after the switch: the cluster failed back by itself. */
  private flippedBack(snapshot: ClusterSnapshot): FollowFailoverResult {
    const at = this.lastReadAt;
    observe(
      this.state,
      `failed back by itself: ${this.input.previousActive} is ACTIVE again` +
        `${at ? ` (read at ${at.at}, ${at.clock === 'vcenter' ? "vCenter's time" : "this worker's time"})` : ''}` +
        ` (${describeSnapshot(snapshot)})`,
    );
    log.warn('the cluster failed back by itself after the switch', { target: this.input.target, at: at?.at });
    return this.result('flipped-back');
  }

  private async pollTask(taskId: string): Promise<void> {
    const { state } = this;
    try {
      const task = await this.client.getTask(taskId);
      this.reachable();
      state.taskStatus = task.status;
      const progress = task.progress
        ? ` ${Math.round((100 * task.progress.completed) / Math.max(task.progress.total, 1))}%`
        : '';
      if (task.status === 'FAILED') {
        state.taskError = taskErrorText(task);
        observe(state, `task FAILED: ${state.taskError}`);
      } else {
        observe(
          state,
          `task ${task.status}${progress}${task.progress?.message?.default_message ? ` (${task.progress.message.default_message})` : ''}`,
          `task-${task.status}`,
        );
      }
    } catch (error) {
      const errorClass = classOf(error);
      if (isNotFound(errorClass)) {
        state.taskGone = true;
        this.reachable();
        observe(state, `task ${taskId} unknown on the new node; judging by the cluster state`);
        return;
      }
      if (!isOutage(errorClass)) state.taskUnreadable = true;
      throw error;
    }
  }

  /** Records a failed request; throws only for errors no waiting can cure (vCenter's 403). */
  private observeError(error: unknown): void {
    const errorClass: VcenterErrorClass = classOf(error);
    if (isUnauthorized(errorClass)) throw notAuthorizedFailure(this.input.target, error as VcenterError, 'System.Read');
    if (isOutage(errorClass)) {
      // A hidden failover's switch looks exactly like this: the no-sign window starts again once vCenter answers.
      if (this.input.unconfirmed) this.state.quietSinceFollowedMs = this.followedFor();
      this.tryOtherAddress();
      return observeUnreachable(this.state, outageReason(errorClass));
    }
    this.reachable();
    if (errorClass.kind === 'malformed') {
      return observe(this.state, `unexpected response from vCenter: ${errorClass.detail}`, 'bad-response');
    }
    observe(this.state, `vCenter error: ${errorClass.detail}`, 'error');
  }

  /**
   * After vCenter was unreachable the failover has most likely switched nodes, and the new active
   * node does not know the old session: log in first instead of spending a request on a 401. (The
   * client's transport already starts a fresh connection pool after an outage: a kept-alive
   * connection to the address that moved would hang until the request's deadline.)
   */
  private renewSessionAfterOutage(): void {
    if (this.state.unreachableSince !== undefined) this.client.forgetSession();
  }

  /**
   * The cluster is back: verified at once without a stability period; with one, the period starts
   * here (undefined: the follow goes on in {@link untilHeld}).
   */
  private back(snapshot: ClusterSnapshot): FollowFailoverResult | undefined {
    if (this.input.stableForMs === undefined && this.readiness === undefined) {
      observe(this.state, `verified: ${describeSnapshot(snapshot)}`);
      return this.result('verified');
    }
    this.state.backAtFollowedMs = this.followedFor();
    return undefined;
  }

  /** Whether the new active node is the expected one with all members UP (and HEALTHY when required). */
  private isBack(snapshot: ClusterSnapshot): boolean {
    return (
      snapshot.activeNode === this.input.previousPassive &&
      allMembersUp(snapshot) &&
      (!this.input.requireHealthy || snapshot.healthState === 'HEALTHY')
    );
  }

  private notBackYet(snapshot: ClusterSnapshot): string {
    if (snapshot.activeNode !== this.input.previousPassive)
      return `expected ${this.input.previousPassive} ACTIVE, saw ${snapshot.activeNode ?? 'none'}`;
    if (!allMembersUp(snapshot)) return `waiting for all members UP (${describeSnapshot(snapshot)})`;
    return `cluster ${snapshot.healthState ?? 'health unknown'}, waiting for HEALTHY`;
  }
}

/**
 * Builds the activity that follows a failover request to its end: first until the old passive
 * node is ACTIVE (or the task FAILED), then until all members are UP and the cluster is HEALTHY.
 * One activity for both stages keeps the history small; its heartbeat says which stage it is in
 * (`phase`), and a retried attempt resumes in the stage, and with the time counted, it left. `clock`
 * is this process's unless a test injects another.
 */
export function makeFollowFailover(deps: ActivityDeps, clock: FollowClock = SYSTEM_CLOCK) {
  return async function followFailover(input: FollowFailoverInput): Promise<FollowFailoverResult> {
    const { info } = Context.current();
    const follow = new Follow(
      input,
      followAddresses(deps, input),
      info.heartbeatDetails,
      clock,
      info.scheduledTimestampMs,
    );
    return withHeartbeats(
      () => follow.run(),
      () => follow.heartbeat(),
    );
  };
}

/** The addresses a follow reads at: the target's address now, and the one the failover moves it to. */
function followAddresses(deps: ActivityDeps, input: FollowFailoverInput): FollowAddress[] {
  const client = clientOf(deps, input.target);
  const addressing = deps.addresses;
  if (addressing === undefined) return [{ url: '', client }];
  const now = addressing.servingUrl(input.target);
  const at = (url: string): FollowAddress => ({
    url,
    client: url === now ? client : addressing.clientAt(input.target, url),
    answered: () => addressing.answeredAt(input.target, url),
  });
  return input.followAt === undefined || input.followAt === now ? [at(now)] : [at(now), at(input.followAt)];
}
