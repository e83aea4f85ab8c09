/**
 * One `vchaFailover` run: it owns the status the `status` query shows and every phase transition,
 * and decides each step from what its activities report. Deterministic: the activities do all I/O.
 *
 * The failover request is sent at most once by construction: the send activity has one attempt
 * and no retry, and the run schedules another only after an attempt that proves no byte reached
 * vCenter. Every other end of the send means "it may have been accepted": the run follows the
 * cluster state and never sends again.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  TimeoutFailure,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import { TimeoutType, type SearchAttributeUpdatePair } from '@temporalio/common';
import type {
  ClusterCheck,
  FailoverActivities,
  FollowFailoverInput,
  FollowFailoverResult,
  RecordOutcomeInput,
  RecordOutcomeResult,
} from '../activities';
import {
  APPROVAL_TEXT_MAX,
  APPROVER_MAX,
  FAILURE_TYPES,
  SEND_FAILURE_TYPES,
  VCHA_OUTCOME,
  VCHA_PHASE,
  VCHA_PLANNED,
  VCHA_TARGET,
  currentFailoverDetails,
  formatDuration,
  isFailureType,
  readFollowHeartbeat,
  readMaintenanceLink,
  type ApprovalRecord,
  type ApproveArgs,
  type FailoverPhase,
  type FailoverRecord,
  type FailoverResult,
  type FailoverStatus,
  type FailureType,
  type FollowHeartbeat,
  type RejectArgs,
  type SendFailureDetails,
  type SuccessOutcome,
  type VchaFailoverInput,
} from '../contract';
import type { ClusterSnapshot } from '../domain/cluster-snapshot';
import type { ValidatedFailoverInput } from '../inputs/failover-input';
import { recordFailoverMetrics } from './metrics';
import { holdTarget } from './hold-target';
import { VALIDATION, contractFailure, invalidInput } from './failures';

// ---- activity options: declared once, with their reasons ----

/** Contract answers are final wherever they come from; so are the send's verdicts. */
const FINAL_FAILURES: string[] = [...FAILURE_TYPES, ...Object.values(SEND_FAILURE_TYPES)];

/** Preflight only reads: transient vCenter trouble is retried for about half a minute. */
const PREFLIGHT: ActivityOptions = {
  startToCloseTimeout: '2m',
  heartbeatTimeout: '15s',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '20s',
    maximumAttempts: 4,
    nonRetryableErrorTypes: FINAL_FAILURES,
  },
};

/**
 * The check before the request (and after a refusal) only reads, so it is retried; as a local
 * activity it costs the history one marker and no round trip through the server.
 */
const CHECK: LocalActivityOptions = {
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '90s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '10s',
    nonRetryableErrorTypes: FINAL_FAILURES,
  },
};

/**
 * The request itself: one attempt, never retried, because a failover sent twice fails back. The
 * heartbeat timeout tells a lost worker from a slow answer, so the run goes on to follow the
 * cluster within seconds.
 */
const SEND = {
  // Not started in time means not sent: the run checks the cluster again before another attempt,
  // instead of sending long after its check (the cluster may have changed meanwhile).
  scheduleToStartTimeout: '1m',
  startToCloseTimeout: '2m',
  heartbeatTimeout: '15s',
  retry: { maximumAttempts: 1 },
} as const satisfies ActivityOptions;

/** After proof that nothing reached vCenter: how many attempts in all, and the pause before the next. */
const SEND_ATTEMPTS = 5;
const sendBackoffMs = (attempt: number) => 1_000 * 2 ** (attempt - 1);

/**
 * The follow activity: its heartbeat timeout is three polls, at least 15 s (the SDK throttles
 * heartbeats) and at most 2 minutes, and it is retried until the deadlines, plus one heartbeat
 * timeout for the last attempt to report: a run always ends in bounded time, with the last
 * heartbeat's observations when a worker could not finish it.
 */
function followOptions(input: ValidatedFailoverInput, switchDeadline: number): ActivityOptions {
  const heartbeatTimeout = Math.min(Math.max(3 * input.pollInterval, 15_000), 120_000);
  return {
    scheduleToCloseTimeout: switchDeadline - Date.now() + input.deadlines.healthy + heartbeatTimeout,
    heartbeatTimeout,
    retry: {
      initialInterval: '1s',
      maximumInterval: input.pollInterval,
      backoffCoefficient: 2,
      nonRetryableErrorTypes: FINAL_FAILURES,
    },
  };
}

/**
 * Recording is one idempotent upsert: tried first as a local activity inside the final workflow
 * task (no round trip, five events fewer), for at most 10 s so a slow store never holds a slot
 * for long; when that fails, a regular activity retries it where the retries show.
 */
