/**
 * `vcha-failover maintenance start --wait`, `maintenance done`, `status` of a maintenance run and
 * `schedule create --maintenance`, as a user runs them against the dev server and the simulator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MaintenanceStatus } from '../../src/contract';
import { pollUntil } from '../harness/poll';
import { testEnv } from '../harness/temporal';
import { member, haRe } from '../harness/lab';
import { startCliLab } from './cli-lab';
import { runCli, spawnCli } from './run-cli';

describe('vcha-failover maintenance', { concurrency: true }, async () => {
  const { lab, cliEnv: env } = await startCliLab({
    patching: {
      nodes: {
        node1: member('10.7.0.1', 'ACTIVE'),
        node2: member('10.7.0.2', 'PASSIVE'),
        witness: member('10.7.0.3', 'WITNESS'),
      },
    },
  });
  const { client } = await testEnv();

  it('start --wait follows the round trip; status shows both legs; done ends the window; exit 0', async () => {
    const workflowId = `cli-maintenance-${process.pid}-${Date.now()}`;
    const start = spawnCli(
      [
        'maintenance',
        'start',
        '--target',
        'patching',
        '--reason',
        'patch node1',
        '--requested-by',
        'alice',
        '--poll-interval',
        '1s',
        '--workflow-id',
        workflowId,
        '--wait',
      ],
      env,
    );
    await start.waitForOutput(/\[IN_MAINTENANCE\]/, 60_000);
    const status = await runCli(['status', workflowId], env);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /phase: +IN_MAINTENANCE/);
    assert.match(status.stdout, new RegExp(String.raw`patched: +${haRe('10.7.0.1')}`));
    assert.match(
      status.stdout,
      new RegExp(`failover: +${workflowId}/failover SUCCEEDED ${haRe('10.7.0.1')} → ${haRe('10.7.0.2')}`),
    );
    // VMware's order: the cluster went to MAINTENANCE before the first failover, with vCenter's task.
    assert.match(status.stdout, /mode enter: +ENABLED → MAINTENANCE set \(task \S+\) at \S+/);
    assert.doesNotMatch(status.stdout, /mode restore:/);

    const done = await runCli(['maintenance', 'done', workflowId, '--by', 'bob', '--note', 'patched'], env);
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /marked done by bob/);
    const again = await runCli(['maintenance', 'done', workflowId, '--by', 'bob'], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /maintenanceDone refused/);

    const ended = await start.exited;
    assert.equal(ended.code, 0, ended.stderr);
    assert.match(
      ended.stdout,
      new RegExp(
        String.raw`outcome: +SUCCEEDED: maintenance of patching done: failed over to ${haRe('10.7.0.2')}, then back to ${haRe('10.7.0.1')}`,
      ),
    );
    assert.match(
      ended.stdout,
      new RegExp(String.raw`failback: +\S+\/failback SUCCEEDED ${haRe('10.7.0.2')} → ${haRe('10.7.0.1')}`),
    );
    assert.equal(lab.failoverPosts('patching'), 2);
    const final = await runCli(['status', workflowId], env);
    assert.equal(final.code, 0);
    assert.match(final.stdout, /window: .*ended \S+ by maintenanceDone \(bob: patched\)/);
    assert.match(final.stdout, /mode enter: +ENABLED → MAINTENANCE set/);
    assert.match(final.stdout, /mode restore: +MAINTENANCE → ENABLED set \(task \S+\) at \S+/);
    await pollUntil(
      () => client.workflow.getHandle(workflowId).query<MaintenanceStatus>('status'),
      (s) => s.phase === 'COMPLETED',
      10_000,
      200,
      'completed',
    );
  });

  it('schedule create --maintenance schedules vchaMaintenance with its window', async () => {
    const id = `maint-${process.pid}-${Date.now()}`;
    const weekly = ['schedule', 'create', '--target', 'patching', '--cron', '0 2 * * 0', '--timezone', 'UTC'];
    const created = await runCli(
      [...weekly, '--maintenance', '--max-duration', '2h', '--on-max-duration', 'failback', '--id', id, '--paused'],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    const description = await client.schedule.getHandle(id).describe();
    assert.equal(description.action.type, 'startWorkflow');
    assert.equal(description.action.type === 'startWorkflow' && description.action.workflowType, 'vchaMaintenance');
    const args = description.action.type === 'startWorkflow' ? description.action.args : [];
    assert.deepEqual(
      { ...(args?.[0] as object), requestedBy: undefined },
      {
        target: 'patching',
        reason: `scheduled maintenance (schedule ${id})`,
        maxDuration: '2h',
        onMaxDuration: 'failback',
        requestedBy: undefined,
      },
    );
    const wrong = await runCli([...weekly, '--max-duration', '2h'], env);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--max-duration applies to --maintenance only/);
    await client.schedule.getHandle(id).delete();
  });
});
