/**
 * One `vchaMaintenance` run: a planned failover, a maintenance window on the new node, and a
 * planned failback. Each failover is a `vchaFailover` child (the same preflight, at-most-once
 * send, follow, verify, policy and approval, and its own outcome record); this run holds the
 * target's lock from before the first leg to after the last, so nothing else fails the target
 * over in between, and its legs run under that lock. In VMware's order, the cluster is put in
 * MAINTENANCE mode before the first leg (VCHA then does not fail over by itself while a node is
 * patched) and its original mode is restored after the failback, still under the lock.
 */
import {
  CancellationScope,
  type ActivityOptions,
  condition,
  isCancellation,
  patched as historyHasPatch,
  proxyActivities,
  proxyLocalActivities,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import type { FailoverActivities } from '../../activities';
import {
  WORKFLOW_TYPES,
  contractFailure,
  formatDuration,
  memoFields,
  readMemo,
  type FailoverRecord,
  type FailureType,
  type MaintenanceDoneArgs,
  type MaintenanceLeg,
  type MaintenanceLegName,
  type MaintenancePhase,
  type MaintenanceWindow,
  type MaintenanceRecord,
  type MaintenanceResult,
  type MaintenanceStatus,
  type VchaMaintenanceInput,
  MODE_SET_FAILURE_TYPES,
  type ClusterIdentity,
  type ClusterMode,
  type MaintenanceModeChange,
} from '../../contract';
import type { ValidatedMaintenanceInput } from '../../contract/input/maintenance';
import { childFailure, childInput, runFailoverChild } from '../common/child-failover';
import { LEDGER, finishInLedger, parentOfThisRun } from '../common/hold-cluster';
import { holdTarget } from '../common/hold-target';
import { PATCHES } from '../failover/patches';
import { readAcquired } from '../failover/ledger-reading';
import { PREFLIGHT } from '../failover/activity-options';
import { enterPhase, refuseUpdate, startingStatus } from '../common/run-status';
import { validatedOrThrow, validators } from '../common/validation';
import { applicationCause, causeMessage } from '../common/activity-errors';
import { endAfterRestore, enterFailedEnd, modeAtEnd, modeChange } from './mode-plan';

/**
 * The mode set is idempotent (the activity reads the mode first), so it is retried: briefly before
 * the first leg (a cluster that cannot enter MAINTENANCE ends the run before anything is sent), for
 * up to 10 minutes after the failback (leaving MAINTENANCE needs a HEALTHY cluster, and a resync
 * may still be running). A missing privilege or a task vCenter ended FAILED is final.
 */
const MODE_SET_FINAL = ['NotAuthorized', 'UnknownTarget', MODE_SET_FAILURE_TYPES.notSet];
const ENTER_MODE: ActivityOptions = {
  startToCloseTimeout: '2m',
  scheduleToCloseTimeout: '3m',
  heartbeatTimeout: '15s',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '10s',
    maximumAttempts: 3,
    nonRetryableErrorTypes: MODE_SET_FINAL,
  },
};
const RESTORE_MODE: ActivityOptions = {
  startToCloseTimeout: '2m',
  scheduleToCloseTimeout: '10m',
  heartbeatTimeout: '15s',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    nonRetryableErrorTypes: MODE_SET_FINAL,
  },
};

/** How a maintenance run ends. */
interface MaintenanceEnd {
  outcome: 'SUCCEEDED' | FailureType;
  message: string;
}

/** How a leg ended: its record (from the result or the failure's details) or why there is none. */
interface LegEnd {
  ok: boolean;
  outcome: 'SUCCEEDED' | FailureType;
  message: string;
  record?: FailoverRecord;
}

/** Refuses a `maintenanceDone` Update: the validator's answer, which leaves no trace in history. */
function refuseDone(message: string): never {
  refuseUpdate('MaintenanceDoneRefused', message);
}

