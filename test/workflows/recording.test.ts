/**
 * Recording the outcome: inline as a local activity when the store answers, and as a regular
 * activity with retries (visible under pending activities) when it does not; the record lands
 * either way and the outcome never changes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { temporal } from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';
import type { VchaFailoverWorkflow } from '../../src/contract';
import { startLab } from '../harness/lab';

const { EventType } = temporal.api.enums.v1;

/** How the run recorded: local-activity markers and scheduled `recordOutcome` activities. */
async function recordingEvents(handle: WorkflowHandle<VchaFailoverWorkflow>) {
  const events = (await handle.fetchHistory()).events ?? [];
  return {
    // The inline recording's local-activity markers (the run's other markers, the patch and the
    // cluster ledger's calls, are not the recording's).
    markers: events.filter(
      (e) =>
        e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED &&
        Buffer.from(e.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data ?? []).includes(
          '"activity_type":"recordOutcome"',
        ),
    ).length,
    recordActivities: events.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordOutcome',
    ).length,
  };
}

describe('recording the outcome', async () => {
  const lab = await startLab({ clusters: { recorded: {} } });

  it('records inline, with no activity, when the store answers', async () => {
    const handle = await lab.start({ target: 'recorded', planned: true, dryRun: true });
    const result = await handle.result();
    assert.equal(result.outcome, 'DRY_RUN_PASSED');
    assert.equal(lab.recorder.records.find((r) => r.workflowId === handle.workflowId)?.outcome, 'DRY_RUN_PASSED');
    // One marker validates the input, the other records the outcome.
    assert.deepEqual(await recordingEvents(handle), { markers: 1, recordActivities: 0 });
  });

  it('falls back to a retried activity when the store fails, and still records once', async () => {
    const callsBefore = lab.recorder.calls;
    // Both inline attempts and the activity's first attempt fail; its second attempt lands.
    lab.recorder.failNext(3);
    const handle = await lab.start({ target: 'recorded', planned: true, dryRun: true });
    const result = await handle.result();
    assert.equal(result.outcome, 'DRY_RUN_PASSED');
    assert.equal(lab.recorder.calls - callsBefore, 4);
    assert.equal(lab.recorder.records.filter((r) => r.workflowId === handle.workflowId).length, 1);
    assert.deepEqual(await recordingEvents(handle), { markers: 1, recordActivities: 1 });
  });
});
