/**
 * `vcha-failover check`: the fleet readiness dry run over three simulated clusters (one with its
 * witness down) and a target another run holds, run as a user runs it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VchaFailoverWorkflow } from '../../src/contract';
import { testEnv } from '../harness/temporal';
import { member, haRe } from '../harness/lab';
import { waitForPhase } from '../workflows/wait';
import { startCliLab } from './cli-lab';
import { runCli } from './run-cli';
import { RECENT_ROLE_CHANGE_MS } from '../../src/cli/commands/check';
import type { CheckJson } from '../../src/cli/json-shapes';
import { pollUntil, VcenterCaller } from '../simulator/helpers';

const nodes = (n: number, witness: 'UP' | 'DOWN' = 'UP') => ({
  node1: member(`10.${n}.0.1`, 'ACTIVE'),
  node2: member(`10.${n}.0.2`, 'PASSIVE'),
  witness: member(`10.${n}.0.3`, 'WITNESS', witness),
});

describe('vcha-failover check', async () => {
  const { lab, cliEnv: env } = await startCliLab(
    { east: { nodes: nodes(1) }, west: { nodes: nodes(2) }, north: { nodes: nodes(3, 'DOWN') } },
    { targetPolicies: { west: { forced: 'approval' } } },
  );
  const { client } = await testEnv();

  it('check --all prints one line per target and exits 3, naming the broken check; nothing is sent', async () => {
    const started = Date.now();
    const result = await runCli(['check', '--all'], env);
    assert.equal(result.code, 3, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^TARGET +ACTIVE +PASSIVE +MODE +HEALTH +READINESS$/);
    assert.match(
      lines[1]!,
      new RegExp(String.raw`^east +${haRe('10.1.0.1')} +${haRe('10.1.0.2')} +ENABLED +HEALTHY +ready$`),
    );
    assert.match(
      lines[2]!,
      new RegExp(String.raw`^west +${haRe('10.2.0.1')} +${haRe('10.2.0.2')} +ENABLED +HEALTHY +ready$`),
    );
    assert.match(
      lines[3]!,
      new RegExp(
        String.raw`^north +${haRe('10.3.0.1')} +${haRe('10.3.0.2')} +ENABLED +\S+ +NOT READY: witness-up.*witness is UP \(saw DOWN\)`,
      ),
    );
    assert.equal(lines[4], '2 of 3 targets ready');
    for (const cluster of ['east', 'west', 'north']) assert.equal(lab.failoverPosts(cluster), 0);
    process.stdout.write(
      `# check --all over 3 clusters: ${Date.now() - started} ms\n${result.stdout.replace(/^/gm, '# ')}\n`,
    );

    const ready = await runCli(['check', '--target', 'east', '--target', 'west'], env);
    assert.equal(ready.code, 0, ready.stderr);
    assert.match(ready.stdout, /2 of 2 targets ready/);
  });

  it('says busy for a target another run holds', async () => {
    const started = await runCli(
      ['start', '--target', 'west', '--forced', '--accept-data-loss', '--requested-by', 'alice'],
      env,
    );
    const workflowId = /workflow id: (\S+)/.exec(started.stdout)![1]!;
    const handle = client.workflow.getHandle<VchaFailoverWorkflow>(workflowId);
    await waitForPhase(handle, 'AWAITING_APPROVAL');
    const result = await runCli(['check', '--target', 'west'], env);
    assert.equal(result.code, 3);
    assert.match(
      result.stdout,
      new RegExp(
        `^west +${haRe('10.2.0.1')} +${haRe('10.2.0.2')} +ENABLED +HEALTHY +busy: held by ${workflowId.replace(/\./g, '\\.')}$`,
        'm',
      ),
    );
    await runCli(['reject', workflowId, '--approver', 'bob', '--reason', 'test over'], env);
    assert.equal(lab.failoverPosts('west'), 0);
  });
});

describe('vcha-failover check: roles that changed recently', async () => {
  const { lab, cliEnv: env } = await startCliLab({
    // A vCenter whose tasks outlive the switch they cause: the only way the API shows when the roles changed.
    flipped: {
      nodes: nodes(5),
      timing: { failBackMs: 500 },
      faults: { failBack: 'task', taskAfterSwitch: 'succeeded' },
    },
    quiet: { nodes: nodes(6) },
  });

  it('flags a cluster whose roles changed within the hour, naming the failover task and that VCHA ran it', async () => {
    // A failover by someone else, then VCHA's own fail back (Broadcom KB 430364).
    const vc = new VcenterCaller(lab.sim.urlFor('flipped'));
    await vc.login();
    assert.equal((await vc.failover(true)).status, 202);
    const cluster = lab.sim.cluster('flipped');
    await pollUntil(
      () => cluster.failovers(),
      (all) => all.length === 2 && all[1]!.outcome === 'succeeded' && cluster.snapshot().healthState === 'HEALTHY',
      30_000,
    );
    const text = await runCli(['check', '--target', 'flipped', '--target', 'quiet'], env);
    assert.equal(text.code, 0, text.stderr);
    const automatic = cluster.failovers()[1]!;
    assert.match(
      text.stdout,
      new RegExp(
        String.raw`^flipped +${haRe('10.5.0.1')} +${haRe('10.5.0.2')} +ENABLED +\S+ +ready; ROLES CHANGED \S+ ago \(failover task ${automatic.taskId!.replace(/[.:]/g, '\\$&')} by VCHA itself, ended \S+\)$`,
        'm',
      ),
    );
    assert.match(
      text.stdout,
      new RegExp(String.raw`^quiet +${haRe('10.6.0.1')} +${haRe('10.6.0.2')} +ENABLED +HEALTHY +ready$`, 'm'),
    );

    const json = await runCli(['check', '--target', 'flipped', '--target', 'quiet', '-o', 'json'], env);
    const [flipped, quiet] = (JSON.parse(json.stdout) as CheckJson).targets;
    assert.equal(flipped?.rolesChangedRecently, true);
    assert.equal(flipped?.lastFailover?.automatic, true);
    assert.equal(flipped?.lastFailover?.taskId, automatic.taskId);
    assert.ok(flipped.lastFailover.agoMs < RECENT_ROLE_CHANGE_MS);
    assert.equal(quiet?.rolesChangedRecently, false);
    assert.equal(quiet?.lastFailover, null);
    assert.equal(lab.failoverPosts('flipped'), 1, 'only the failover this test sent; check sent none');
  });
});