const RECORD_INLINE: LocalActivityOptions = {
  startToCloseTimeout: '5s',
  scheduleToCloseTimeout: '10s',
  retry: { initialInterval: '1s', maximumAttempts: 2 },
};
const RECORD_RETRIED: ActivityOptions = {
  startToCloseTimeout: '1m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 },
};

/** The webhook is a courtesy: three tries, and its failure never changes the outcome. */
const NOTIFY: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3 },
};

/** Runs started before the request had an activity of its own still schedule the combined trigger with these. */
const LEGACY_TRIGGER: ActivityOptions = {
  startToCloseTimeout: '3m',
  heartbeatTimeout: '15s',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '20s',
    maximumAttempts: 5,
    nonRetryableErrorTypes: FINAL_FAILURES,
  },
};

/** Marks runs that send the request through its own one-attempt activity (see {@link FailoverRun.trigger}). */
const SEND_ONCE_PATCH = 'send-failover-once';
/**
 * Since a confirmed 5xx refusal waits the no-sign window before FailoverFailed. Runs of release
 * 0.1.0 ended at once on it and carry no marker: they keep that end, so their histories replay.
 */
const REFUSAL_WAITS_PATCH = 'refusal-5xx-waits-no-sign';

/** Phases written to the `VchaPhase` search attribute (PREFLIGHT is set with the target); each upsert is an event. */
const INDEXED_PHASES = new Set<FailoverPhase>(['AWAITING_APPROVAL', 'FAILING_OVER', 'COMPLETED']);

// ---- the shapes a run decides with ----

/** How a run ends: a success, or a contract failure with the record fields it adds. */
export type RunEnd =
  | { ok: true; outcome: SuccessOutcome; message: string }
  | { ok: false; outcome: FailureType; message: string; extra?: Partial<FailoverRecord> };

const failed = (outcome: FailureType, message: string, extra?: Partial<FailoverRecord>): RunEnd => ({
  ok: false,
  outcome,
  message,
  ...(extra ? { extra } : {}),
});

/** A cluster preflight let through: its snapshot, the two nodes the failover swaps, and the policy's word. */
interface PassedPreflight {
  snapshot: ClusterSnapshot;
  active: string;
  passive: string;
  /** `approval` when the target's policy asks for it; absent (reports of older workers) means allow. */
  policy?: 'allow' | 'approval';
}

/** Refuses an approve or reject Update: the validator's answer, which leaves no trace in history. */
function refuseDecision(message: string): never {
  throw ApplicationFailure.create({ type: 'ApprovalRefused', message, nonRetryable: true });
}

/** A required text argument of an Update, trimmed; refused when missing, empty or too long. */
function requiredText(value: unknown, name: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') refuseDecision(`${name} is required and must not be empty`);
  if (value.length > max) refuseDecision(`${name} is longer than ${max} characters`);
  return value.trim();
}

/** Whether the request went out, as far as can be proven, and what vCenter answered. */
interface Sent {
  triggered: 'yes' | 'unknown';
  taskId?: string;
  /** Epoch ms the request was sent (or last attempted). */
  at: number;
  /** For `unknown`: why the answer proves nothing. */
  why?: string;
  /** For `unknown`: vCenter's own refusal, confirmed by one read, to be borne out by the no-sign window. */
  refusal?: string;
  /** For `yes`: when vCenter accepted it (ISO, the worker's clock). */
  acceptedAt?: string;
}

/** What the check around the request saw, or why it could not read the cluster. */
type Checked = { read: true; check: ClusterCheck } | { read: false; type: FailureType | undefined; message: string };

/** The contract failure type an activity failure carries, if any. */
function contractTypeOf(error: unknown): FailureType | undefined {
  if (
    error instanceof ActivityFailure &&
    error.cause instanceof ApplicationFailure &&
    isFailureType(error.cause.type)
  ) {
    return error.cause.type;
  }
  return undefined;
}

/** Whether an activity never started (a schedule-to-start timeout): proof that it did nothing. */
function neverStarted(error: unknown): boolean {
  return (
    error instanceof ActivityFailure &&
    error.cause instanceof TimeoutFailure &&
    error.cause.timeoutType === TimeoutType.SCHEDULE_TO_START
  );
}

/** The end of a run cancelled before its request went out. */
function cancelledBeforeSending(target: string): string {
  return `cancelled before the failover was triggered: nothing was changed on ${target}`;
}

/** The application failure under an activity failure, if that is what it is. */
function applicationCause(error: unknown): ApplicationFailure | undefined {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure ? error.cause : undefined;
}

/** The heartbeat a follow attempt left when it timed out, if the failure carries it. */
function followHeartbeatOf(error: unknown): FollowHeartbeat | undefined {
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof TimeoutFailure)) return undefined;
  return readFollowHeartbeat(error.cause.lastHeartbeatDetails);
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

