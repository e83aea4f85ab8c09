/**
 * One `vchaFailover` run: it owns the status the `status` query shows and every phase transition,
 * and tells the story in {@link FailoverRun.execute}, one call per step. The decisions are pure
 * modules beside it (`preflight-reading.ts`, `send-protocol.ts`, `verdict.ts`); the steps that
 * schedule activities are `send.ts`, `approval.ts`, `outcome.ts` and `legacy-trigger.ts`.
 * Deterministic: the activities do all I/O.
 */
import {
  CancellationScope,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { FailoverActivities, FollowFailoverInput, FollowFailoverResult } from '../../activities';
import {
  VCHA_OUTCOME,
  VCHA_PHASE,
  VCHA_PLANNED,
  VCHA_TARGET,
  contractFailure,
  currentFailoverDetails,
  memoFields,
  readMemo,
  type ApprovalRecord,
  type ApproveArgs,
  type ClusterSnapshot,
  type FailoverPhase,
  type FailoverRecord,
  type FailoverResult,
  type FailoverStatus,
  type RejectArgs,
  type VchaFailoverInput,
  type ClusterIdentity,
  type LedgerEntry,
  type LedgerEvidence,
  WORKFLOW_TYPES,
} from '../../contract';
import { ledgerEvidence } from '../../domain/cluster-snapshot';
import { stabilityPeriodOf } from '../../domain/stability';
import { readinessOptionsOf } from '../../domain/readiness';
import type { ValidatedFailoverInput } from '../../contract/input/failover';
import { causeMessage, contractTypeOf, followHeartbeatOf, ledgerRefusalOf } from '../common/activity-errors';
import { holdTarget } from '../common/hold-target';
import { enterPhase, startingStatus } from '../common/run-status';
import { validatedOrThrow, validators } from '../common/validation';
import { PREFLIGHT, followOptions, preflightAfterEarlierRun } from './activity-options';
import { LEDGER, finishInLedger, parentOfThisRun } from '../common/hold-cluster';
import { awaitApproval, decide, validateDecision } from './approval';
import {
  adoptedEnd,
  alreadySent,
  adoptedRequest,
  claimRefused,
  ledgerVerdict,
  readAcquired,
  type LedgerStart,
} from './ledger-reading';
import { legacyTrigger } from './legacy-trigger';
import { recordAndNotify, recordFailoverMetrics, recordOf } from './outcome';
import { PATCHES } from './patches';
import { preflightFailed, readPreflight } from './preflight-reading';
import { sendOnce } from './send';
import { cancelledBeforeSending, failed, isEnd, type PassedPreflight, type RunEnd, type Sent } from './shapes';
import { followFailedVerdict, verdict } from './verdict';

/** Whether an earlier run of this workflow id ran before this one (a workflow retry, a continued or a reset run). */
function followsEarlierRun(): boolean {
  const info = workflowInfo();
  return info.attempt > 1 || info.runId !== info.firstExecutionRunId;
}

/** Phases written to the `VchaPhase` search attribute (PREFLIGHT is set with the target); each upsert is an event. */
const INDEXED_PHASES: ReadonlySet<FailoverPhase> = new Set<FailoverPhase>([
  'AWAITING_APPROVAL',
  'FAILING_OVER',
  'COMPLETED',
]);

/** The state and steps of one run. */
export class FailoverRun {
  /** What the `status` query returns. */
  readonly status: FailoverStatus;
  private input?: ValidatedFailoverInput;
  private passed?: PassedPreflight;
  private after?: ClusterSnapshot;
  /** Where the follow last read the cluster (its base URL), when it read it. */
  private servedAt?: string;
  private sent?: Sent;
  private triggered: FailoverRecord['triggered'] = 'no';
  private observations: string[] = [];
  private cancelTooLate = false;
  /** Longest vCenter outage the follow activity saw, for metrics. */
  private longestOutageMs?: number;
  /** The cluster's identity as preflight read it: the key of its lock and send ledger. */
  private cluster?: ClusterIdentity;
  /** The run takes the ledger path (`PATCHES.clusterLedger`); older runs never touch the ledger. */
  private usesLedger = false;
  /** The run holds its verdict for the stability period (`PATCHES.stableResult`); older runs end at the first proof. */
  private holdsResult = false;
  /** The run checks that vCenter serves before SUCCEEDED (`PATCHES.readinessGate`); older runs end on the cluster proof. */
  private checksReadiness = false;
  /** This run holds the cluster (itself, not through its parent): it releases it at the end. */
  private holdsCluster = false;
  /** This run claimed the send in the cluster's ledger: its end goes there. */
  private claimed = false;
  /** This workflow id's earlier request, which this run follows instead of sending. */
  private adopted?: LedgerEntry;
  /** vCenter answered one of this run's attempts (a refusal): the request did arrive. */
  private reachedVcenter = false;

  constructor(private readonly startedAt: Date) {
    this.status = startingStatus(startedAt);
  }

  /** The `approve` and `reject` validators (see `approval.ts`). */
  validateDecision(args: unknown, kind: 'approve' | 'reject'): void {
    validateDecision(this.status, args, kind);
  }

  /** Records an approve or reject the validator let through (a signed one once the worker verified it). */
  decide(args: ApproveArgs | RejectArgs, kind: 'approve' | 'reject'): Promise<ApprovalRecord> {
    return decide(this.status, args, kind);
  }

  /** A cancel was requested: it stops the run only before the request is sent. */
  noteCancel(): void {
    this.status.cancelRequested = true;
    this.showDetails();
  }

  /**
   * The story: validate; lock the target while preflight reads it; a dry run ends there; wait for
   * approval when the policy asks; send the request at most once; follow it to a verdict; record.
   */
  async execute(rawInput: VchaFailoverInput): Promise<FailoverResult> {
    // Asked in the first activation, before any command: a patch asked right after a local
    // activity resolves is not yet known to a replay of that workflow task (it would not replay).
    this.usesLedger = patched(PATCHES.clusterLedger.id);
    this.holdsResult = patched(PATCHES.stableResult.id);
    this.checksReadiness = patched(PATCHES.readinessGate.id);
    this.showDetails();
    const input = await this.validate(rawInput);
    let end: RunEnd;
    try {
      end = await this.failOver(input);
    } catch (error) {
      if (!isCancellation(error)) throw error;
      end = failed('Cancelled', cancelledBeforeSending(input.target));
    }
    return CancellationScope.nonCancellable(() => this.finish(end));
  }

  /**
   * Preflight, the cluster's lock and ledger, and (unless a dry run, cancelled or not approved) the
   * request and its verdict. Runs started before the ledger hold the target's lock instead.
   */
  private async failOver(input: ValidatedFailoverInput): Promise<RunEnd> {
    if (!this.usesLedger) return this.failOverUnderTargetLock(input);
    this.enter('PREFLIGHT', `reading the cluster state of ${input.target}`);
    let passed = await this.preflight(input);
    // The ledger is consulted before any end that could say "nothing was sent": an earlier run of
    // this workflow id may have sent it, even when the cluster now reads as not fit to fail over.
    const start = await this.acquireCluster(input, passed);
    if (start.step === 'end') return start.end;
    if (start.step === 'follow-adopted') {
      return CancellationScope.nonCancellable(() => this.followAdopted(input, start));
    }
    if (isEnd(passed)) return passed;
    this.passed = passed;
    if (input.dryRun) return dryRunPassed(input, passed);
    if (this.status.cancelRequested) return failed('Cancelled', cancelledBeforeSending(input.target));
    if (passed.policy === 'approval') {
      const approved = await awaitApproval(this.gate(input), input, passed);
      if (isEnd(approved)) return approved;
      passed = this.passed = approved;
    }
    // From here on the failover may be under way: a cancel cannot stop it, so the run follows it to the end.
    return CancellationScope.nonCancellable(async () => {
      const sent = await this.trigger(input, passed);
      if (isEnd(sent)) return sent;
      if (!this.adopted) return this.follow(input, passed, sent);
      return adoptedEnd(await this.follow(input, this.passed!, sent), this.adopted);
    });
  }

  /**
   * The cluster's lock, by its identity: held (and what the ledger knows of this workflow id and of
   * other unresolved requests), or the run's end. A cluster preflight could not identify has no
   * ledger to ask: the run ends without sending, and says only what it knows.
   */
  private async acquireCluster(input: ValidatedFailoverInput, passed: PassedPreflight | RunEnd): Promise<LedgerStart> {
    const cluster = this.cluster;
    if (cluster === undefined) {
      const info = workflowInfo();
      // A workflow retry or a continued run: an earlier run of this id may have sent the failover,
      // and without the cluster's identity its ledger cannot be asked. Say exactly that.
      if (isEnd(passed) && followsEarlierRun()) {
        this.observations.push(`preflight of ${input.target}: ${passed.message}`);
        return {
          step: 'end',
          end: failed(
            'FailoverOutcomeUnknown',
            `${passed.message}; this run sent nothing, but an earlier run of this workflow id (run ${info.firstExecutionRunId}) ` +
              `may have sent the failover, and the cluster's send ledger cannot be found without reading the cluster: ` +
              `check ${input.target} and vCenter's tasks before anything else`,
          ),
        };
      }
      if (isEnd(passed))
        return { step: 'end', end: { ...passed, message: `${passed.message}; this run sent nothing` } };
      return {
        step: 'end',
        end: failed(
          'PreflightRejected',
          `${input.target} did not report the VCHA addresses of node1, node2 and the witness, which identify the cluster's lock and send ledger: nothing was sent`,
          {
            failedChecks: [
              { id: 'identity', ok: false, detail: 'vCenter reports ha_ip of node1, node2 and the witness' },
            ],
          },
        ),
      };
    }
    const info = workflowInfo();
    const parent = parentOfThisRun();
    let start: LedgerStart;
    try {
      const acquired = await proxyLocalActivities<FailoverActivities>({
        ...LEDGER,
        summary: `take the lock of cluster ${cluster}`,
      }).acquireCluster({
        cluster,
        request: {
          workflowId: info.workflowId,
          runId: info.runId,
          type: WORKFLOW_TYPES.failover,
          target: input.target,
          ...(parent ? { parent } : {}),
          ...(this.status.preflight ? { evidence: ledgerEvidence(this.status.preflight) } : {}),
        },
      });
      this.holdsCluster = acquired.held && acquired.via === 'holder';
      start = readAcquired(acquired, input.target, cluster);
    } catch (error) {
      if (isCancellation(error)) throw error;
      return {
        step: 'end',
        end: failed(
          'PreflightRejected',
          `could not reach the send ledger of ${input.target}'s cluster (${cluster}): ${causeMessage(error)}; nothing was sent`,
          {
            failedChecks: [
              { id: 'ledger', ok: false, detail: `the cluster's send ledger answers (${causeMessage(error)})` },
            ],
          },
        ),
      };
    }
    this.observations.push(`cluster ${cluster}: ${this.holdsCluster ? 'lock taken' : "under its parent's lock"}`);
    return start;
  }

  /** An earlier run of this workflow id claimed the request and closed: follow that request, never send. */
  private async followAdopted(
    input: ValidatedFailoverInput,
    start: Extract<LedgerStart, { step: 'follow-adopted' }>,
  ): Promise<RunEnd> {
    const passed = this.adopt(start.entry, start);
    return adoptedEnd(await this.follow(input, passed, start.sent), start.entry);
  }

  /** Takes this workflow id's earlier request as this run's own: the nodes it swaps, and what it proved of its send. */
  private adopt(entry: LedgerEntry, adopted: { sent: Sent; observation: string }): PassedPreflight {
    const passed: PassedPreflight = {
      snapshot: this.passed?.snapshot ?? this.status.preflight!,
      active: entry.previousActive,
      passive: entry.previousPassive,
    };
    this.passed = passed;
    this.claimed = true;
    this.adopted = entry;
    this.sent = adopted.sent;
    this.triggered = 'unknown';
    this.observations.push(adopted.observation);
    return passed;
  }

  /** Runs started before the cluster ledger: the target's lock (a child workflow) while preflight reads. */
  private async failOverUnderTargetLock(input: ValidatedFailoverInput): Promise<RunEnd> {
    // Preflight only reads, so it runs while the lock is taken: a busy target just discards it, and
    // the check before the request reads the cluster again anyway. This saves a round trip per run.
    this.enter('PREFLIGHT', `reading the cluster state of ${input.target}`);
    const preflight = this.preflight(input);
    preflight.catch(() => undefined); // Awaited below unless the target is busy.
    const busy = await holdTarget(input.target);
    if (busy) return failed('TargetBusy', busy.message, { heldBy: busy.heldBy });
    let passed = await preflight;
    if (isEnd(passed)) return passed;
    this.passed = passed;
    if (input.dryRun) return dryRunPassed(input, passed);
    if (this.status.cancelRequested) return failed('Cancelled', cancelledBeforeSending(input.target));
    if (passed.policy === 'approval') {
      const approved = await awaitApproval(this.gate(input), input, passed);
      if (isEnd(approved)) return approved;
      passed = this.passed = approved;
    }
    // From here on the failover may be under way: a cancel cannot stop it, so the run follows it to the end.
    return CancellationScope.nonCancellable(async () => {
      const sent = await this.trigger(input, passed);
      return isEnd(sent) ? sent : this.follow(input, passed, sent);
    });
  }

  /** VALIDATING: the input, indexed and remembered; an invalid one ends the run as `InvalidInput`. */
  private async validate(rawInput: VchaFailoverInput): Promise<ValidatedFailoverInput> {
    const validation = await validators('validate the input').validateFailoverInput({ raw: rawInput });
    const input = validatedOrThrow(WORKFLOW_TYPES.failover, validation, () =>
      upsertSearchAttributes([{ key: VCHA_OUTCOME, value: 'InvalidInput' }]),
    );
    this.input = input;
    Object.assign(this.status, { target: input.target, planned: input.planned, dryRun: input.dryRun });
    upsertSearchAttributes([
      { key: VCHA_TARGET, value: input.target },
      { key: VCHA_PLANNED, value: input.planned },
      { key: VCHA_PHASE, value: 'PREFLIGHT' },
    ]);
    // Reason and requester in the memo, so the Web UI shows them, unless the starter already put them there.
    const memo = readMemo(workflowInfo().memo);
    const missing = memoFields({
      reason: input.reason !== memo.reason ? input.reason : undefined,
      requestedBy: input.requestedBy !== memo.requestedBy ? input.requestedBy : undefined,
    });
    if (Object.keys(missing).length > 0) upsertMemo(missing);
    return input;
  }

  /** PREFLIGHT: the activity's report read against the input (`preflight-reading.ts`). */
  private async preflight(input: ValidatedFailoverInput): Promise<PassedPreflight | RunEnd> {
    let report;
    try {
      report = await proxyActivities<FailoverActivities>({
        ...(this.usesLedger && followsEarlierRun() ? preflightAfterEarlierRun(input) : PREFLIGHT),
        summary: `preflight: read the cluster state of ${input.target}`,
      }).preflight({ target: input.target, planned: input.planned, ...(input.dryRun ? { lookBack: true } : {}) });
    } catch (error) {
      if (isCancellation(error)) throw error;
      return preflightFailed({ contractType: contractTypeOf(error), message: causeMessage(error) }, input.target);
    }
    this.status.preflight = report.snapshot;
    if (this.usesLedger) this.cluster ??= report.cluster;
    const read = readPreflight(report, input);
    if (!isEnd(read)) {
      this.status.observation = `preflight passed: active ${read.active}, passive ${read.passive}`;
      this.showDetails();
    }
    return read;
  }

  /** What the approval gate may do with this run. */
  private gate(input: ValidatedFailoverInput) {
    return {
      status: this.status,
      enter: (phase: 'AWAITING_APPROVAL' | 'PREFLIGHT', observation: string) => this.enter(phase, observation),
      note: (observation: string) => this.observations.push(observation),
      preflight: () => this.preflight(input),
    };
  }

  /**
   * TRIGGERING: sends the request at most once (`send.ts`). Runs started by a build without the
   * one-attempt send carry no marker and take the legacy path (see `patches.ts`).
   */
  private async trigger(input: ValidatedFailoverInput, passed: PassedPreflight): Promise<Sent | RunEnd> {
    this.enter('TRIGGERING', `sending the ${input.planned ? 'planned' : 'forced'} failover request`);
    const run = {
      note: (observation: string) => void this.observations.push(observation),
      cancelRequested: () => this.status.cancelRequested,
      reachedVcenter: () => void (this.reachedVcenter = true),
      ...(this.cluster !== undefined ? { claim: this.claimer(input, passed, this.cluster) } : {}),
    };
    const sent = patched(PATCHES.sendFailoverOnce.id)
      ? await sendOnce(input, passed, run)
      : await legacyTrigger(input, passed, run);
    if (isEnd(sent)) return sent;
    this.sent = sent;
    this.triggered = sent.triggered;
    this.status.taskId = sent.taskId;
    if (this.status.cancelRequested) this.cancelTooLate = true;
    return sent;
  }

  /**
   * The claim before each attempt (`send.ts` calls it after the check, in the workflow task that
   * schedules the attempt, so no Reset point lies between a claim and its send): go on, the run's
   * end, or (a Reset after an earlier run's claim) that request to follow instead of sending.
   */
  private claimer(input: ValidatedFailoverInput, passed: PassedPreflight, cluster: ClusterIdentity) {
    return async (evidence: LedgerEvidence | undefined, onlyEarlier = false): Promise<RunEnd | Sent | undefined> => {
      const claimed = await this.claim(input, passed, cluster, evidence, onlyEarlier);
      if (claimed === undefined) return undefined;
      if (isEnd(claimed)) return claimed;
      if (claimed.adoptedFrom === undefined) return undefined;
      this.adopt(claimed, adoptedRequest(claimed, input.target));
      return this.sent!;
    };
  }

  /** Claims the send in the cluster's ledger, with the check's reading as evidence: the claim, or the run's end if refused. */
  private async claim(
    input: ValidatedFailoverInput,
    passed: PassedPreflight,
    cluster: ClusterIdentity,
    evidence: LedgerEvidence | undefined,
    onlyEarlier: boolean,
  ): Promise<LedgerEntry | RunEnd | undefined> {
    const info = workflowInfo();
    let entry: LedgerEntry;
    try {
      entry = await proxyLocalActivities<FailoverActivities>({
        ...LEDGER,
        summary: `claim the failover request in the ledger of cluster ${cluster}`,
      }).claimSend({
        cluster,
        request: {
          workflowId: info.workflowId,
          runId: info.runId,
          target: input.target,
          planned: input.planned,
          ...(parentOfThisRun() ? { parent: parentOfThisRun() } : {}),
          previousActive: passed.active,
          previousPassive: passed.passive,
          ...(evidence ? { evidence } : {}),
          ...(onlyEarlier ? { onlyEarlier } : {}),
        },
      });
    } catch (error) {
      const refusal = ledgerRefusalOf(error);
      // Only asked about an earlier run's claim: none, so the run's own end stands.
      if (onlyEarlier && (refusal?.reason === 'no-such-entry' || refusal?.reason === 'not-holder')) return undefined;
      if (refusal?.reason) return claimRefused(refusal, input.target, cluster);
      return failed(
        'PreflightRejected',
        `could not claim the failover request in the send ledger of cluster ${cluster}: ${causeMessage(error)}; nothing was sent`,
        {
          failedChecks: [
            { id: 'ledger', ok: false, detail: `the cluster's send ledger answers (${causeMessage(error)})` },
          ],
        },
      );
    }
    if (!onlyEarlier) this.claimed = true;
    return entry;
  }

  /**
   * The run's end in the cluster's ledger: its claim ends with the verdict, and the lock is
   * released. A ledger that cannot be told leaves the claim unresolved: the next run of the
   * cluster reports it instead of sending (fails closed).
   */
  private async finishCluster(end: RunEnd): Promise<RunEnd> {
    if (this.cluster === undefined || (!this.holdsCluster && !this.claimed)) return end;
    const verdict = this.claimed ? ledgerVerdict(end, this.sent, this.reachedVcenter) : undefined;
    const { reply, trouble } = await finishInLedger(this.cluster, verdict);
    if (trouble) this.observations.push(trouble);
    if (!reply?.endedBefore) return end;
    // Reset to after the send: the request had already ended in an earlier run of this id, and what
    // this run saw since may be another failover's doing. The earlier end is the request's.
    this.observations.push(`this run followed the cluster again and saw: ${end.outcome}: ${end.message}`);
    // The request in this run's history is the earlier run's, copied by the Reset: this run sent nothing.
    this.triggered = 'no';
    return alreadySent(reply.endedBefore, this.input!.target);
  }

  /** FAILING_OVER and VERIFYING, inside the follow activity; the verdict from what it proves (`verdict.ts`). */
  private async follow(input: ValidatedFailoverInput, passed: PassedPreflight, sent: Sent): Promise<RunEnd> {
    const { target, deadlines } = input;
    const stableMs = this.holdsResult ? stabilityPeriodOf(input) : undefined;
    const readiness = this.checksReadiness ? readinessOptionsOf(input) : undefined;
    this.enter('FAILING_OVER', sent.taskId ? `following task ${sent.taskId}` : 'following the cluster state');
    // Durations only: the activity times them on its own clock, never against this workflow's.
    const followInput: FollowFailoverInput = {
      target,
      taskId: sent.taskId,
      previousActive: passed.active,
      previousPassive: passed.passive,
      switchWithinMs: deadlines.failover,
      healthyTimeoutMs: deadlines.healthy,
      requireHealthy: input.requireHealthy,
      pollIntervalMs: input.pollInterval,
      ...(sent.triggered === 'unknown' ? { unconfirmed: { noSignWindowMs: deadlines.noSign } } : {}),
      ...(sent.vcenterTimeBefore ? { vcenterTimeBefore: sent.vcenterTimeBefore } : {}),
      ...(stableMs !== undefined ? { stableForMs: stableMs } : {}),
      ...(readiness ? { readiness } : {}),
      ...(passed.followAt ? { followAt: passed.followAt } : {}),
    };
    let followed: FollowFailoverResult;
    try {
      followed = await proxyActivities<FailoverActivities>({
        ...followOptions(input, stableMs, readiness?.withinMs),
        summary: `follow the failover of ${target} through its outage and verify it`,
      }).followFailover(followInput);
    } catch (error) {
      if (this.status.cancelRequested) this.cancelTooLate = true;
      const contract = contractTypeOf(error) !== undefined;
      // No worker could finish the follow in time: the last heartbeat says how far it got.
      const lastSeen = contract ? undefined : followHeartbeatOf(error);
      if (lastSeen) {
        this.observations.push(...lastSeen.observations.map((entry) => `${entry.at} ${entry.text}`));
        this.longestOutageMs = lastSeen.longestOutageMs;
        if (lastSeen.phase === 'VERIFYING') this.markVerifying(lastSeen.switchedAt);
      }
      return followFailedVerdict({ contract, message: causeMessage(error), lastSeen }, sent, passed, target);
    }
    this.observations.push(...followed.observations);
    this.longestOutageMs = followed.longestOutageMs;
    this.after = followed.snapshot;
    if (followed.readiness) this.status.readiness = followed.readiness;
    this.servedAt = followed.servedAt;
    if (followed.taskId && !this.status.taskId) this.status.taskId = followed.taskId;
    if (followed.switchedAt) this.markVerifying(Date.parse(followed.switchedAt));
    this.status.observation = followed.observation;
    this.showDetails();
    if (this.status.cancelRequested) this.cancelTooLate = true;
    return verdict(followed, sent, passed, { ...input, stableMs });
  }

  /** The follow activity has seen the switch: the timeline gets its real time. */
  private markVerifying(switchedAt: number | undefined): void {
    this.status.timeline.push({ phase: 'VERIFYING', at: new Date(switchedAt ?? Date.now()).toISOString() });
    this.status.phase = 'VERIFYING';
  }

  /** RECORDING and COMPLETED: the record, the webhook, the index, the metrics; then the run's end. */
  private async finish(reached: RunEnd): Promise<FailoverResult> {
    const end = await this.finishCluster(reached);
    const record = recordOf(end, {
      input: this.input!,
      status: this.status,
      startedAt: this.startedAt,
      before: this.passed?.snapshot,
      after: this.after,
      servedAt: this.servedAt,
      sent: this.sent,
      triggered: this.triggered,
      observations: this.observations,
      cancelTooLate: this.cancelTooLate,
    });
    this.enter('RECORDING', 'recording the outcome');
    await recordAndNotify(record);
    this.status.outcome = record.outcome;
    this.enter('COMPLETED', record.message, [{ key: VCHA_OUTCOME, value: record.outcome }]);
    recordFailoverMetrics(record, this.longestOutageMs);
    if (!end.ok) throw contractFailure(end.outcome, record.message, record);
    return record as FailoverResult;
  }

  /** The Web UI's current details follow the status: phase, observation, timeline. */
  private showDetails(): void {
    setCurrentDetails(currentFailoverDetails(this.status));
  }

  /** Moves the run to a phase; `alsoIndex` joins the phase's search-attribute upsert. */
  private enter(phase: FailoverPhase, observation: string, alsoIndex: SearchAttributeUpdatePair[] = []): void {
    enterPhase(this.status, phase, observation);
    this.showDetails();
    if (INDEXED_PHASES.has(phase)) upsertSearchAttributes([{ key: VCHA_PHASE, value: phase }, ...alsoIndex]);
  }
}

/** A dry run that passed preflight: what a real run would do next. */
function dryRunPassed(input: ValidatedFailoverInput, passed: PassedPreflight): RunEnd {
  const approval = passed.policy === 'approval' ? '; a real run would wait for approval first' : '';
  return {
    ok: true,
    outcome: 'DRY_RUN_PASSED',
    message: `dry run passed: ${input.target} can fail over (active ${passed.active})${approval}`,
  };
}
