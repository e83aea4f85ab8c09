/** Proves the harness: a real workflow with a real activity on the shared Temporal dev server. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestWorker, testEnv, uniqueTaskQueue } from '../harness/temporal';
import * as smokeActivities from '../harness/bundle/smoke-activities';
import type { smokeWorkflow } from '../harness/bundle/smoke';

describe('harness smoke test', () => {
  it('runs a workflow and its activity on the dev server and returns the result', async () => {
    const env = await testEnv();
    const taskQueue = uniqueTaskQueue('smoke');
    const worker = await createTestWorker({ taskQueue, activities: smokeActivities });
    const result = await worker.runUntil(
      env.client.workflow.execute<typeof smokeWorkflow>('smokeWorkflow', {
        taskQueue,
        workflowId: `smoke-${taskQueue}`,
        args: [{ name: 'vcha' }],
      }),
    );
    assert.deepEqual(result, { greeting: `hello vcha from ${taskQueue}`, workflowId: `smoke-${taskQueue}` });
    const history = await env.client.workflow.getHandle(`smoke-${taskQueue}`).fetchHistory();
    assert.ok(
      history.events?.some((event) => event.activityTaskCompletedEventAttributes),
      'the history records the completed activity',
    );
  });
});
