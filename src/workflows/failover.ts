/**
 * `vchaFailover`: validate, lock the target, preflight, trigger at most once, follow the failover
 * through its own outage, verify from the cluster state, record the outcome. Deterministic: all
 * I/O happens in activities; this file only decides.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  TimeoutFailure,
  WorkflowIdReusePolicy,
  isCancellation,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, type SearchAttributeUpdatePair } from '@temporalio/common';
import type {
  FailoverActivities,
  FollowFailoverResult,
  RecordOutcomeInput,
  RecordOutcomeResult,
  TriggerResult,
} from '../activities';
import {
  formatDuration,
  readFollowHeartbeat,
  statusQuery,
  targetLockWorkflowId,
  VCHA_OUTCOME,
  VCHA_PHASE,
  VCHA_PLANNED,
  VCHA_TARGET,
  type FailoverPhase,
  type FailoverRecord,
  type FailoverResult,
  type FailoverStatus,
  type FailureType,
  type FollowStage,
  type SuccessOutcome,
} from '../contract';
import type { ClusterSnapshot } from '../domain/cluster-snapshot';
import type { PreflightCheck } from '../domain/preflight-rules';
import type { ValidatedFailoverInput, VchaFailoverInput } from '../inputs/failover-input';
import { recordFailoverMetrics } from './metrics';
import { vchaTargetLock } from './target-lock';

/** How often, and how long apart, a run retries a lock whose holder has just closed. */
const LOCK_STALE_RETRIES = 10;
const LOCK_STALE_RETRY_INTERVAL_MS = 500;

/** Ends a run early with a contract failure type and the record so far. */
class RunEnd {
  constructor(
    readonly outcome: FailureType,
    readonly message: string,
    readonly extra: Partial<FailoverRecord> = {},
  ) {}
}

const CONTRACT_FAILURE_TYPES = new Set<string>([
  'UnknownTarget',
  'NotAuthorized',
  'PreflightRejected',
  'FailoverFailed',
  'TargetBusy',
]);

/** The failure type an activity failure carries when it is one of the contract's. */
function contractTypeOf(error: unknown): FailureType | undefined {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
    const type = error.cause.type ?? '';
    if (CONTRACT_FAILURE_TYPES.has(type)) return type as FailureType;
  }
  return undefined;
}

/** The stage a follow activity last heartbeated before it timed out, when the failure carries it. */
function followStageOf(error: unknown): FollowStage | undefined {
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof TimeoutFailure)) return undefined;
  return readFollowHeartbeat(error.cause.lastHeartbeatDetails)?.phase;
}

function causeMessage(error: unknown): string {
  if (error instanceof ActivityFailure) return error.cause?.message ?? error.message;
  return error instanceof Error ? error.message : String(error);
}

/** How this run was started, for the outcome record. */
function startedBy(): string {
  const info = workflowInfo();
  if (info.parent) return `parent:${info.parent.workflowId}`;
  const scheduledBy = info.searchAttributes?.TemporalScheduledById;
  if (Array.isArray(scheduledBy) && typeof scheduledBy[0] === 'string') return `schedule:${scheduledBy[0]}`;
  const memoStartedBy = info.memo?.startedBy;
  return typeof memoStartedBy === 'string' ? memoStartedBy : 'other';
}

/**
 * Phases written to the `VchaPhase` search attribute (PREFLIGHT is set with the target). VERIFYING
 * is seen inside the follow activity, so it is in the status and the heartbeat, not the index.
 */
const INDEXED_PHASES = new Set<FailoverPhase>(['FAILING_OVER', 'COMPLETED']);

/** Moves the run to a phase; `alsoIndex` joins the phase's search-attribute upsert. */
type EnterPhase = (phase: FailoverPhase, observation: string, alsoIndex?: SearchAttributeUpdatePair[]) => void;