/** The maintenance run this run is a leg of, from the memo its parent started it with. */
function maintenanceLink(): Pick<FailoverRecord, 'maintenance'> {
  const link = readMaintenanceLink(workflowInfo().memo?.maintenance);
  return link ? { maintenance: link } : {};
}

/** The state and steps of one run. */
export class FailoverRun {
  /** What the `status` query returns. */
  readonly status: FailoverStatus;
  private input?: ValidatedFailoverInput;
  private passed?: PassedPreflight;
  private after?: ClusterSnapshot;
  private sent?: Sent;
  private triggered: FailoverRecord['triggered'] = 'no';
  private observations: string[] = [];
  private cancelTooLate = false;
  /** Longest vCenter outage the follow activity saw, for metrics. */
  private longestOutageMs?: number;

  constructor(private readonly startedAt: Date) {
    this.status = {
      phase: 'VALIDATING',
      startedAt: startedAt.toISOString(),
      timeline: [{ phase: 'VALIDATING', at: startedAt.toISOString() }],
      observation: 'validating input',
      cancelRequested: false,
    };
  }

  /**
   * The `approve` and `reject` validators: accepted only while the run waits for approval and
   * nobody has decided yet, from a named approver, and (for approve) not from the requester.
   */
  validateDecision(args: unknown, kind: 'approve' | 'reject'): void {
    const approval = this.status.approval;
    if (approval && approval.state !== 'waiting') {
      refuseDecision(
        approval.state === 'expired'
          ? `too late: the approval deadline passed at ${approval.until}; the run ends NotApproved`
          : `already ${approval.state} by ${approval.by} at ${approval.at}`,
      );
    }
    if (this.status.phase !== 'AWAITING_APPROVAL' || !approval) {
      refuseDecision(`the run is not awaiting approval (phase ${this.status.phase})`);
    }
    if (typeof args !== 'object' || args === null) refuseDecision(`${kind} takes one object { approver, … }`);
    const { approver, comment, reason } = args as Partial<ApproveArgs & RejectArgs>;
    const who = requiredText(approver, 'approver', APPROVER_MAX);
    if (kind === 'approve') {
      if (approval.requestedBy !== undefined && who.toLowerCase() === approval.requestedBy.trim().toLowerCase()) {
        refuseDecision(`${who} requested this failover and cannot approve it: someone else must (four eyes)`);
      }
      if (comment !== undefined) requiredText(comment, 'comment', APPROVAL_TEXT_MAX);
    } else {
      requiredText(reason, 'reason', APPROVAL_TEXT_MAX);
    }
  }

  /** Records an approve or reject the validator let through; the waiting run goes on from there. */
  decide(args: ApproveArgs | RejectArgs, kind: 'approve' | 'reject'): ApprovalRecord {
    const approval = this.status.approval!;
    approval.state = kind === 'approve' ? 'approved' : 'rejected';
    approval.by = args.approver.trim();
    approval.at = new Date().toISOString();
    if ('comment' in args && args.comment !== undefined) approval.comment = args.comment.trim();
    if ('reason' in args && args.reason !== undefined) approval.reason = args.reason.trim();
    return { ...approval };
  }

  /** A cancel was requested: it stops the run only before the request is sent. */
  noteCancel(): void {
    this.status.cancelRequested = true;
    this.showDetails();
  }

  /** The Web UI's current details follow the status: phase, observation, timeline. */
  private showDetails(): void {
    setCurrentDetails(currentFailoverDetails(this.status));
  }

  /** Moves the run to a phase; `alsoIndex` joins the phase's search-attribute upsert. */
  private enter(phase: FailoverPhase, observation: string, alsoIndex: SearchAttributeUpdatePair[] = []): void {
    this.status.phase = phase;
    this.status.observation = observation;
    this.status.timeline.push({ phase, at: new Date().toISOString() });
    log.info(`phase ${phase}`, { phase, observation });
    this.showDetails();
    if (INDEXED_PHASES.has(phase)) upsertSearchAttributes([{ key: VCHA_PHASE, value: phase }, ...alsoIndex]);
  }

