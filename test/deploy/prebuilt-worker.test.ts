/**
 * The worker as the image runs it: from the workflow bundle built the way `npm run build` builds
 * it, and shut down with SIGTERM in the middle of a failover.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildWorkflowBundle } from '../../scripts/build-workflow-bundle';
import { onTeardown, uniqueTaskQueue } from '../harness/temporal';
import { startLab } from '../harness/lab';
import { waitForPhase } from '../workflows/wait';
import { spawnWorker } from '../workflows/worker-process';

function exitOf(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('prebuilt worker', { concurrency: true }, async () => {
  const bundlePath = path.join(mkdtempSync(path.join(tmpdir(), 'vcha-bundle-')), 'workflow-bundle.js');
  await buildWorkflowBundle(bundlePath);
  const lab = await startLab({
    clusters: { bundled: {}, draining: { timing: { switchOutageMs: 5_000 } } },
    runWorker: false,
  });
  const worker = async (taskQueue: string, env: Record<string, string> = {}) => {
    const process = await spawnWorker({
      taskQueue,
      targetsFile: lab.targetsFile,
      env: { ...lab.targetsEnv, VCHA_WORKFLOW_BUNDLE: bundlePath, ...env },
    });
    onTeardown(() => process.kill('SIGTERM'));
    await process.ready;
    return process;
  };

  it('completes a failover from the prebuilt bundle and logs its build id', async () => {
    const taskQueue = uniqueTaskQueue('bundled');
    const running = await worker(taskQueue);
    const result = await (
      await lab.start({ target: 'bundled', planned: true, pollInterval: '1s' }, undefined, taskQueue)
    ).result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.match(running.output(), /build bundle-[0-9a-f]{12}/);
  });

  it('drains on SIGTERM within the grace time, and a new worker finishes the run with one POST', async () => {
    const taskQueue = uniqueTaskQueue('draining');
    const first = await worker(taskQueue, { VCHA_SHUTDOWN_GRACE_TIME: '3s' });
    const handle = await lab.start({ target: 'draining', planned: true, pollInterval: '1s' }, undefined, taskQueue);
    await waitForPhase(handle, 'FAILING_OVER');
    const signalled = Date.now();
    first.child.kill('SIGTERM');
    await exitOf(first.child);
    const drainMs = Date.now() - signalled;
    assert.ok(drainMs < 3_000 + 7_000, `exited ${drainMs} ms after SIGTERM (grace 3 s)`);
    assert.equal(first.child.exitCode, 0);
    await worker(taskQueue);
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('draining'), 1);
  });
});
