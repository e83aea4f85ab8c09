/** Recording: writes a finished run's outcome record through the configured recorder. */
import { activityInfo } from '@temporalio/activity';
import type { FailoverRecord } from '../contract';
import type { ActivityDeps } from './deps';
import type { OutcomeRecord } from '../contract';
import { postOutcome } from './webhook';

/** Input of {@link recordOutcome}: the record plus how the run was started. */
export interface RecordOutcomeInput {
  record: FailoverRecord;
  startedBy: string;
}

/** What the workflow should do next: notify only when a webhook is configured (no events otherwise). */
export interface RecordOutcomeResult {
  notify: boolean;
}

function outcomeRecord(input: RecordOutcomeInput): OutcomeRecord {
  const info = activityInfo();
  return {
    ...input.record,
    workflowId: info.workflowExecution?.workflowId ?? '',
    runId: info.workflowExecution?.runId ?? '',
    startedBy: input.startedBy,
  };
}

/** Builds the recording activity (idempotent by workflow id + run id in the recorder). */
export function makeRecordOutcome(deps: ActivityDeps) {
  return async function recordOutcome(input: RecordOutcomeInput): Promise<RecordOutcomeResult> {
    await deps.recorder.record(outcomeRecord(input));
    return { notify: deps.webhook !== undefined };
  };
}

/** Builds the webhook activity. */
export function makeNotifyOutcome(deps: ActivityDeps) {
  return async function notifyOutcome(input: RecordOutcomeInput): Promise<void> {
    if (deps.webhook) await postOutcome(deps.webhook, outcomeRecord(input));
  };
}