  /** Validates, fails over, records; returns the result or throws the contract failure with the record. */
  async execute(rawInput: VchaFailoverInput): Promise<FailoverResult> {
    this.showDetails();
    const validation = await proxyLocalActivities<FailoverActivities>({
      ...VALIDATION,
      summary: 'validate the input',
    }).validateFailoverInput({
      raw: rawInput,
    });
    if (!validation.ok) {
      upsertSearchAttributes([{ key: VCHA_OUTCOME, value: 'InvalidInput' }]);
      throw invalidInput('vchaFailover', validation.problems);
    }
    const input = validation.input;
    this.input = input;
    Object.assign(this.status, { target: input.target, planned: input.planned, dryRun: input.dryRun });
    upsertSearchAttributes([
      { key: VCHA_TARGET, value: input.target },
      { key: VCHA_PLANNED, value: input.planned },
      { key: VCHA_PHASE, value: 'PREFLIGHT' },
    ]);
    this.recordWhyInMemo(input);

    let end: RunEnd;
    try {
      end = await this.failOver(input);
    } catch (error) {
      if (!isCancellation(error)) throw error;
      end = failed('Cancelled', cancelledBeforeSending(input.target));
    }
    return CancellationScope.nonCancellable(() => this.finish(end));
  }

  /** Puts reason and requester in the memo, so the Web UI shows them, unless the starter already did. */
  private recordWhyInMemo(input: ValidatedFailoverInput): void {
    const memo = workflowInfo().memo ?? {};
    const missing: Record<string, unknown> = {};
    if (input.reason !== undefined && memo.reason !== input.reason) missing.reason = input.reason;
    if (input.requestedBy !== undefined && memo.requestedBy !== input.requestedBy)
      missing.requestedBy = input.requestedBy;
    if (Object.keys(missing).length > 0) upsertMemo(missing);
  }

  /** Lock, preflight, and (unless a dry run or cancelled) the failover itself. */
  private async failOver(input: ValidatedFailoverInput): Promise<RunEnd> {
    // Preflight only reads, so it runs while the lock is taken: a busy target just discards it, and
    // the check before the request reads the cluster again anyway. This saves a round trip per run.
    this.enter('PREFLIGHT', `reading the cluster state of ${input.target}`);
    const preflight = this.preflight(input);
    preflight.catch(() => undefined); // Awaited below unless the target is busy.
    const busy = await this.acquireLock(input);
    if (busy) return busy;
    let passed = await preflight;
    if ('ok' in passed) return passed;
    this.passed = passed;
    if (input.dryRun) {
      const approval = passed.policy === 'approval' ? '; a real run would wait for approval first' : '';
      return {
        ok: true,
        outcome: 'DRY_RUN_PASSED',
        message: `dry run passed: ${input.target} can fail over (active ${passed.active})${approval}`,
      };
    }
    if (this.status.cancelRequested) {
      return failed('Cancelled', cancelledBeforeSending(input.target));
    }
    if (passed.policy === 'approval') {
      const approved = await this.awaitApproval(input, passed);
      if ('ok' in approved) return approved;
      passed = approved;
      this.passed = approved;
    }
    // From here on the failover may be under way: a cancel cannot stop it, so the run follows it to the end.
    return CancellationScope.nonCancellable(() => this.trigger(input, passed));
  }

  /**
   * AWAITING_APPROVAL: nothing is sent while the run waits for someone other than the requester
   * to approve, up to `deadlines.approval`. An approved run reads the cluster again with every
   * rule, since it may have changed meanwhile, and goes on only with the same active node.
   */
  private async awaitApproval(
    input: ValidatedFailoverInput,
    passed: PassedPreflight,
  ): Promise<PassedPreflight | RunEnd> {
    const kind = input.planned ? 'planned' : 'forced';
    const now = Date.now();
    const approval: ApprovalRecord = {
      state: 'waiting',
      why: `the policy of ${input.target} asks for approval of ${kind} failovers`,
      ...(input.requestedBy !== undefined ? { requestedBy: input.requestedBy } : {}),
      requestedAt: new Date(now).toISOString(),
      until: new Date(now + input.deadlines.approval).toISOString(),
    };
    this.status.approval = approval;
    const who = input.requestedBy !== undefined ? `anyone but ${input.requestedBy}` : 'anyone';
    this.enter(
      'AWAITING_APPROVAL',
      `waiting until ${approval.until} for ${who} to approve or reject the ${kind} failover; nothing has been sent`,
    );
    const decided = await condition(() => approval.state !== 'waiting', input.deadlines.approval);
    if (!decided) {
      approval.state = 'expired';
      return failed(
        'NotApproved',
        `nobody approved the ${kind} failover of ${input.target} within ${formatDuration(input.deadlines.approval)}: nothing was sent`,
      );
    }
    upsertMemo({ approval: { state: approval.state, by: approval.by, at: approval.at } });
    if (approval.state === 'rejected') {
      return failed(
        'NotApproved',
        `${approval.by} rejected the ${kind} failover of ${input.target} (${approval.reason ?? 'no reason'}): nothing was sent`,
      );
    }
    this.observations.push(
      `approved by ${approval.by} at ${approval.at}${approval.comment ? `: ${approval.comment}` : ''}`,
    );
    this.enter('PREFLIGHT', `approved by ${approval.by}: reading the cluster state of ${input.target} again`);
    const again = await this.preflight(input);
    if ('ok' in again) return { ...again, message: `after approval, ${again.message}; nothing was sent` };
    if (again.active !== passed.active) {
      return failed(
        'PreflightRejected',
        `the active node of ${input.target} changed while the run waited for approval (${passed.active} then, ${again.active} now): nothing was sent`,
        {
          failedChecks: [{ id: 'roles', ok: false, detail: `${passed.active} is still ACTIVE (saw ${again.active})` }],
        },
      );
    }
    return again;
  }