/** Puts reason and requester in the memo, so the Web UI shows them, unless the starter already did. */
function recordWhyInMemo(input: ValidatedFailoverInput): void {
  const memo = workflowInfo().memo ?? {};
  const missing: Record<string, unknown> = {};
  if (input.reason !== undefined && memo.reason !== input.reason) missing.reason = input.reason;
  if (input.requestedBy !== undefined && memo.requestedBy !== input.requestedBy)
    missing.requestedBy = input.requestedBy;
  if (Object.keys(missing).length > 0) upsertMemo(missing);
}

/** Performs one VCHA failover (or a dry run of its checks) on a target configured on the worker. */
export async function vchaFailover(rawInput: VchaFailoverInput): Promise<FailoverResult> {
  const startedAt = new Date();
  const status: FailoverStatus = {
    phase: 'VALIDATING',
    startedAt: startedAt.toISOString(),
    timeline: [{ phase: 'VALIDATING', at: startedAt.toISOString() }],
    observation: 'validating input',
    cancelRequested: false,
  };
  setHandler(statusQuery, () => status);
  CancellationScope.current().cancelRequested.catch(() => {
    status.cancelRequested = true;
  });
  const enter: EnterPhase = (phase, observation, alsoIndex = []) => {
    status.phase = phase;
    status.observation = observation;
    status.timeline.push({ phase, at: new Date().toISOString() });
    log.info(`phase ${phase}`, { phase, observation });
    // Each upsert is a history event: only the phases operators filter on are indexed, in one upsert.
    if (INDEXED_PHASES.has(phase)) upsertSearchAttributes([{ key: VCHA_PHASE, value: phase }, ...alsoIndex]);
  };

  const { validateFailoverInput } = proxyLocalActivities<FailoverActivities>({
    startToCloseTimeout: '10s',
    retry: { maximumAttempts: 3 },
  });
  const validation = await validateFailoverInput({ raw: rawInput });
  if (!validation.ok) {
    upsertSearchAttributes([{ key: VCHA_OUTCOME, value: 'InvalidInput' }]);
    throw ApplicationFailure.create({
      type: 'InvalidInput',
      message: `Invalid vchaFailover input: ${validation.problems.join('; ')}`,
      nonRetryable: true,
      details: [{ problems: validation.problems }],
    });
  }
  const input = validation.input;
  Object.assign(status, { target: input.target, planned: input.planned, dryRun: input.dryRun });
  upsertSearchAttributes([
    { key: VCHA_TARGET, value: input.target },
    { key: VCHA_PLANNED, value: input.planned },
    { key: VCHA_PHASE, value: 'PREFLIGHT' },
  ]);
  recordWhyInMemo(input);

  const run = new FailoverRun(input, status, enter);
  let outcome: SuccessOutcome | RunEnd;
  try {
    outcome = await run.execute();
  } catch (error) {
    if (!isCancellation(error)) throw error;
    outcome = new RunEnd(
      'Cancelled',
      `cancelled before the failover was triggered: nothing was changed on ${input.target}`,
    );
  }

  return CancellationScope.nonCancellable(async () => {
    const record = run.record(outcome, startedAt);
    enter('RECORDING', 'recording the outcome');
    const recordInput = { record, startedBy: startedBy() };
    let notify = false;
    try {
      // Runs recorded before the webhook existed got no answer here: treat that as "don't notify".
      const recorded = (await run.recordOutcome(recordInput)) as { notify?: boolean } | undefined;
      notify = recorded?.notify === true;
    } catch (error) {
      // A lost record must not hide the failover's real outcome; the log keeps it.
      log.error('could not record the outcome', { error: causeMessage(error), outcome: record.outcome });
    }
    if (notify) {
      try {
        await proxyActivities<FailoverActivities>({
          startToCloseTimeout: '30s',
          retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3 },
        }).notifyOutcome(recordInput);
      } catch (error) {
        // The webhook is a courtesy: its failure never changes the outcome.
        log.warn('completion webhook failed', { error: causeMessage(error) });
      }
    }
    status.outcome = record.outcome;
    enter('COMPLETED', record.message, [{ key: VCHA_OUTCOME, value: record.outcome }]);
    recordFailoverMetrics(record, run.longestOutageMs);
    if (outcome instanceof RunEnd) {
      throw ApplicationFailure.create({
        type: outcome.outcome,
        message: record.message,
        nonRetryable: true,
        details: [record],
      });
    }
    return record as FailoverResult;
  });
}