/** The state and steps of one maintenance run. */
export class MaintenanceRun {
  /** What the `status` query returns. */
  readonly status: MaintenanceStatus;
  private input?: ValidatedMaintenanceInput;
  private raw?: VchaMaintenanceInput;
  private done?: { endedBy: 'maintenanceDone' | 'cancel'; by?: string; note?: string };
  /** The run takes the ledger path (`PATCHES.clusterLedger`); older runs hold the target's lock. */
  private usesLedger = false;
  /** The cluster this run holds through its ledger (runs from before the ledger hold the target's lock). */
  private heldCluster?: ClusterIdentity;
  /** The run sets MAINTENANCE mode and restores the original (`PATCHES.maintenanceMode`); older runs leave the mode alone. */
  private setsMode = false;

  constructor(private readonly startedAt: Date) {
    this.status = { ...startingStatus(startedAt), legs: [] };
  }

  private enter(phase: MaintenancePhase, observation: string): void {
    enterPhase(this.status, phase, observation);
  }

  /** A cancel: during IN_MAINTENANCE it means "done now"; during a leg, the leg's own rules apply. */
  noteCancel(): void {
    this.status.cancelRequested = true;
    if (this.status.phase === 'IN_MAINTENANCE' && !this.done) this.done = { endedBy: 'cancel' };
  }

  /** The `maintenanceDone` validator: only in IN_MAINTENANCE, once, from someone named. */
  validateDone(args: unknown): void {
    if (this.done)
      refuseDone(`maintenance already ended (${this.done.endedBy}${this.done.by ? ` by ${this.done.by}` : ''})`);
    if (this.status.phase !== 'IN_MAINTENANCE') {
      refuseDone(`the run is not in maintenance (phase ${this.status.phase})`);
    }
    const { by, note } = (typeof args === 'object' && args !== null ? args : {}) as Partial<MaintenanceDoneArgs>;
    if (typeof by !== 'string' || by.trim() === '') refuseDone('by is required: who says the maintenance is done');
    if (by.length > 200) refuseDone('by is longer than 200 characters');
    if (note !== undefined && (typeof note !== 'string' || note.length > 500)) {
      refuseDone('note must be a string of at most 500 characters');
    }
  }

  /** Ends the maintenance window; the run goes on to fail back if configured. */
  markDone(args: MaintenanceDoneArgs): MaintenanceStatus {
    this.done = { endedBy: 'maintenanceDone', by: args.by.trim(), ...(args.note ? { note: args.note } : {}) };
    return this.status;
  }

  /** Validates, holds the target, runs the legs; returns the record or throws it as the failure's details. */
  async execute(raw: VchaMaintenanceInput): Promise<MaintenanceResult> {
    // Asked before any command (see the failover run): whether this run holds its cluster through the ledger.
    this.usesLedger = historyHasPatch(PATCHES.clusterLedger.id);
    this.setsMode = historyHasPatch(PATCHES.maintenanceMode.id);
    const validation = await validators().validateMaintenanceInput({ raw });
    const input = validatedOrThrow(WORKFLOW_TYPES.maintenance, validation);
    this.input = input;
    this.raw = raw;
    this.status.target = input.target;
    this.status.failback = input.failback;
    if (readMemo(workflowInfo().memo).reason !== input.reason) upsertMemo(memoFields({ reason: input.reason }));

    let end: MaintenanceEnd;
    try {
      end = await this.run(input);
    } catch (error) {
      if (!isCancellation(error)) throw error;
      end = { outcome: 'Cancelled', message: this.whereLeft('cancelled') };
    }
    // Still under the hold: nothing else fails the cluster over while its mode is restored.
    if (this.setsMode) end = await CancellationScope.nonCancellable(() => this.settleMode(input, end));
    const cluster = this.heldCluster;
    if (cluster !== undefined) {
      const { trouble } = await CancellationScope.nonCancellable(() => finishInLedger(cluster, undefined));
      if (trouble) end = { ...end, message: `${end.message}; ${trouble}` };
    }
    return this.finish(end);
  }

