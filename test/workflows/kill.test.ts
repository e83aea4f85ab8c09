/**
 * Kill test: the worker process is SIGKILLed at each phase of a failover and started again; every
 * run still reaches the right outcome, and the simulator counts exactly one failover request.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import type { VchaFailoverWorkflow } from '../../src/contract';
import { pollUntil } from '../harness/poll';
import { onTeardown, testEnv, uniqueTaskQueue } from '../harness/temporal';
import { startLab, type Lab } from '../harness/lab';
import { waitForLivePhase, waitForPhase } from './wait';
import { spawnWorker, type WorkerProcess } from './worker-process';

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  await pollUntil(condition, (met) => met, timeoutMs, 50, what);
}

/** Starts a worker, waits for `killPoint`, kills it, applies `beforeRestart`, restarts it, returns the result. */
async function killAndRestart(
  lab: Lab,
  target: string,
  killPoint: (handle: WorkflowHandle<VchaFailoverWorkflow>) => Promise<void>,
  beforeRestart: () => void = () => {},
) {
  const workers: WorkerProcess[] = [];
  onTeardown(async () => {
    for (const worker of workers) await worker.kill('SIGTERM');
  });
  // A queue per case: a worker killed by one case must not be holding another case's tasks.
  const taskQueue = uniqueTaskQueue('kill');
  const first = await spawnWorker({ taskQueue, targetsFile: lab.targetsFile, env: lab.targetsEnv });
  workers.push(first);
  await first.ready;
  const handle = await lab.start(
    { target, planned: true, pollInterval: '1s' },
    `kill-${target}-${Date.now()}`,
    taskQueue,
  );
  await killPoint(handle);
  await first.kill('SIGKILL');
  beforeRestart();
  const second = await spawnWorker({ taskQueue, targetsFile: lab.targetsFile, env: lab.targetsEnv });
  workers.push(second);
  await second.ready;
  return handle.result();
}

describe('worker killed mid-failover', { concurrency: true }, async () => {
  const lab = await startLab({
    runWorker: false,
    clusters: {
      inPreflight: { faults: { rules: [{ operation: 'cluster.get', action: 'hang' }] } },
      beforePost: { faults: { rules: [{ operation: 'cluster.get', skip: 1, action: 'hang' }] } },
      afterPost: { faults: { rules: [{ operation: 'cluster.failover', when: 'after', action: 'hang' }] } },
      inOutage: { timing: { switchOutageMs: 4_000 } },
      inVerification: { timing: { resyncMs: 25_000 } },
    },
  });
  const clearFaults = (cluster: string) => () => lab.sim.cluster(cluster).configure({ faults: { rules: [] } });

  it('during preflight', async () => {
    const result = await killAndRestart(
      lab,
      'inPreflight',
      async () =>
        until(() => lab.sim.requestLog('inPreflight').some((r) => r.operation === 'cluster.get'), 'preflight read'),
      clearFaults('inPreflight'),
    );
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('inPreflight'), 1);
  });

  it('just before the failover request', async () => {
    const result = await killAndRestart(
      lab,
      'beforePost',
      async (handle) => {
        await waitForPhase(handle, 'TRIGGERING');
        await until(
          () => lab.sim.requestLog('beforePost').filter((r) => r.operation === 'cluster.get').length >= 2,
          'trigger pre-check',
        );
      },
      clearFaults('beforePost'),
    );
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('beforePost'), 1);
  });

  it('just after the failover request', async () => {
    const result = await killAndRestart(
      lab,
      'afterPost',
      async () => until(() => lab.failoverPosts('afterPost') === 1, 'the failover request'),
      clearFaults('afterPost'),
    );
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.triggered, 'unknown');
    assert.equal(lab.failoverPosts('afterPost'), 1);
  });

  it('during the outage', async () => {
    const result = await killAndRestart(lab, 'inOutage', async () =>
      until(() => !lab.sim.cluster('inOutage').apiAvailable, 'the outage'),
    );
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.activeAfter, result.before?.passiveNode);
    assert.equal(lab.failoverPosts('inOutage'), 1);
  });

  it('during verification', async () => {
    const result = await killAndRestart(lab, 'inVerification', async (handle) => {
      await waitForLivePhase((await testEnv()).client, handle, 'VERIFYING', 60_000);
    });
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.after?.healthState, 'HEALTHY');
    assert.equal(lab.failoverPosts('inVerification'), 1);
  });
});
