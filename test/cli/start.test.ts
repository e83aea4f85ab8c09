/**
 * `vcha-failover start`, `status` and `cancel` as processes against the dev server, the simulator
 * and a failover worker: progress, outcome and the exit code of each way a run can end.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testEnv } from '../harness/temporal';
import { member, haRe } from '../harness/lab';
import { waitForPhase } from '../workflows/wait';
import { startCliLab } from './cli-lab';
import { runCli, spawnCli } from './run-cli';

const nodes = (n: number) => ({
  node1: member(`10.2${n}.0.1`, 'ACTIVE'),
  node2: member(`10.2${n}.0.2`, 'PASSIVE'),
  witness: member(`10.2${n}.0.3`, 'WITNESS'),
});

/** Progress lines of `--wait` when stdout is not a terminal: `[elapsed] PHASE  observation`. */
const progressLines = (stdout: string) => stdout.split('\n').filter((line) => /^\[\w+\] [A-Z_]+ {2}/.test(line));

/** The workflow id `start` printed. */
const workflowIdIn = (stdout: string) => /workflow id: (\S+)/.exec(stdout)?.[1] ?? assert.fail(stdout);

describe('vcha-failover start, status and cancel', { concurrency: true }, async () => {
  const { lab, cliEnv } = await startCliLab(
    {
      ok: { nodes: nodes(1), timing: { switchOutageMs: 3_000 } },
      degraded: { nodes: nodes(2), healthState: 'DEGRADED' },
      dry: { nodes: nodes(3), healthState: 'DEGRADED' },
      // Its own name and cluster: other files have a `busy` target. Its planned runs wait for
      // approval holding the cluster's lock (below), so the CLI's run meets a held lock every time.
      cliBusy: { nodes: nodes(4) },
      hung: { nodes: nodes(5), faults: { rules: [{ operation: 'cluster.get', action: 'hang' }] } },
      watched: { nodes: nodes(6), faults: { rules: [{ operation: 'cluster.get', action: 'hang' }] } },
      // The address answers nothing during the switch, as a real vCenter's does when it moves.
      silent: { nodes: nodes(7), timing: { switchOutageMs: 6_000 }, faults: { outageStyle: 'blackhole' } },
    },
    {
      headersTimeoutMs: { hung: 2_000, watched: 2_000, silent: 1_500 },
      targetPolicies: { cliBusy: { planned: 'approval' } },
    },
  );
  // Empty counts as unset: the links must use the default Web UI address.
  const env = { ...cliEnv, VCHA_UI_URL: '' };
  const { client } = await testEnv();

  it('start --wait follows a planned failover to SUCCEEDED with live observations, and exits 0', async () => {
    const result = await runCli(
      ['start', '--target', 'ok', '--planned', '--poll-interval', '1s', '--reason', 'patching', '--wait'],
      { ...env, USER: 'ignored' },
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const workflowId = workflowIdIn(result.stdout);
    assert.match(workflowId, /^vcha-failover-ok-\d{8}T\d{6}\.\d{3}Z$/);
    const runId = /run id: +(\S+)/.exec(result.stdout)?.[1];
    assert.ok(
      result.stdout.includes(
        `Web UI:      http://localhost:8233/namespaces/default/workflows/${workflowId}/${runId}/history`,
      ),
      result.stdout,
    );

    const progress = progressLines(result.stdout);
    assert.ok(
      progress.some((line) => / FAILING_OVER {2}/.test(line)),
      `progress shows FAILING_OVER:\n${result.stdout}`,
    );
    // Only the follow activity's heartbeat knows these while FAILING_OVER: the status query says "following task …".
    assert.ok(
      progress.some((line) => / FAILING_OVER {2}(task (PENDING|RUNNING)|vCenter unreachable for \d+ s)/.test(line)),
      `progress shows the live observation:\n${result.stdout}`,
    );
    assert.match(
      result.stdout,
      new RegExp(String.raw`^SUCCEEDED: ok failed over: ${haRe('10.21.0.2')} is ACTIVE, HEALTHY`, 'm'),
    );
    assert.match(
      result.stdout,
      new RegExp(String.raw`^ {2}active: {4}${haRe('10.21.0.1')} → ${haRe('10.21.0.2')}$`, 'm'),
    );
    assert.match(result.stdout, /^ {2}task: {6}task-\d+:com\.vmware\.vcenter\.vcha\.cluster$/m);
    assert.ok(
      result.stdout.includes(`\n  served at: ${lab.sim.urlFor('ok')}\n`),
      `where vCenter answers:\n${result.stdout}`,
    );
    assert.match(result.stdout, /^ {2}duration: {2}\d+s$/m);
    assert.equal(result.stderr, '');
    assert.equal(lab.failoverPosts('ok'), 1);

    const description = await client.workflow.getHandle(workflowId).describe();
    assert.equal(description.memo?.startedBy, 'cli');
    assert.equal(description.memo?.reason, 'patching');
    assert.equal(typeof description.memo?.requestedBy, 'string');
    assert.equal(lab.recorder.records.find((r) => r.workflowId === workflowId)?.startedBy, 'cli');

    const status = await runCli(['status', workflowId], env);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`^Run ${workflowId} \\(run ${runId}\\): COMPLETED$`, 'm'));
    assert.match(status.stdout, /^ {2}target: {6}ok \(planned\)$/m);
    assert.match(status.stdout, /^ {4}\+\S+ +FAILING_OVER +\d{4}-/m);
    assert.match(status.stdout, /^SUCCEEDED: ok failed over/m);
  });

  it('start --wait shows a blackholed vCenter as "vCenter unreachable (no answer)", as it shows refused connections', async () => {
    const result = await runCli(
      ['start', '--target', 'silent', '--planned', '--poll-interval', '1s', '--reason', 'blackhole', '--wait'],
      env,
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.ok(
      progressLines(result.stdout).some((line) =>
        / (FAILING_OVER|VERIFYING) {2}vCenter unreachable for \d+ s \(no answer\)/.test(line),
      ),
      `progress shows the blackhole as no answer:\n${result.stdout}`,
    );
    assert.match(result.stdout, /^SUCCEEDED: silent failed over/m);
    assert.equal(lab.failoverPosts('silent'), 1);
  });

  it('start --wait on a DEGRADED cluster ends PreflightRejected with exit code 13', async () => {
    const result = await runCli(['start', '--target', 'degraded', '--planned', '--wait'], env);
    assert.equal(result.code, 13, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      /^FAILED PreflightRejected \(exit code 13\): preflight rejected the failover of degraded: .*HEALTHY \(saw DEGRADED\)/m,
    );
    assert.match(result.stdout, /^ {2}triggered: no$/m);
    assert.equal(lab.failoverPosts('degraded'), 0);
  });

  it('start --wait of a forced dry run passes on the DEGRADED cluster and exits 0', async () => {
    const result = await runCli(
      ['start', '--target', 'dry', '--forced', '--accept-data-loss', '--dry-run', '--wait'],
      env,
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^Started dry run of dry /m);
    assert.match(result.stdout, /^DRY_RUN_PASSED: dry run passed: dry can fail over/m);
    assert.match(
      result.stdout,
      new RegExp(String.raw`^ {2}active: {4}${haRe('10.23.0.1')} \(unchanged: dry run\)$`, 'm'),
    );
    assert.equal(lab.failoverPosts('dry'), 0);
  });

  it('start --wait for a target the worker does not know ends UnknownTarget with exit code 11', async () => {
    const result = await runCli(['start', '--target', 'vc-nowhere', '--planned', '--wait'], env);
    assert.equal(result.code, 11, result.stdout + result.stderr);
    assert.match(result.stdout, /^FAILED UnknownTarget \(exit code 11\): .*vc-nowhere/m);
  });

  it('start --wait on a target another run holds ends TargetBusy with exit code 12, naming the holder', async () => {
    const holder = await lab.start(
      { target: 'cliBusy', planned: true, pollInterval: '1s', requestedBy: 'alice' },
      'cli-busy-holder',
    );
    // The lock is taken after preflight and before the approval wait: a run waiting holds it.
    await waitForPhase(holder, 'AWAITING_APPROVAL');
    const result = await runCli(['start', '--target', 'cliBusy', '--planned', '--wait'], env);
    assert.equal(result.code, 12, result.stdout + result.stderr);
    assert.match(result.stdout, /^FAILED TargetBusy \(exit code 12\): target cliBusy is busy: run cli-busy-holder \(/m);
    assert.equal(lab.failoverPosts('cliBusy'), 0, 'nothing is sent while the holder waits');
    await holder.executeUpdate('approve', { args: [{ approver: 'bob' }] });
    assert.equal((await holder.result()).outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('cliBusy'), 1);
  });

  it('status shows a running run; cancel before the trigger ends it Cancelled: exit code 18 for start --wait', async () => {
    const start = spawnCli(['start', '--target', 'hung', '--planned', '--wait'], env);
    try {
      const workflowId = (await start.waitForOutput(/workflow id: (\S+)/))[1]!;
      await start.waitForOutput(/^\[\w+\] PREFLIGHT {2}reading the cluster state of hung$/m);

      const status = await runCli(['status', workflowId], env);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, new RegExp(`^Run ${workflowId} \\(run \\S+\\): RUNNING$`, 'm'));
      assert.match(status.stdout, /^ {2}started by: {2}cli, requested by \S+$/m);
      assert.match(status.stdout, /^ {2}target: {6}hung \(planned\)$/m);
      assert.match(status.stdout, /^ {2}phase: {7}PREFLIGHT$/m);
      assert.match(status.stdout, /^ {2}observation: reading the cluster state of hung$/m);
      assert.match(status.stdout, /^ {4}\+0ms +VALIDATING/m);
      assert.match(status.stdout, /^ {2}Web UI: {6}http:\/\/localhost:8233\/namespaces\/default\/workflows\//m);

      const cancel = await runCli(['cancel', workflowId], env);
      assert.equal(cancel.code, 0, cancel.stderr);
      assert.match(cancel.stdout, new RegExp(`^Cancellation requested for ${workflowId} `, 'm'));
      assert.match(cancel.stdout, /The run is in PREFLIGHT, before the failover request: the run ends Cancelled/);

      const ended = await start.exited;
      assert.equal(ended.code, 18, ended.stdout + ended.stderr);
      assert.match(
        ended.stdout,
        /^FAILED Cancelled \(exit code 18\): cancelled before the failover was triggered: nothing was changed on hung/m,
      );
      const after = await runCli(['status', workflowId], env);
      assert.equal(after.code, 18, after.stderr);
      assert.match(after.stdout, /: FAILED$/m);
      assert.match(after.stdout, /^FAILED Cancelled \(exit code 18\)/m);
      const again = await runCli(['cancel', workflowId], env);
      assert.equal(again.code, 1);
      assert.equal(
        again.stderr,
        `vcha-failover cancel: run ${workflowId} has already ended (FAILED); nothing to cancel\n`,
      );
      assert.equal(lab.failoverPosts('hung'), 0);
    } finally {
      start.child.kill();
    }
  });

  it('Ctrl-C stops watching with exit code 130 and leaves the run going', async () => {
    const start = spawnCli(['start', '--target', 'watched', '--planned', '--wait'], env);
    const workflowId = (await start.waitForOutput(/workflow id: (\S+)/))[1]!;
    await start.waitForOutput(/\] PREFLIGHT {2}/);
    start.child.kill('SIGINT');
    const ended = await start.exited;
    assert.equal(ended.code, 130, ended.stdout + ended.stderr);
    assert.equal(
      ended.stderr,
      `vcha-failover start: stopped watching; run ${workflowId} goes on (vcha-failover status ${workflowId})\n`,
    );
    const handle = client.workflow.getHandle(workflowId);
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    await handle.cancel();
  });

  it('status of an unknown workflow id is one line and exit code 1', async () => {
    const result = await runCli(['status', 'no-such-run'], env);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, 'vcha-failover status: no run with workflow id no-such-run in namespace default\n');
  });
});
