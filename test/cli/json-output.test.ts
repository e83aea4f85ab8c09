/**
 * `-o json` of start --wait, status, history, schedule list and list, as processes against the dev
 * server, the simulator and a failover worker: stdout is one JSON document in the documented shape
 * (src/cli/json-shapes.ts, docs/cli.md), with the same exit codes as the text output; and `list`
 * finds runs through the Vcha* search attributes, as a table or JSON.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import { SqliteAuditStore } from '../../src/audit';
import { historyJson, listJson, scheduleListJson, startJson, statusJson } from '../../src/cli/json-shapes';
import { fullOutcome } from '../audit/fixtures';
import { pollUntil } from '../harness/poll';
import { testEnv } from '../harness/temporal';
import { member, ha } from '../harness/lab';
import { waitForPhase } from '../workflows/wait';
import { startCliLab } from './cli-lab';
import { runCli } from './run-cli';

const nodes = (n: number) => ({
  node1: member(`10.4${n}.0.1`, 'ACTIVE'),
  node2: member(`10.4${n}.0.2`, 'PASSIVE'),
  witness: member(`10.4${n}.0.3`, 'WITNESS'),
});

/** Parses the whole of stdout as one document of `schema` (anything else on stdout fails). */
function documentOf<S extends z.ZodType>(schema: S, stdout: string): z.infer<S> {
  return schema.parse(JSON.parse(stdout));
}

