/**
 * `vchaGate` on the dev server: it passes on the current build (every saved history replays, the
 * dry run of the named target passes and sends nothing), and fails, naming every history that does
 * not replay, on a build whose workflow code cannot replay them; a dry run that fails fails it too.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadTargetsFile } from '../../src/config';
import type { VchaFailoverWorkflow, VchaGateWorkflow } from '../../src/contract';
import { createFailoverWorker, workflowBundleOptions } from '../../src/worker/create-worker';
import { onTeardown, testEnv, uniqueTaskQueue } from '../harness/temporal';
import { startLab } from '../harness/lab';

const historiesDir = path.resolve(__dirname, '..', 'histories');
/** Every saved history as the gate names it: `<release>/<name>`. */
const savedHistories = readdirSync(historiesDir).flatMap((release) =>
  readdirSync(path.join(historiesDir, release))
    .filter((file) => file.endsWith('.json'))
    .map((file) => `${release}/${path.basename(file, '.json')}`),
);

let sequence = 0;
const gateId = () => `gate-test-${process.pid}-${++sequence}-${Date.now()}`;

/** The gate's failure: its ApplicationFailure. */
async function gateFailure(run: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await run.then(
    () => assert.fail('the gate passed'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof WorkflowFailedError, String(error));
  assert.ok(error.cause instanceof ApplicationFailure, String(error.cause));
  return error.cause;
}

describe('vchaGate', () => {
  it('passes on the current build: every saved history replays and the dry run sends nothing', async () => {
    const env = await testEnv();
    const lab = await startLab({ clusters: { gate: {} } });
    const result = await env.client.workflow.execute<VchaGateWorkflow>('vchaGate', {
      taskQueue: lab.taskQueue,
      workflowId: gateId(),
      args: [{ target: 'gate' }],
    });
    assert.equal(result.historiesReplayed, savedHistories.length);
    assert.ok(savedHistories.length >= 10, `expected the saved histories in ${historiesDir}`);
    assert.match(result.dryRun.workflowId, /\/dry-run$/);
    const dryRun = await env.client.workflow.getHandle<VchaFailoverWorkflow>(result.dryRun.workflowId).result();
    assert.equal(dryRun.outcome, 'DRY_RUN_PASSED');
    assert.equal(lab.failoverPosts('gate'), 0);
  });

  it('fails when the dry run of the target does not pass, naming the target and why', async () => {
    const env = await testEnv();
    const lab = await startLab({ clusters: { off: { mode: 'DISABLED' } } });
    const failure = await gateFailure(
      env.client.workflow.execute<VchaGateWorkflow>('vchaGate', {
        taskQueue: lab.taskQueue,
        workflowId: gateId(),
        args: [{ target: 'off' }],
      }),
    );
    assert.equal(failure.type, 'GateFailed');
    assert.match(failure.message, /the dry run of off \(.*\/dry-run\) did not pass: PreflightRejected: /);
    assert.equal(lab.failoverPosts('off'), 0);
  });

  it('fails on a build that cannot replay the saved histories, naming each of them', async () => {
    const env = await testEnv();
    const lab = await startLab({ clusters: { gate: {} }, runWorker: false });
    const { code } = await bundleWorkflowCode({
      ...workflowBundleOptions(require.resolve('../harness/bundle/next-build')),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    const taskQueue = uniqueTaskQueue('gate-bad-build');
    const badBuild = await createFailoverWorker({
      connection: env.nativeConnection,
      client: env.client,
      taskQueue,
      targets: await loadTargetsFile(lab.targetsFile, { ...process.env, ...lab.targetsEnv }),
      recorder: lab.recorder,
      workflowBundle: { code },
    });
    const running = badBuild.run();
    onTeardown(async () => {
      badBuild.shutdown();
      await running;
      await badBuild.close();
    });
    const failure = await gateFailure(
      env.client.workflow.execute<VchaGateWorkflow>('vchaGate', {
        taskQueue,
        workflowId: gateId(),
        args: [{ target: 'gate' }],
      }),
    );
    assert.equal(failure.type, 'GateFailed');
    // Every history records vchaFailover, whose first command this build changed.
    const named = savedHistories.filter((name) => failure.message.includes(`${name} (DeterminismViolationError)`));
    assert.deepEqual(named.sort(), [...savedHistories].sort(), failure.message);
    assert.match(failure.message, new RegExp(`^${savedHistories.length} of ${savedHistories.length} saved histories`));
    // The dry run never started: nothing reached the target.
    assert.equal(lab.sim.counters('gate').failoverPosts, 0);
  });

  it('rejects an input without a target, saying what is missing', async () => {
    const env = await testEnv();
    const lab = await startLab({ clusters: { gate: {} } });
    const failure = await gateFailure(
      env.client.workflow.execute('vchaGate', { taskQueue: lab.taskQueue, workflowId: gateId(), args: [{}] }),
    );
    assert.equal(failure.type, 'InvalidInput');
    assert.match(failure.message, /"target" must name a configured target/);
  });
});