  private async run(input: ValidatedMaintenanceInput): Promise<MaintenanceEnd> {
    if (this.usesLedger) {
      const refused = await this.holdCluster(input.target);
      if (refused) return refused;
    } else {
      const busy = await holdTarget(input.target);
      if (busy) return { outcome: 'TargetBusy', message: busy.message };
    }

    if (this.setsMode) {
      const refused = await this.enterMaintenanceMode(input);
      if (refused) return refused;
    }

    this.enter('FAILING_OVER', `planned failover of ${input.target}`);
    const first = await this.leg('failover');
    if (!first.ok) {
      return {
        outcome: first.outcome,
        message: `the failover before maintenance ended ${first.outcome}: ${first.message}`,
      };
    }
    const original = first.record?.activeBefore;
    const patched = first.record?.activeAfter;
    this.status.originalActive = original;

    const now = Date.now();
    const window: MaintenanceWindow = {
      startedAt: new Date(now).toISOString(),
      until: new Date(now + input.maxDuration).toISOString(),
    };
    this.status.window = window;
    this.enter(
      'IN_MAINTENANCE',
      `${patched} is ACTIVE; ${original} may be patched until ${window.until} (maintenanceDone ends it)`,
    );
    // A cancel already requested (during the first leg) ends the window at once.
    if (this.status.cancelRequested) this.done = { endedBy: 'cancel' };
    let ended: boolean;
    try {
      ended = await condition(() => this.done !== undefined, input.maxDuration);
    } catch (error) {
      if (!isCancellation(error)) throw error;
      this.done ??= { endedBy: 'cancel' };
      ended = true;
    }
    Object.assign(window, {
      endedAt: new Date().toISOString(),
      endedBy: ended ? this.done!.endedBy : 'maxDuration',
      ...(this.done?.by ? { by: this.done.by } : {}),
      ...(this.done?.note ? { note: this.done.note } : {}),
    });
    if (this.done) upsertMemo(memoFields({ maintenanceDone: { by: this.done.by ?? 'cancel', at: window.endedAt } }));

    if (!input.failback) {
      return {
        outcome: 'SUCCEEDED',
        message: `maintenance of ${input.target} done; left on ${patched} (failback: false)`,
      };
    }
    if (!ended && input.onMaxDuration === 'leave') {
      return {
        outcome: 'MaintenanceTimedOut',
        message: `maxDuration ${formatDuration(input.maxDuration)} passed without maintenanceDone: ${input.target} was left on ${patched} (onMaxDuration: leave); fail back with a planned failover once ${original} is patched`,
      };
    }
    // A cancel has ended the window: the failback still runs to its end (cancelling it would strand
    // the cluster half way); the scope keeps the cancel from reaching the leg.
    const failback = () => this.leg('failback', patched);
    const back = this.status.cancelRequested ? await CancellationScope.nonCancellable(failback) : await failback();
    if (back.ok) {
      return {
        outcome: 'SUCCEEDED',
        message: `maintenance of ${input.target} done: failed over to ${patched}, then back to ${back.record?.activeAfter ?? original}`,
      };
    }
    if (back.record?.triggered === 'no') {
      return {
        outcome: 'FailbackNotSent',
        message: `the failback was not sent, so ${input.target} was left on ${patched}: ${back.message}`,
      };
    }
    return { outcome: back.outcome, message: `the failback of ${input.target} ended ${back.outcome}: ${back.message}` };
  }