  private async acquireLock(input: ValidatedFailoverInput): Promise<RunEnd | undefined> {
    const busy = await holdTarget(input.target);
    return busy && failed('TargetBusy', busy.message, { heldBy: busy.heldBy });
  }

  private async preflight(input: ValidatedFailoverInput): Promise<PassedPreflight | RunEnd> {
    let report;
    try {
      report = await proxyActivities<FailoverActivities>({
        ...PREFLIGHT,
        summary: `preflight: read the cluster state of ${input.target}`,
      }).preflight({
        target: input.target,
        planned: input.planned,
      });
    } catch (error) {
      if (isCancellation(error)) throw error;
      const type = contractTypeOf(error);
      if (type) return failed(type, causeMessage(error));
      return failed(
        'PreflightRejected',
        `could not read the cluster state of ${input.target}: ${causeMessage(error)}`,
        {
          failedChecks: [{ id: 'reachable', ok: false, detail: `vCenter answers (${causeMessage(error)})` }],
        },
      );
    }
    this.status.preflight = report.snapshot;
    const failedChecks = report.checks.filter((c) => !c.ok);
    if (input.expectedActive !== undefined && report.snapshot.activeNode !== input.expectedActive) {
      failedChecks.push({
        id: 'expected-active',
        ok: false,
        detail: `${input.expectedActive} is ACTIVE (saw ${report.snapshot.activeNode ?? 'no ACTIVE node'})`,
      });
    }
    const { activeNode, passiveNode } = report.snapshot;
    if (failedChecks.length > 0 || activeNode === undefined || passiveNode === undefined) {
      return failed(
        'PreflightRejected',
        `preflight rejected the failover of ${input.target}: ${failedChecks.map((c) => c.detail).join('; ')}`,
        { failedChecks },
      );
    }
    this.status.observation = `preflight passed: active ${activeNode}, passive ${passiveNode}`;
    this.showDetails();
    return {
      snapshot: report.snapshot,
      active: activeNode,
      passive: passiveNode,
      ...(report.policy ? { policy: report.policy } : {}),
    };
  }

  /**
   * TRIGGERING: sends the request at most once, then follows the cluster. Runs that started on a
   * build without the one-attempt send activity carry no patch marker and take the legacy branch,
   * which keeps their histories replaying; remove it (and `deprecatePatch` the id) once none is left.
   */
  private async trigger(input: ValidatedFailoverInput, passed: PassedPreflight): Promise<RunEnd> {
    this.enter('TRIGGERING', `sending the ${input.planned ? 'planned' : 'forced'} failover request`);
    const sent = patched(SEND_ONCE_PATCH)
      ? await this.sendOnce(input, passed)
      : await this.legacyTrigger(input, passed);
    if ('ok' in sent) return sent;
    this.sent = sent;
    this.triggered = sent.triggered;
    this.status.taskId = sent.taskId;
    if (this.status.cancelRequested) this.cancelTooLate = true;
    return this.follow(input, passed, sent);
  }

  /** Reads the roles and running operations (a local activity); what it says, or why it could not. */
  private async checkCluster(input: ValidatedFailoverInput, passed: PassedPreflight): Promise<Checked> {
    try {
      const check = await proxyLocalActivities<FailoverActivities>({
        ...CHECK,
        summary: `check that ${input.target} is unchanged`,
      }).checkCluster({
        target: input.target,
        expectedActive: passed.active,
        expectedPassive: passed.passive,
      });
      return { read: true, check };
    } catch (error) {
      return { read: false, type: contractTypeOf(error), message: causeMessage(error) };
    }
  }

