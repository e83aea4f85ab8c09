/**
 * Observability of the worker process: its Prometheus endpoint serves Core's and the project's
 * metrics, its logs are JSON lines naming the run and target, and no secret (password or any
 * session token the simulator issued) appears in history, logs or outcome records.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import type { VchaFailoverWorkflow } from '../../src/contract';
import { SqliteAuditStore } from '../../src/audit';
import { freePort } from '../../src/devtools/dev-server';
import { onTeardown, testEnv, uniqueTaskQueue } from '../harness/temporal';
import { startLab } from '../harness/lab';
import { spawnWorker } from './worker-process';

/**
 * History as text with payload bytes decoded, so a secret inside a payload would show. Walks the
 * objects itself: protobuf messages' own toJSON would turn the bytes into base64.
 */
function historyText(value: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (node instanceof Uint8Array) parts.push(Buffer.from(node).toString('utf8'));
    else if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean')
      parts.push(String(node));
    else if (node && typeof node === 'object' && depth < 40)
      for (const child of Object.values(node)) walk(child, depth + 1);
  };
  walk(value, 0);
  return parts.join('\n');
}

describe('worker observability', async () => {
  const lab = await startLab({ clusters: { observed: {} }, runWorker: false });
  const metricsPort = await freePort();
  const taskQueue = uniqueTaskQueue('observed');
  const worker = await spawnWorker({
    taskQueue,
    targetsFile: lab.targetsFile,
    env: { ...lab.targetsEnv, VCHA_METRICS_ADDR: `127.0.0.1:${metricsPort}`, VCHA_LOG_LEVEL: 'INFO' },
  });
  onTeardown(() => worker.kill('SIGTERM'));
  await worker.ready;
  const handle = await lab.start(
    { target: 'observed', planned: true, pollInterval: '1s', reason: 'CHG-7', requestedBy: 'ops' },
    `observed-${Date.now()}`,
    taskQueue,
  );
  const result = await handle.result();

  it('completes the failover it is observed on', () => {
    assert.equal(result.outcome, 'SUCCEEDED');
  });

  it("serves Core's and the project's metrics on VCHA_METRICS_ADDR", async () => {
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    const text = await response.text();
    assert.match(text, /vcha_failovers\{[^}]*outcome="SUCCEEDED"[^}]*\} 1/);
    assert.match(text, /vcha_failovers\{[^}]*target="observed"/);
    assert.match(text, /vcha_failover_duration[_a-z]*\{[^}]*target="observed"/);
    assert.match(text, /vcha_failover_outage[_a-z]*\{[^}]*target="observed"/);
    assert.match(text, /vcha_vcenter_requests\{[^}]*operation="cluster\.failover"[^}]*status="202"/);
    assert.match(text, /vcha_vcenter_request_errors\{[^}]*kind="transport"[^}]*target="observed"/);
    // The task id the new active node does not know.
    assert.match(text, /vcha_vcenter_request_errors\{[^}]*kind="http_404"/);
    assert.match(text, /workflow_completed/);
  });

  it('writes JSON log lines that carry the workflow id and the target', () => {
    const lines = worker
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const sending = lines.find((line) => line.msg === 'sending failover request');
    assert.ok(sending, 'the trigger activity logged');
    assert.equal(sending.workflowId, handle.workflowId);
    assert.equal(sending.target, 'observed');
    const workflowLines = lines.filter(
      (line) => line.workflowId === handle.workflowId && line.activityType === undefined,
    );
    assert.ok(workflowLines.length > 0 && workflowLines.every((line) => line.target === 'observed'));
  });

  it('never shows the password or a session token in history, logs or outcome records', async () => {
    const env = await testEnv();
    const tokens = lab.sim.cluster('observed').issuedTokens();
    assert.ok(tokens.length >= 2, 'the worker logged in again after the switch');
    const secrets = [lab.targetsEnv.VCHA_LAB_PASSWORD!, ...tokens];
    const history = historyText(
      await env.client.workflow.getHandle<VchaFailoverWorkflow>(handle.workflowId).fetchHistory(),
    );
    const store = new SqliteAuditStore({ path: worker.auditDb });
    const rows = await store.list({ target: 'observed' });
    await store.close();
    assert.deepEqual(
      rows.map((row) => [row.workflowId, row.outcome, row.reason]),
      [[handle.workflowId, 'SUCCEEDED', 'CHG-7']],
    );
    const places = {
      history,
      'worker output': worker.output(),
      'workflow result': JSON.stringify(result),
      'audit rows': JSON.stringify(rows),
    };
    for (const [place, text] of Object.entries(places)) {
      for (const secret of secrets) assert.ok(!text.includes(secret), `a secret appears in the ${place}`);
    }
    assert.ok(history.includes('CHG-7'), 'payloads were decoded for the search');
  });
});

describe('vcha-failover history', () => {
  it('prints the outcome records the worker wrote', async () => {
    const lab = await startLab({ clusters: { historic: {} }, runWorker: false });
    const taskQueue = uniqueTaskQueue('history');
    const worker = await spawnWorker({ taskQueue, targetsFile: lab.targetsFile, env: lab.targetsEnv });
    onTeardown(() => worker.kill('SIGTERM'));
    await worker.ready;
    const handle = await lab.start(
      { target: 'historic', planned: true, dryRun: true },
      `historic-${Date.now()}`,
      taskQueue,
    );
    await handle.result();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'history', '--target', 'historic', '--limit', '5'],
      { cwd: path.resolve(__dirname, '..', '..'), env: { ...process.env, VCHA_AUDIT_DB: worker.auditDb } },
    );
    assert.match(stdout, new RegExp(`historic .*DRY_RUN_PASSED.*${handle.workflowId}`));
  });
});
