/**
 * RECORDING's steps and the record itself: the record every end carries, stored through an inline
 * local activity (retried as an activity when that fails), the completion webhook when the
 * recorder asks for it, and the run's metrics. A lost record or webhook never changes the outcome.
 */
import { log, metricMeter, proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { FailoverActivities, RecordOutcomeInput, RecordOutcomeResult } from '../../activities';
import { readMemo, type ClusterSnapshot, type FailoverRecord, type FailoverStatus } from '../../contract';
import type { ValidatedFailoverInput } from '../../contract/input/failover';
import { causeMessage } from '../common/activity-errors';
import { NOTIFY, RECORD_INLINE, RECORD_RETRIED } from './activity-options';
import type { RunEnd, Sent } from './shapes';

/** How this run was started, for the outcome record. */
function startedBy(): string {
  const info = workflowInfo();
  if (info.parent) return `parent:${info.parent.workflowId}`;
  const scheduledBy = info.searchAttributes?.TemporalScheduledById;
  if (Array.isArray(scheduledBy) && typeof scheduledBy[0] === 'string') return `schedule:${scheduledBy[0]}`;
  return readMemo(info.memo).startedBy ?? 'other';
}

/** What a run knows at its end, for its record. */
export interface RunFacts {
  input: ValidatedFailoverInput;
  status: FailoverStatus;
  startedAt: Date;
  before?: ClusterSnapshot;
  after?: ClusterSnapshot;
  /** Where the follow last read the cluster. */
  servedAt?: string;
  sent?: Sent;
  triggered: FailoverRecord['triggered'];
  observations: string[];
  /** A cancel arrived once the request may have gone out: too late to stop it. */
  cancelTooLate: boolean;
}

/** The record of a run for its result, failure details and the outcome store. */
export function recordOf(end: RunEnd, run: RunFacts): FailoverRecord {
  const { input, status, sent, after } = run;
  const finishedAt = new Date();
  const tooLate = run.cancelTooLate || (status.cancelRequested && run.triggered !== 'no');
  const before = run.before ?? status.preflight;
  const maintenance = readMemo(workflowInfo().memo).maintenance;
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
    taskId: status.taskId,
    triggered: run.triggered,
    triggeredAt: sent ? (sent.acceptedAt ?? new Date(sent.at).toISOString()) : undefined,
    before,
    after,
    activeBefore: before?.activeNode,
    activeAfter: after?.activeNode,
    ...(run.servedAt ? { servedAt: run.servedAt } : {}),
    observations: run.observations.slice(-40),
    timeline: [...status.timeline],
    startedAt: run.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - run.startedAt.getTime(),
    ...(tooLate ? { cancelRequestedAfterTrigger: true } : {}),
    ...(status.approval ? { approval: { ...status.approval } } : {}),
    ...(maintenance ? { maintenance } : {}),
    ...(status.readiness
      ? { readiness: { ...status.readiness, gates: status.readiness.gates.map((gate) => ({ ...gate })) } }
      : {}),
    ...(end.ok ? {} : end.extra),
  };
}

/** Stores the record (inline first), then sends the webhook when the recorder asks for it. */
export async function recordAndNotify(record: FailoverRecord): Promise<void> {
  const recordInput: RecordOutcomeInput = { record, startedBy: startedBy() };
  let notify = false;
  try {
    notify = (await recordOutcome(recordInput)).notify === true;
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
}

async function recordOutcome(input: RecordOutcomeInput): Promise<RecordOutcomeResult> {
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

/** Counts the finished run and records its duration and the outage it rode through; the meter skips replays. */
export function recordFailoverMetrics(record: FailoverRecord, longestOutageMs: number | undefined): void {
  const tags = { target: record.target, outcome: record.outcome, planned: String(record.planned) };
  metricMeter.createCounter('vcha_failovers', 'runs', 'Failover runs by target and outcome').add(1, tags);
  metricMeter
    .createHistogram('vcha_failover_duration', 'int', 'ms', 'Failover run duration')
    .record(record.durationMs, tags);
  if (longestOutageMs !== undefined) {
    metricMeter
      .createHistogram('vcha_failover_outage', 'int', 'ms', 'Longest vCenter outage seen while following a failover')
      .record(Math.round(longestOutageMs), { target: record.target });
  }
}