  /** Checks the cluster, then sends; another attempt only after proof that nothing reached vCenter. */
  private async sendOnce(input: ValidatedFailoverInput, passed: PassedPreflight): Promise<Sent | RunEnd> {
    const { sendFailover } = proxyActivities<FailoverActivities>({
      ...SEND,
      summary: `send the ${input.planned ? 'planned' : 'forced'} failover request to ${input.target} (one attempt)`,
    });
    for (let attempt = 1; ; attempt++) {
      const before = await this.checkCluster(input, passed);
      if (!before.read) {
        return failed(
          before.type ?? 'PreflightRejected',
          `could not check ${input.target} before sending the failover request: ${before.message}; nothing was sent`,
        );
      }
      if (!before.check.unchanged) {
        return failed(
          'PreflightRejected',
          `${input.target} changed since preflight (${before.check.detail}): nothing was sent`,
          {
            after: before.check.snapshot,
          },
        );
      }
      // Nothing has gone out yet: a cancel that arrived meanwhile still stops the run.
      if (this.status.cancelRequested) return failed('Cancelled', cancelledBeforeSending(input.target));
      const at = Date.now();
      let notSent: string;
      try {
        const accepted = await sendFailover({ target: input.target, planned: input.planned });
        this.observations.push(`vCenter accepted the failover as ${accepted.taskId}`);
        return { triggered: 'yes', taskId: accepted.taskId, at, acceptedAt: accepted.at };
      } catch (error) {
        const cause = applicationCause(error);
        if (contractTypeOf(error) === 'UnknownTarget') return failed('UnknownTarget', causeMessage(error));
        if (cause?.type === SEND_FAILURE_TYPES.refused) return this.confirmRefusal(input, passed, cause, at);
        if (cause?.type === SEND_FAILURE_TYPES.notSent) notSent = cause.message;
        else if (neverStarted(error))
          notSent = `the send did not start within ${SEND.scheduleToStartTimeout}: nothing was sent`;
        else {
          // A timeout, a lost worker, a reset, a gateway's answer, an unreadable body: it may have been accepted.
          this.observations.push(
            `the failover request may have reached vCenter (${causeMessage(error)}); not re-sending, following the cluster state`,
          );
          return { triggered: 'unknown', at, why: causeMessage(error) };
        }
      }
      this.observations.push(`attempt ${attempt}: ${notSent}`);
      if (attempt >= SEND_ATTEMPTS) {
        return failed(
          'PreflightRejected',
          `the failover request never reached ${input.target} in ${attempt} attempts (${notSent}): nothing was sent`,
          {
            failedChecks: [{ id: 'reachable', ok: false, detail: `vCenter accepts the failover request (${notSent})` }],
          },
        );
      }
      await sleep(sendBackoffMs(attempt), { summary: `back off before send attempt ${attempt + 1}: nothing was sent` });
    }
  }

  /**
   * vCenter's own error answered the request: it counts as a refusal only when a read afterwards
   * shows the roles unchanged and no failover running. A 4xx (the request's arguments or state
   * refused before anything ran) ends the run there. A 5xx could come from an error after the
   * failover started, which a vCenter that hides a running failover would not show yet: the run
   * then follows the cluster, and says FailoverFailed only after the no-sign window too.
   */
  private async confirmRefusal(
    input: ValidatedFailoverInput,
    passed: PassedPreflight,
    refusal: ApplicationFailure,
    at: number,
  ): Promise<Sent | RunEnd> {
    const status = (refusal.details?.[0] as SendFailureDetails | undefined)?.status ?? 500;
    const after = await this.checkCluster(input, passed);
    const unchanged = after.read && after.check.unchanged;
    if (after.read && after.check.unchanged && (status < 500 || !patched(REFUSAL_WAITS_PATCH))) {
      const notAuthorized = status === 403;
      const why = notAuthorized ? ': the account configured for this target needs the Global.VCServer privilege' : '';
      return failed(
        notAuthorized ? 'NotAuthorized' : 'FailoverFailed',
        `${refusal.message}${why}; ${input.target} is unchanged (${after.check.detail})`,
        { after: after.check.snapshot },
      );
    }
    const seen = after.read ? after.check.detail : `the cluster could not be read: ${after.message}`;
    this.observations.push(
      unchanged
        ? `${refusal.message}; ${input.target} is unchanged (${seen}); watching for a failover before calling it refused`
        : `${refusal.message}, but the refusal is not confirmed (${seen}); following the cluster state`,
    );
    return {
      triggered: 'unknown',
      at,
      why: unchanged ? refusal.message : `${refusal.message}, not confirmed: ${seen}`,
      ...(unchanged ? { refusal: refusal.message } : {}),
    };
  }

  /** The combined check-and-send activity of runs started before the one-attempt send existed. */
  private async legacyTrigger(input: ValidatedFailoverInput, passed: PassedPreflight): Promise<Sent | RunEnd> {
    const at = Date.now();
    try {
      const trigger = await proxyActivities<FailoverActivities>(LEGACY_TRIGGER).triggerFailover({
        target: input.target,
        planned: input.planned,
        expectedActive: passed.active,
        notBefore: new Date(at).toISOString(),
      });
      this.observations.push(trigger.note);
      return { triggered: trigger.sent, taskId: trigger.taskId, at };
    } catch (error) {
      const type = contractTypeOf(error);
      if (type) return failed(type, causeMessage(error));
      if (applicationCause(error)?.type === SEND_FAILURE_TYPES.notSent) {
        return failed(
          'PreflightRejected',
          `the failover request never reached ${input.target}: ${causeMessage(error)}; nothing was sent`,
          {
            failedChecks: [
              { id: 'reachable', ok: false, detail: `vCenter accepts the failover request (${causeMessage(error)})` },
            ],
          },
        );
      }
      // The last attempt may have sent it: the cluster state decides.
      this.observations.push(`trigger outcome unknown (${causeMessage(error)}); following the cluster state`);
      return { triggered: 'unknown', at, why: causeMessage(error) };
    }
  }

