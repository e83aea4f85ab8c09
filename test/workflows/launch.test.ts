/**
 * Starting failovers the ways other tools do: the real `temporal` CLI with JSON input on the
 * default task queue, and another team's workflow running `vchaFailover` as a child (the example in
 * docs/operating.md, which must stay the code that runs here).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { patchVcenterNode } from '../../examples/patch-then-failover';
import { resolveTemporalCli } from '../../src/devtools/temporal-cli';
import { DEFAULT_TASK_QUEUE, type VchaFailoverWorkflow } from '../../src/contract';
import { TEST_ENV } from '../harness/env';
import { testEnv } from '../harness/temporal';
import { failureOf } from './assertions';
import { startLab } from '../harness/lab';

const root = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

describe('launch surfaces', { concurrency: true }, async () => {
  const env = await testEnv();
  const lab = await startLab({ clusters: { cliStarted: {}, childStarted: {} }, taskQueue: DEFAULT_TASK_QUEUE });
  const cli = process.env[TEST_ENV.cli] ?? resolveTemporalCli({ allowSdkDownload: false, log: () => {} }).executable!;
  const temporalStart = (workflowId: string, input: string) =>
    run(cli, [
      'workflow',
      'start',
      '--type',
      'vchaFailover',
      '--task-queue',
      'vcha-failover',
      '--workflow-id',
      workflowId,
      '--input',
      input,
      '--address',
      env.address,
    ]);

  it('runs a failover started with `temporal workflow start` and JSON input', async () => {
    const workflowId = `temporal-cli-${Date.now()}`;
    await temporalStart(workflowId, '{"target":"cliStarted","planned":true,"pollInterval":"1s"}');
    const result = await env.client.workflow.getHandle<VchaFailoverWorkflow>(workflowId).result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('cliStarted'), 1);
  });

  it('ends InvalidInput for malformed `temporal workflow start` input', async () => {
    const workflowId = `temporal-cli-bad-${Date.now()}`;
    await temporalStart(workflowId, '{"target":"cliStarted","plannned":true}');
    const { failure } = await failureOf(env.client.workflow.getHandle(workflowId), 'InvalidInput');
    assert.match(failure.message, /unknown field\(s\) "plannned"/);
  });

  it('runs the child-workflow example of docs/operating.md', async () => {
    const result = await env.client.workflow.execute<typeof patchVcenterNode>('patchVcenterNode', {
      taskQueue: DEFAULT_TASK_QUEUE,
      workflowId: `patch-${Date.now()}`,
      args: [{ target: 'childStarted', ticket: 'CHG-1' }],
    });
    assert.match(result, /^patch 10\.\d+\.\d+\.\d+ now: 10\.\d+\.\d+\.\d+ is active \(task-\d+:/);
    assert.equal(lab.failoverPosts('childStarted'), 1);
    const example = readFileSync(path.join(root, 'examples', 'patch-then-failover.ts'), 'utf8');
    const snippet = example.split('// snippet:start\n')[1]!.split('// snippet:end')[0]!;
    assert.ok(
      readFileSync(path.join(root, 'docs', 'operating.md'), 'utf8').includes(snippet),
      'docs/operating.md shows the example as it runs',
    );
  });
});