describe('vcha-failover -o json and list', { concurrency: true }, async () => {
  const { lab, cliEnv } = await startCliLab({
    'json-ok': { nodes: nodes(1), timing: { switchOutageMs: 1_000 } },
    'json-degraded': { nodes: nodes(2), healthState: 'DEGRADED' },
    'json-slow': { nodes: nodes(3), timing: { flushMs: 20_000 } },
  });
  const { client } = await testEnv();

  it('start --wait -o json: one document with the run and its ending, exit code of the outcome', async () => {
    const result = await runCli(
      [
        'start',
        '--target',
        'json-ok',
        '--planned',
        '--poll-interval',
        '1s',
        '--requested-by',
        'jdoe',
        '--wait',
        '-o',
        'json',
      ],
      cliEnv,
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const document = documentOf(startJson, result.stdout);
    assert.match(document.workflowId, /^vcha-failover-json-ok-/);
    assert.equal(document.taskQueue, cliEnv.VCHA_TASK_QUEUE);
    assert.equal(document.namespace, 'default');
    assert.ok(document.webUiUrl.endsWith(`/workflows/${document.workflowId}/${document.runId}/history`));
    assert.deepEqual(document.input, { target: 'json-ok', planned: true, requestedBy: 'jdoe', pollInterval: '1s' });
    assert.equal(document.ending?.kind, 'succeeded');
    assert.equal(document.ending?.outcome, 'SUCCEEDED');
    assert.equal(document.ending?.exitCode, 0);
    assert.equal(document.ending?.record?.activeAfter, ha('10.41.0.2'));
    assert.equal(lab.failoverPosts('json-ok'), 1);
    const described = await client.workflow.getHandle(document.workflowId).describe();
    assert.equal(await described.staticSummary(), 'Planned failover of json-ok (jdoe)');
    assert.match((await described.staticDetails()) ?? '', /\*\*Started through:\*\* the vcha-failover CLI/);

    const status = await runCli(['status', document.workflowId, '-o', 'json'], cliEnv);
    assert.equal(status.code, 0, status.stderr);
    const ended = documentOf(statusJson, status.stdout);
    assert.equal(ended.status, 'COMPLETED');
    assert.equal(ended.live, null);
    assert.equal(ended.ending?.outcome, 'SUCCEEDED');
    assert.equal(ended.startedBy, 'cli');
    assert.equal(ended.requestedBy, 'jdoe');

    // list: the run shows up through its search attributes, as JSON and as a table.
    const listed = await pollUntil(
      async () => documentOf(listJson, (await runCli(['list', '--target', 'json-ok', '-o', 'json'], cliEnv)).stdout),
      (d) => d.failovers.some((f) => f.workflowId === document.workflowId && f.outcome === 'SUCCEEDED'),
      15_000,
      500,
      'list shows the finished run',
    );
    assert.equal(listed.query, `WorkflowType = 'vchaFailover' AND VchaTarget = "json-ok"`);
    const row = listed.failovers.find((f) => f.workflowId === document.workflowId)!;
    assert.deepEqual(
      { target: row.target, status: row.status, phase: row.phase, planned: row.planned, requestedBy: row.requestedBy },
      { target: 'json-ok', status: 'COMPLETED', phase: 'COMPLETED', planned: true, requestedBy: 'jdoe' },
    );
    assert.ok(row.closedAt !== null && row.durationMs > 0);
    assert.ok(listed.failovers.every((f) => f.target === 'json-ok'));
    const table = await runCli(['list', '--target', 'json-ok'], cliEnv);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^TARGET +WORKFLOW ID +PHASE +OUTCOME +STARTED +DURATION +REQUESTED BY\n/);
    assert.match(
      table.stdout,
      new RegExp(
        `^json-ok +${document.workflowId} +COMPLETED +SUCCEEDED +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ +\\S+ +jdoe$`,
        'm',
      ),
    );
  });

  it('start -o json without --wait, then status -o json of the failed run: same exit codes as text', async () => {
    const started = await runCli(['start', '--target', 'json-degraded', '--planned', '-o', 'json'], cliEnv);
    assert.equal(started.code, 0, started.stderr);
    const document = documentOf(startJson, started.stdout);
    assert.equal(document.ending, null);
    const status = await pollUntil(
      () => runCli(['status', document.workflowId, '-o', 'json'], cliEnv),
      (r) => r.code !== 0,
      30_000,
      500,
      'the run ends',
    );
    assert.equal(status.code, 13, status.stderr);
    const ended = documentOf(statusJson, status.stdout);
    assert.equal(ended.status, 'FAILED');
    assert.deepEqual(
      { kind: ended.ending?.kind, outcome: ended.ending?.outcome, exitCode: ended.ending?.exitCode },
      { kind: 'failed', outcome: 'PreflightRejected', exitCode: 13 },
    );
    assert.equal(ended.ending?.record?.triggered, 'no');
  });

  it('list --running / --limit, and status -o json of a running run', async () => {
    const handle = await lab.start({ target: 'json-slow', planned: true, pollInterval: '1s' }, 'json-slow-run');
    const listed = await pollUntil(
      async () => documentOf(listJson, (await runCli(['list', '--running', '-o', 'json'], cliEnv)).stdout),
      (d) => d.failovers.some((f) => f.workflowId === 'json-slow-run'),
      15_000,
      250,
      'list --running shows the running run',
    );
    assert.ok(
      listed.failovers.every((f) => f.status === 'RUNNING' && f.closedAt === null),
      JSON.stringify(listed),
    );
    const limited = documentOf(listJson, (await runCli(['list', '--limit', '1', '-o', 'json'], cliEnv)).stdout);
    assert.equal(limited.failovers.length, 1);

    await waitForPhase(handle, 'FAILING_OVER');
    const status = await runCli(['status', 'json-slow-run', '-o', 'json'], cliEnv);
    assert.equal(status.code, 0, status.stderr);
    const running = documentOf(statusJson, status.stdout);
    assert.equal(running.status, 'RUNNING');
    assert.equal(running.ending, null);
    assert.equal(running.live?.target, 'json-slow');
    assert.equal(running.live?.planned, true);
    assert.match(running.live?.phase ?? '', /^(FAILING_OVER|VERIFYING)$/);
    assert.ok(running.live?.timeline.some((mark) => mark.phase === 'TRIGGERING'));
    await handle.result();
  });

  it('schedule list -o json', async () => {
    const created = await runCli(
      [
        'schedule',
        'create',
        '--target',
        'json-ok',
        '--id',
        'json-weekly',
        '--calendar',
        'dayOfWeek=SUN;hour=3',
        '--timezone',
        'Europe/Berlin',
        '--paused',
        '--note',
        'change freeze',
      ],
      cliEnv,
    );
    assert.equal(created.code, 0, created.stderr);
    const listed = await pollUntil(
      async () => documentOf(scheduleListJson, (await runCli(['schedule', 'list', '-o', 'json'], cliEnv)).stdout),
      (d) => d.schedules.some((s) => s.scheduleId === 'json-weekly'),
      15_000,
      500,
      'schedule list shows the schedule',
    );
    assert.equal(listed.taskQueue, cliEnv.VCHA_TASK_QUEUE);
    const schedule = listed.schedules.find((s) => s.scheduleId === 'json-weekly')!;
    assert.deepEqual(
      {
        target: schedule.target,
        paused: schedule.paused,
        note: schedule.note,
        timezone: schedule.timezone,
        overlap: schedule.overlap,
      },
      { target: 'json-ok', paused: true, note: 'change freeze', timezone: 'Europe/Berlin', overlap: 'SKIP' },
    );
    assert.equal(schedule.nextTimes.length, 5);
    assert.ok(schedule.nextTimes.every((time, i) => i === 0 || time > schedule.nextTimes[i - 1]!));
    assert.match(schedule.when, /\(Europe\/Berlin\)$/);
    assert.equal(schedule.catchupWindowMs, 600_000);
    assert.equal((await runCli(['schedule', 'delete', 'json-weekly'], cliEnv)).code, 0);
  });

  it('history -o json: the audit rows, newest first', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'vcha-history-')), 'audit.sqlite');
    const store = new SqliteAuditStore({ path: file });
    await store.migrate();
    await store.record(fullOutcome());
    await store.record(fullOutcome({ workflowId: 'later', runId: 'r2', finishedAt: '2024-06-01T00:00:00.000Z' }));
    await store.close();
    const result = await runCli(['history', '-o', 'json'], { VCHA_AUDIT_DB: file });
    assert.equal(result.code, 0, result.stderr);
    const document = documentOf(historyJson, result.stdout);
    assert.deepEqual(
      document.records.map((r) => r.workflowId),
      ['later', 'vcha-failover-vc-lab-01-1'],
    );
    assert.equal(document.records[1]?.requestedBy, 'jdoe');
  });
});