  /** FAILING_OVER and VERIFYING, inside the follow activity; the verdict from what it proves. */
  private async follow(input: ValidatedFailoverInput, passed: PassedPreflight, sent: Sent): Promise<RunEnd> {
    const { target, deadlines } = input;
    this.enter('FAILING_OVER', sent.taskId ? `following task ${sent.taskId}` : 'following the cluster state');
    const switchDeadline = Date.now() + deadlines.failover;
    const followInput: FollowFailoverInput = {
      target,
      taskId: sent.taskId,
      previousActive: passed.active,
      previousPassive: passed.passive,
      switchDeadline,
      healthyTimeoutMs: deadlines.healthy,
      requireHealthy: input.requireHealthy,
      pollIntervalMs: input.pollInterval,
      ...(sent.triggered === 'unknown' ? { unconfirmed: { sentAt: sent.at, noSignWindowMs: deadlines.noSign } } : {}),
    };
    let followed: FollowFailoverResult;
    try {
      followed = await proxyActivities<FailoverActivities>({
        ...followOptions(input, switchDeadline),
        summary: `follow the failover of ${target} through its outage and verify it`,
      }).followFailover(followInput);
    } catch (error) {
      if (this.status.cancelRequested) this.cancelTooLate = true;
      if (contractTypeOf(error)) {
        // After the request, a read refused (403) or a target this worker does not know proves nothing about the cluster.
        return failed(
          'FailoverOutcomeUnknown',
          `cannot follow the failover of ${target}: ${causeMessage(error)}; the request ${sent.triggered === 'yes' ? 'was accepted' : 'may have reached vCenter'}: check the cluster`,
        );
      }
      // No worker could finish the follow in time: the last heartbeat says how far it got.
      const lastSeen = followHeartbeatOf(error);
      if (lastSeen) {
        this.observations.push(...lastSeen.observations.map((entry) => `${entry.at} ${entry.text}`));
        this.longestOutageMs = lastSeen.longestOutageMs;
      }
      if (lastSeen?.phase === 'VERIFYING') {
        this.markVerifying(lastSeen.switchedAt);
        return failed(
          'FailoverNotHealthy',
          `${target} switched to ${passed.passive}, but could not be verified: ${causeMessage(error)}; last observation: ${lastSeen.observation}`,
        );
      }
      return failed(
        'FailoverOutcomeUnknown',
        `lost track of the failover of ${target}: ${causeMessage(error)}${lastSeen ? `; last observation: ${lastSeen.observation}` : ''}`,
      );
    }
    this.observations.push(...followed.observations);
    this.longestOutageMs = followed.longestOutageMs;
    this.after = followed.snapshot;
    if (followed.taskId && !this.status.taskId) this.status.taskId = followed.taskId;
    if (followed.switchedAt) this.markVerifying(Date.parse(followed.switchedAt));
    this.status.observation = followed.observation;
    this.showDetails();
    if (this.status.cancelRequested) this.cancelTooLate = true;
    return this.verdict(input, passed, sent, followed);
  }

  /** The follow activity has seen the switch: the timeline gets its real time. */
  private markVerifying(switchedAt: number | undefined): void {
    this.status.timeline.push({ phase: 'VERIFYING', at: new Date(switchedAt ?? Date.now()).toISOString() });
    this.status.phase = 'VERIFYING';
  }

