/** The fleet workflow over simulated clusters with one failing, under both stopOnFailure settings. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FleetFailoverWorkflow, FleetFailoverInput, FleetTargetOutcome } from '../../src/contract';
import { testEnv } from '../harness/temporal';
import { startLab, type Lab } from '../harness/lab';

async function runFleet(lab: Lab, input: FleetFailoverInput, workflowId: string) {
  const env = await testEnv();
  return env.client.workflow.start<FleetFailoverWorkflow>('fleetFailover', {
    taskQueue: lab.taskQueue,
    workflowId,
    args: [input],
  });
}

const byTarget = (outcomes: FleetTargetOutcome[]) => Object.fromEntries(outcomes.map((o) => [o.target, o.outcome]));

describe('fleetFailover', { concurrency: true }, async () => {
  const lab = await startLab({
    clusters: {
      a1: {},
      aBroken: { mode: 'DISABLED' },
      a2: {},
      b1: {},
      bBroken: { mode: 'DISABLED' },
      b2: {},
      c1: {},
      c2: {},
      // A service of the new active node never starts: only a fleet that narrows the gate succeeds.
      dStuck: { faults: { servicesAfterSwitch: { trustmanagement: 'STARTING' } } },
    },
  });

  it('stops starting new failovers after a failure when stopOnFailure is set (the default)', async () => {
    const handle = await runFleet(
      lab,
      { targets: ['a1', 'aBroken', 'a2'], planned: true, pollInterval: '1s' },
      `fleet-stop-${Date.now()}`,
    );
    const result = await handle.result();
    assert.deepEqual(byTarget(result.outcomes), { a1: 'SUCCEEDED', aBroken: 'PreflightRejected', a2: 'NOT_STARTED' });
    assert.deepEqual([result.succeeded, result.failed, result.notStarted], [1, 1, 1]);
    assert.equal(result.outcomes[0]?.workflowId, `${handle.workflowId}/a1`);
    assert.equal(lab.failoverPosts('a1'), 1);
    assert.equal(lab.failoverPosts('a2'), 0);
  });

  it('goes on with the other targets when stopOnFailure is false', async () => {
    const handle = await runFleet(
      lab,
      { targets: ['b1', 'bBroken', 'b2'], planned: true, pollInterval: '1s', stopOnFailure: false },
      `fleet-go-on-${Date.now()}`,
    );
    const result = await handle.result();
    assert.deepEqual(byTarget(result.outcomes), { b1: 'SUCCEEDED', bBroken: 'PreflightRejected', b2: 'SUCCEEDED' });
    assert.deepEqual([result.succeeded, result.failed, result.notStarted], [2, 1, 0]);
    assert.equal(lab.failoverPosts('b2'), 1);
  });

  it('runs targets concurrently and shows each target in its status query', async () => {
    const handle = await runFleet(
      lab,
      { targets: ['c1', 'c2'], planned: true, pollInterval: '1s', concurrency: 2 },
      `fleet-parallel-${Date.now()}`,
    );
    let seenBothRunning = false;
    const deadline = Date.now() + 20_000;
    while (!seenBothRunning && Date.now() < deadline) {
      const states = await handle.query<FleetTargetOutcome[]>('status').catch(() => []);
      seenBothRunning = states.length === 2 && states.every((s) => s.outcome === 'RUNNING');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(seenBothRunning, 'both targets were RUNNING at once');
    const result = await handle.result();
    assert.deepEqual(byTarget(result.outcomes), { c1: 'SUCCEEDED', c2: 'SUCCEEDED' });
  });

  it('hands its deadlines and readiness to every child as written', async () => {
    const handle = await runFleet(
      lab,
      {
        targets: ['dStuck'],
        planned: true,
        pollInterval: '1s',
        deadlines: { stable: '2s' },
        readiness: { services: false },
      },
      `fleet-child-fields-${Date.now()}`,
    );
    const result = await handle.result();
    const [outcome] = result.outcomes;
    assert.equal(outcome?.outcome, 'SUCCEEDED', outcome?.message);
    assert.match(outcome?.message ?? '', /the roles held for 2s; vCenter serves \(services skipped\)/);
    assert.equal(lab.failoverPosts('dStuck'), 1);
  });

  it('rejects an invalid fleet input with InvalidInput naming the fields', async () => {
    const handle = await runFleet(
      lab,
      { targets: ['a1', 'a1'], planned: false, concurrency: 0 },
      `fleet-invalid-${Date.now()}`,
    );
    await assert.rejects(handle.result(), (error: unknown) => {
      assert.ok(error instanceof WorkflowFailedError && error.cause instanceof ApplicationFailure);
      assert.equal(error.cause.type, 'InvalidInput');
      assert.match(error.cause.message, /targets: targets must not repeat a name/);
      assert.match(error.cause.message, /concurrency: concurrency must be at least 1/);
      assert.match(error.cause.message, /acceptDataLoss: forced failovers/);
      return true;
    });
  });
});