  /**
   * Holds the target's cluster through its ledger, from before the first leg to after the last:
   * every name of the cluster is refused meanwhile, and the legs run under this hold. Nothing is
   * sent here; a cluster that cannot be identified or held ends the run before any leg.
   */
  private async holdCluster(target: string): Promise<MaintenanceEnd | undefined> {
    const { workflowId, runId } = workflowInfo();
    try {
      const seen = await proxyActivities<FailoverActivities>({
        ...PREFLIGHT,
        summary: `identify the VCHA cluster of ${target}`,
      }).identifyCluster({ target });
      const cluster = seen.cluster;
      if (cluster === undefined) {
        return {
          outcome: 'PreflightRejected',
          message: `${target} did not report the VCHA addresses of node1, node2 and the witness, which identify its cluster's lock: nothing was sent`,
        };
      }
      const parent = parentOfThisRun();
      const acquired = await proxyLocalActivities<FailoverActivities>({
        ...LEDGER,
        summary: `take the lock of cluster ${cluster} for the maintenance`,
      }).acquireCluster({
        cluster,
        request: {
          workflowId,
          runId,
          type: WORKFLOW_TYPES.maintenance,
          target,
          ...(parent ? { parent } : {}),
          evidence: seen.evidence,
        },
      });
      if (acquired.held && acquired.via === 'holder') this.heldCluster = cluster;
      const start = readAcquired(acquired, target, cluster);
      // Another run's unresolved request would refuse both legs: say so before the first.
      if (start.step === 'end' && !start.end.ok) return { outcome: start.end.outcome, message: start.end.message };
      return undefined;
    } catch (error) {
      if (isCancellation(error)) throw error;
      const decoded = childFailure(error);
      return {
        outcome: decoded.outcome ?? 'PreflightRejected',
        message: `could not hold the cluster of ${target}: ${decoded.message}; nothing was sent`,
      };
    }
  }

  /**
   * Puts the cluster in MAINTENANCE mode before the first leg (a cluster already in it stays so,
   * with nothing to restore). Not cancellable: a cancel waits for the set, so the run always knows
   * what it changed. A cluster that cannot enter it ends the run before anything is sent.
   */
  private async enterMaintenanceMode(input: ValidatedMaintenanceInput): Promise<MaintenanceEnd | undefined> {
    const { target } = input;
    try {
      const set = await CancellationScope.nonCancellable(() =>
        this.setMode(ENTER_MODE, `put ${target} in MAINTENANCE mode`, input, 'MAINTENANCE'),
      );
      this.status.originalMode = set.from;
      this.noteMode(modeChange('enter', new Date().toISOString(), set));
      return undefined;
    } catch (error) {
      if (isCancellation(error)) throw error;
      const why = causeMessage(error);
      this.noteMode(modeChange('enter', new Date().toISOString(), { to: 'MAINTENANCE', failure: why }));
      return enterFailedEnd(target, applicationCause(error)?.type ?? undefined, why);
    }
  }

  /** After the legs: restores the original mode, or says why the cluster is left in MAINTENANCE. */
  private async settleMode(input: ValidatedMaintenanceInput, end: MaintenanceEnd): Promise<MaintenanceEnd> {
    const plan = modeAtEnd(input.target, this.status.modeChanges ?? [], this.status.legs);
    if (plan.action !== 'restore') return plan.note ? { ...end, message: `${end.message}; ${plan.note}` } : end;
    const original = plan.mode;
    try {
      const set = await this.setMode(RESTORE_MODE, `restore the ${original} mode of ${input.target}`, input, original);
      this.noteMode(modeChange('restore', new Date().toISOString(), set));
      return endAfterRestore(input.target, end, original);
    } catch (error) {
      const why = causeMessage(error);
      this.noteMode(
        modeChange('restore', new Date().toISOString(), { from: 'MAINTENANCE', to: original, failure: why }),
      );
      return endAfterRestore(input.target, end, original, why);
    }
  }

  private setMode(options: ActivityOptions, summary: string, input: ValidatedMaintenanceInput, mode: ClusterMode) {
    return proxyActivities<FailoverActivities>({ ...options, summary }).setClusterMode({
      target: input.target,
      mode,
      pollInterval: input.pollInterval ?? 1_000,
    });
  }

  private noteMode(change: MaintenanceModeChange): void {
    (this.status.modeChanges ??= []).push(change);
  }