  private verdict(
    input: ValidatedFailoverInput,
    passed: PassedPreflight,
    sent: Sent,
    followed: FollowFailoverResult,
  ): RunEnd {
    const { target, deadlines } = input;
    switch (followed.outcome) {
      case 'verified':
        return {
          ok: true,
          outcome: 'SUCCEEDED',
          message: `${target} failed over: ${passed.passive} is ACTIVE, ${this.after?.healthState ?? 'health unknown'}`,
        };
      case 'failed':
        return failed(
          'FailoverFailed',
          `the failover task of ${target} FAILED and ${passed.active} is still ACTIVE: ${followed.taskError ?? 'no error message'}`,
        );
      case 'no-sign':
        if (sent.refusal) {
          // vCenter's own refusal, one read confirming it, and a whole window without any sign.
          return failed(
            'FailoverFailed',
            `${sent.refusal}; for ${formatDuration(deadlines.noSign)} ${target} then showed no sign of a failover and ` +
              `is unchanged (${passed.active} still ACTIVE): it did not fail over`,
          );
        }
        return failed(
          'FailoverOutcomeUnknown',
          `the failover request to ${target} may not have arrived: its answer proved nothing (${sent.why ?? 'no answer'}), ` +
            `and for ${formatDuration(deadlines.noSign)} ${target} showed no sign of a failover and is unchanged ` +
            `(${passed.active} still ACTIVE, no failover in operations.active or vCenter's tasks); ` +
            `check the cluster and vCenter's tasks before re-running`,
        );
      case 'switch-deadline':
        return failed(
          'FailoverOutcomeUnknown',
          `no proof that ${target} failed over within ${formatDuration(deadlines.failover)}` +
            `${followed.signOfFailover ? ` (seen: ${followed.signOfFailover})` : ''}; last observation: ${followed.observation}`,
        );
      case 'healthy-deadline':
        return failed(
          'FailoverNotHealthy',
          `${target} switched to ${passed.passive} but was not ${input.requireHealthy ? 'HEALTHY with all members UP' : 'back with all members UP'} within ${formatDuration(deadlines.healthy)}; last observation: ${followed.observation}`,
        );
    }
  }

  /** RECORDING and COMPLETED: the record, the webhook, the index, the metrics; then the run's end. */
  private async finish(end: RunEnd): Promise<FailoverResult> {
    const record = this.record(end);
    this.enter('RECORDING', 'recording the outcome');
    const recordInput: RecordOutcomeInput = { record, startedBy: startedBy() };
    let notify = false;
    try {
      // Runs recorded before the webhook existed got no answer here: treat that as "don't notify".
      const recorded = (await this.recordOutcome(recordInput)) as RecordOutcomeResult | undefined;
      notify = recorded?.notify === true;
    } catch (error) {
      // A lost record must not hide the failover's real outcome; the log keeps it.
      log.error('could not record the outcome', { error: causeMessage(error), outcome: record.outcome });
    }
    if (notify) {
      try {
        await proxyActivities<FailoverActivities>({ ...NOTIFY, summary: 'send the completion webhook' }).notifyOutcome(
          recordInput,
        );
      } catch (error) {
        log.warn('completion webhook failed', { error: causeMessage(error) });
      }
    }
    this.status.outcome = record.outcome;
    this.enter('COMPLETED', record.message, [{ key: VCHA_OUTCOME, value: record.outcome }]);
    recordFailoverMetrics(record, this.longestOutageMs);
    if (!end.ok) {
      throw contractFailure(end.outcome, record.message, record);
    }
    return record as FailoverResult;
  }

  private async recordOutcome(input: RecordOutcomeInput): Promise<RecordOutcomeResult> {
    try {
      return await proxyLocalActivities<FailoverActivities>({
        ...RECORD_INLINE,
        summary: 'record the outcome',
      }).recordOutcome(input);
    } catch (error) {
      log.warn('recording inline failed; retrying it as an activity', { error: causeMessage(error) });
      return proxyActivities<FailoverActivities>({
        ...RECORD_RETRIED,
        summary: 'record the outcome (retried)',
      }).recordOutcome(input);
    }
  }

  /** The record of this run for its result, failure details and the outcome store. */
  private record(end: RunEnd): FailoverRecord {
    const input = this.input!;
    const finishedAt = new Date();
    const tooLate = this.cancelTooLate || (this.status.cancelRequested && this.triggered !== 'no');
    const before = this.passed?.snapshot ?? this.status.preflight;
    return {
      target: input.target,
      planned: input.planned,
      dryRun: input.dryRun,
      reason: input.reason,
      requestedBy: input.requestedBy,
      outcome: end.outcome,
      message:
        end.message +
        (tooLate ? ' (cancellation was requested after the failover was triggered: too late to stop it)' : ''),
      taskId: this.status.taskId,
      triggered: this.triggered,
      triggeredAt: this.sent ? (this.sent.acceptedAt ?? new Date(this.sent.at).toISOString()) : undefined,
      before,
      after: this.after,
      activeBefore: before?.activeNode,
      activeAfter: this.after?.activeNode,
      observations: this.observations.slice(-40),
      timeline: [...this.status.timeline],
      startedAt: this.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - this.startedAt.getTime(),
      ...(tooLate ? { cancelRequestedAfterTrigger: true } : {}),
      ...(this.status.approval ? { approval: { ...this.status.approval } } : {}),
      ...maintenanceLink(),
      ...(end.ok ? {} : end.extra),
    };
  }
}
