/** Operators find runs with typed search attributes and see why a run happened in its memo. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testEnv } from '../harness/temporal';
import { failureOf } from './assertions';
import { startLab } from '../harness/lab';

async function listIds(query: string, expected: number, timeoutMs = 15_000): Promise<string[]> {
  const env = await testEnv();
  const deadline = Date.now() + timeoutMs;
  let ids: string[] = [];
  while (Date.now() < deadline) {
    ids = [];
    for await (const run of env.client.workflow.list({ query })) ids.push(run.workflowId);
    if (ids.length >= expected) return ids;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return ids;
}

describe('visibility', { concurrency: true }, async () => {
  const lab = await startLab({
    clusters: { [`vis-${process.pid}`]: {}, [`vis-off-${process.pid}`]: { mode: 'DISABLED' } },
  });
  const target = `vis-${process.pid}`;
  const rejectedTarget = `vis-off-${process.pid}`;

  it('indexes target, planned, phase and outcome, and keeps reason and requester in the memo', async () => {
    const handle = await lab.start({
      target,
      planned: true,
      pollInterval: '1s',
      reason: 'CHG-42 patching',
      requestedBy: 'jdoe',
    });
    await handle.result();
    const ids = await listIds(
      `VchaTarget = "${target}" AND VchaOutcome = "SUCCEEDED" AND VchaPlanned = true AND VchaPhase = "COMPLETED"`,
      1,
    );
    assert.deepEqual(ids, [handle.workflowId]);
    const description = await handle.describe();
    assert.equal(description.memo?.reason, 'CHG-42 patching');
    assert.equal(description.memo?.requestedBy, 'jdoe');
  });

  it('indexes failure types as the outcome', async () => {
    const handle = await lab.start({ target: rejectedTarget, planned: true });
    await failureOf(handle, 'PreflightRejected');
    const ids = await listIds(`VchaTarget = "${rejectedTarget}" AND VchaOutcome = "PreflightRejected"`, 1);
    assert.deepEqual(ids, [handle.workflowId]);
  });
});