  /** Runs one leg as a `vchaFailover` child linked to this run; how it ended, never a throw. */
  private async leg(name: MaintenanceLegName, expectedActive?: string): Promise<LegEnd> {
    const input = this.input!;
    const raw = this.raw!;
    const info = workflowInfo();
    const leg: MaintenanceLeg = { leg: name, workflowId: `${info.workflowId}/${name}` };
    this.status.legs.push(leg);
    if (name === 'failback')
      this.enter('FAILING_BACK', `planned failover of ${input.target} back to ${this.status.originalActive}`);
    let end: LegEnd;
    try {
      const legInput = childInput({
        target: input.target,
        planned: true,
        reason: `${input.reason} (maintenance ${name})`,
        requestedBy: input.requestedBy,
        pollInterval: raw.pollInterval,
        deadlines: raw.deadlines,
        readiness: raw.readiness,
        expectedActive,
      });
      const record = await runFailoverChild(
        leg.workflowId,
        legInput,
        `maintenance ${info.workflowId} (${name})`,
        memoFields({
          maintenance: { workflowId: info.workflowId, leg: name },
          requestedBy: input.requestedBy,
          reason: input.reason,
        }),
      );
      end = { ok: true, outcome: 'SUCCEEDED', message: record.message, record };
    } catch (error) {
      if (isCancellation(error)) throw error;
      end = legFailure(error);
    }
    Object.assign(leg, {
      outcome: end.outcome,
      message: end.message,
      ...(end.record
        ? {
            activeBefore: end.record.activeBefore,
            activeAfter: end.record.activeAfter,
            triggered: end.record.triggered,
          }
        : {}),
    });
    return end;
  }

  /** Where the cluster is after the legs that ran, for a run cancelled or failed mid-way. */
  private whereLeft(what: string): string {
    const first = this.status.legs[0];
    if (!first || first.triggered === 'no' || first.triggered === undefined) {
      return `${what} before the failover was sent: nothing was changed on ${this.input?.target}`;
    }
    return `${what}: ${this.input?.target} is on ${first.activeAfter ?? 'a node the run could not prove'}`;
  }

  private finish(end: MaintenanceEnd): MaintenanceResult {
    const input = this.input!;
    const finishedAt = new Date();
    const last = [...this.status.legs].reverse().find((l) => l.activeAfter !== undefined && l.outcome === 'SUCCEEDED');
    this.status.outcome = end.outcome;
    this.enter('COMPLETED', end.message);
    const record: MaintenanceRecord = {
      target: input.target,
      reason: input.reason,
      ...(input.requestedBy !== undefined ? { requestedBy: input.requestedBy } : {}),
      outcome: end.outcome,
      message: end.message,
      failback: input.failback,
      ...(this.status.originalActive ? { originalActive: this.status.originalActive } : {}),
      ...(last?.activeAfter ? { activeAtEnd: last.activeAfter } : {}),
      legs: this.status.legs.map((l) => ({ ...l })),
      ...(this.status.window ? { window: { ...this.status.window } } : {}),
      ...(this.status.originalMode ? { originalMode: this.status.originalMode } : {}),
      ...(this.status.modeChanges ? { modeChanges: this.status.modeChanges.map((c) => ({ ...c })) } : {}),
      timeline: [...this.status.timeline],
      startedAt: this.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - this.startedAt.getTime(),
    };
    if (end.outcome !== 'SUCCEEDED') {
      throw contractFailure(end.outcome, end.message, record);
    }
    return record as MaintenanceResult;
  }
}

/** A leg's failure as an end: the contract type and record from the child's failure. */
function legFailure(error: unknown): LegEnd {
  const failure = childFailure(error);
  if (failure.outcome) return { ok: false, outcome: failure.outcome, message: failure.message, record: failure.record };
  // Terminated, timed out, or something else: the leg's outcome cannot be told from here.
  return {
    ok: false,
    outcome: 'FailoverOutcomeUnknown',
    message: `the leg ended without a verdict: ${failure.message}`,
  };
}
