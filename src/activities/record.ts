/** Recording: writes a finished run's outcome record through the configured recorder. */
import { activityInfo } from '@temporalio/activity';
import type { FailoverRecord } from '../workflows/contract';
import type { ActivityDeps } from './deps';

/** Input of {@link recordOutcome}: the record plus how the run was started. */
export interface RecordOutcomeInput {
  record: FailoverRecord;
  startedBy: string;
}

/** Builds the recording activity (idempotent by workflow id + run id in the recorder). */
export function makeRecordOutcome(deps: ActivityDeps) {
  return async function recordOutcome(input: RecordOutcomeInput): Promise<void> {
    const info = activityInfo();
    await deps.recorder.record({
      ...input.record,
      workflowId: info.workflowExecution?.workflowId ?? '',
      runId: info.workflowExecution?.runId ?? '',
      startedBy: input.startedBy,
    });
  };
}