/** The state and steps of one run, kept apart from the entry point for readability. */
class FailoverRun {
  private before?: ClusterSnapshot;
  private after?: ClusterSnapshot;
  private trigger?: TriggerResult;
  private observations: string[] = [];
  private triggered: FailoverRecord['triggered'] = 'no';
  private cancelTooLate = false;
  /** Longest vCenter outage the follow activity saw, for metrics. */
  longestOutageMs?: number;
  private successMessage = '';

  /**
   * Recording is one idempotent upsert: it is tried first as a local activity, inside the final
   * workflow task (no round trip through the server, five events fewer), for at most 10 s so a
   * slow store never holds a workflow-task slot for long. When that fails, a regular activity
   * retries it, where the retries show under pending activities.
   */
  async recordOutcome(input: RecordOutcomeInput): Promise<RecordOutcomeResult> {
    try {
      return await proxyLocalActivities<FailoverActivities>({
        startToCloseTimeout: '5s',
        scheduleToCloseTimeout: '10s',
        retry: { initialInterval: '1s', maximumAttempts: 2 },
      }).recordOutcome(input);
    } catch (error) {
      log.warn('recording inline failed; retrying it as an activity', { error: causeMessage(error) });
      return proxyActivities<FailoverActivities>({
        startToCloseTimeout: '1m',
        retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 },
      }).recordOutcome(input);
    }
  }

  constructor(
    private readonly input: ValidatedFailoverInput,
    private readonly status: FailoverStatus,
    private readonly enter: EnterPhase,
  ) {}

  /** Runs the phases; returns the success outcome or a RunEnd. */
  async execute(): Promise<SuccessOutcome | RunEnd> {
    // Preflight only reads, so it runs while the lock is taken: a busy target just discards it, and
    // the trigger re-reads the cluster before sending anyway. This saves a round trip per run.
    this.enter('PREFLIGHT', `reading the cluster state of ${this.input.target}`);
    const preflight = this.preflight();
    preflight.catch(() => undefined); // Awaited below unless the target is busy.
    const busy = await this.acquireLock();
    if (busy) return busy;
    const rejected = await preflight;
    if (rejected) return rejected;
    if (this.input.dryRun) {
      this.successMessage = `dry run passed: ${this.input.target} can fail over (active ${this.before!.activeNode})`;
      return 'DRY_RUN_PASSED';
    }
    if (this.status.cancelRequested) {
      return new RunEnd(
        'Cancelled',
        `cancelled before the failover was triggered: nothing was changed on ${this.input.target}`,
      );
    }
    // From here on the failover may be under way: a cancel cannot stop it, so the run follows it to the end.
    return CancellationScope.nonCancellable(() => this.triggerAndFollow());
  }

  private async acquireLock(): Promise<RunEnd | undefined> {
    const info = workflowInfo();
    const lockWorkflowId = targetLockWorkflowId(this.input.target);
    const { describeTargetLock } = proxyActivities<FailoverActivities>({
      startToCloseTimeout: '30s',
      retry: { maximumAttempts: 3 },
    });
    for (let attempt = 1; ; attempt++) {
      try {
        // Started outside the cancellable scope: cancelling this run must not free the target while a
        // failover runs. Released (terminated) by the parent-close policy when this run ends, however it ends.
        await CancellationScope.nonCancellable(() =>
          startChild(vchaTargetLock, {
            workflowId: lockWorkflowId,
            args: [{ target: this.input.target, holder: { workflowId: info.workflowId, runId: info.runId } }],
            parentClosePolicy: ParentClosePolicy.TERMINATE,
            workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
          }),
        );
        return undefined;
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
      const holder = await describeTargetLock({ lockWorkflowId }).catch(() => undefined);
      // A holder that has just closed leaves its lock for a moment until the server cancels it.
      if (holder?.running === false && attempt < LOCK_STALE_RETRIES) {
        await sleep(LOCK_STALE_RETRY_INTERVAL_MS);
        continue;
      }
      return new RunEnd(
        'TargetBusy',
        holder
          ? `target ${this.input.target} is busy: run ${holder.workflowId} (${holder.runId ?? 'run id unknown'}) is failing it over`
          : `target ${this.input.target} is busy: another run holds ${lockWorkflowId}`,
        { heldBy: holder ? { workflowId: holder.workflowId, runId: holder.runId } : undefined },
      );
    }
  }

  private async preflight(): Promise<RunEnd | undefined> {
    const { preflight } = proxyActivities<FailoverActivities>({
      startToCloseTimeout: '2m',
      heartbeatTimeout: '15s',
      retry: {
        initialInterval: '2s',
        backoffCoefficient: 2,
        maximumInterval: '20s',
        maximumAttempts: 4,
        nonRetryableErrorTypes: ['UnknownTarget', 'NotAuthorized'],
      },
    });
    let checks: PreflightCheck[];
    try {
      const report = await preflight({ target: this.input.target, planned: this.input.planned });
      this.before = report.snapshot;
      this.status.preflight = report.snapshot;
      checks = report.checks;
    } catch (error) {
      if (isCancellation(error)) throw error;
      const type = contractTypeOf(error);
      if (type) return new RunEnd(type, causeMessage(error));
      return new RunEnd(
        'PreflightRejected',
        `could not read the cluster state of ${this.input.target}: ${causeMessage(error)}`,
        {
          failedChecks: [{ id: 'reachable', ok: false, detail: `vCenter answers (${causeMessage(error)})` }],
        },
      );
    }
    const failed = checks.filter((c) => !c.ok);
    if (failed.length > 0) {
      return new RunEnd(
        'PreflightRejected',
        `preflight rejected the failover of ${this.input.target}: ${failed.map((c) => c.detail).join('; ')}`,
        { failedChecks: failed },
      );
    }
    this.status.observation = `preflight passed: active ${this.before?.activeNode}, passive ${this.before?.passiveNode}`;
    return undefined;
  }

  private async triggerAndFollow(): Promise<SuccessOutcome | RunEnd> {
    const before = this.before!;
    const { pollInterval, deadlines, target, planned } = this.input;
    this.enter('TRIGGERING', `sending the ${planned ? 'planned' : 'forced'} failover request`);
    const { triggerFailover } = proxyActivities<FailoverActivities>({
      startToCloseTimeout: '3m',
      heartbeatTimeout: '15s',
      retry: {
        initialInterval: '2s',
        backoffCoefficient: 2,
        maximumInterval: '20s',
        maximumAttempts: 5,
        nonRetryableErrorTypes: ['UnknownTarget', 'NotAuthorized', 'FailoverFailed', 'PreflightRejected'],
      },
    });
    try {
      this.trigger = await triggerFailover({
        target,
        planned,
        expectedActive: before.activeNode!,
        notBefore: new Date().toISOString(),
      });
      this.triggered = this.trigger.sent;
      this.status.taskId = this.trigger.taskId;
      this.observations.push(this.trigger.note);
    } catch (error) {
      const type = contractTypeOf(error);
      if (type) return new RunEnd(type, causeMessage(error));
      const cause = error instanceof ActivityFailure ? error.cause : undefined;
      if (cause instanceof ApplicationFailure && cause.type === 'FailoverNotSent') {
        return new RunEnd('FailoverFailed', `the failover request never reached ${target}: ${cause.message}`);
      }
      // The last attempt may have sent it: the cluster state decides.
      this.triggered = 'unknown';
      this.observations.push(`trigger outcome unknown (${causeMessage(error)}); following the cluster state`);
    }
    if (this.status.cancelRequested) this.cancelTooLate = true;

    const triggeredAt = Date.now();
    this.enter(
      'FAILING_OVER',
      this.trigger?.taskId ? `following task ${this.trigger.taskId}` : 'following the cluster state',
    );
    const heartbeatTimeout = Math.min(Math.max(3 * pollInterval, 15_000), 120_000);
    let followed: FollowFailoverResult;
    try {
      followed = await proxyActivities<FailoverActivities>({
        // Room for both deadlines plus the retries and the heartbeat timeout around them.
        startToCloseTimeout: triggeredAt + deadlines.failover - Date.now() + deadlines.healthy + 120_000,
        heartbeatTimeout,
        retry: {
          initialInterval: '1s',
          maximumInterval: pollInterval,
          backoffCoefficient: 2,
          maximumAttempts: 20,
          nonRetryableErrorTypes: ['UnknownTarget', 'NotAuthorized'],
        },
      }).followFailover({
        target,
        taskId: this.trigger?.taskId,
        previousActive: before.activeNode!,
        previousPassive: before.passiveNode!,
        switchDeadline: triggeredAt + deadlines.failover,
        healthyTimeoutMs: deadlines.healthy,
        requireHealthy: this.input.requireHealthy,
        pollIntervalMs: pollInterval,
      });
    } catch (error) {
      const type = contractTypeOf(error);
      if (type) return new RunEnd(type, causeMessage(error));
      if (followStageOf(error) === 'VERIFYING') {
        return new RunEnd('FailoverNotHealthy', `could not verify ${target} after the switch: ${causeMessage(error)}`);
      }
      return new RunEnd('FailoverOutcomeUnknown', `lost track of the failover of ${target}: ${causeMessage(error)}`);
    }
    this.observations.push(...followed.observations);
    this.longestOutageMs = followed.longestOutageMs;
    this.after = followed.snapshot;
    if (followed.switchedAt) {
      // The switch was seen inside the follow activity: the timeline gets its real time.
      this.status.timeline.push({ phase: 'VERIFYING', at: followed.switchedAt });
      this.status.phase = 'VERIFYING';
    }
    this.status.observation = followed.observation;
    if (this.status.cancelRequested) this.cancelTooLate = true;
    switch (followed.outcome) {
      case 'failed':
        return new RunEnd(
          'FailoverFailed',
          `the failover task of ${target} FAILED and ${before.activeNode} is still ACTIVE: ${followed.taskError ?? 'no error message'}`,
        );
      case 'switch-deadline':
        return new RunEnd(
          'FailoverOutcomeUnknown',
          `no proof that ${target} failed over within ${formatDuration(deadlines.failover)}; last observation: ${followed.observation}`,
        );
      case 'healthy-deadline':
        return new RunEnd(
          'FailoverNotHealthy',
          `${target} switched to ${before.passiveNode} but was not ${this.input.requireHealthy ? 'HEALTHY with all members UP' : 'back with all members UP'} within ${formatDuration(deadlines.healthy)}; last observation: ${followed.observation}`,
        );
      case 'verified':
        break;
    }
    this.successMessage = `${target} failed over: ${before.passiveNode} is ACTIVE, ${this.after?.healthState ?? 'health unknown'}`;
    return 'SUCCEEDED';
  }

  /** The record of this run for its result, failure details and the outcome store. */
  record(outcome: SuccessOutcome | RunEnd, startedAt: Date): FailoverRecord {
    const finishedAt = new Date();
    const tooLate = this.cancelTooLate || (this.status.cancelRequested && this.triggered !== 'no');
    const message =
      (outcome instanceof RunEnd ? outcome.message : this.successMessage) +
      (tooLate ? ' (cancellation was requested after the failover was triggered: too late to stop it)' : '');
    return {
      target: this.input.target,
      planned: this.input.planned,
      dryRun: this.input.dryRun,
      reason: this.input.reason,
      requestedBy: this.input.requestedBy,
      outcome: outcome instanceof RunEnd ? outcome.outcome : outcome,
      message,
      taskId: this.trigger?.taskId,
      triggered: this.triggered,
      triggeredAt: this.trigger?.at,
      before: this.before,
      after: this.after,
      activeBefore: this.before?.activeNode,
      activeAfter: this.after?.activeNode,
      observations: this.observations.slice(-40),
      timeline: [...this.status.timeline],
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      ...(tooLate ? { cancelRequestedAfterTrigger: true } : {}),
      ...(outcome instanceof RunEnd ? outcome.extra : {}),
    };
  }
}
