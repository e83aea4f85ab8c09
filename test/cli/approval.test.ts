/**
 * `vcha-failover approve`, `reject` and `status` for a run the target's policy holds for
 * approval, as a user runs them (child processes) against the dev server and the simulator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VchaFailoverWorkflow } from '../../src/contract';
import { testEnv } from '../harness/temporal';
import { member } from '../harness/lab';
import { waitForPhase } from '../workflows/wait';
import { startCliLab } from './cli-lab';
import { runCli } from './run-cli';

const nodes = (n: number) => ({
  node1: member(`10.${n}.0.1`, 'ACTIVE'),
  node2: member(`10.${n}.0.2`, 'PASSIVE'),
  witness: member(`10.${n}.0.3`, 'WITNESS'),
});

describe('vcha-failover approve / reject', { concurrency: true }, async () => {
  const { lab, cliEnv: env } = await startCliLab(
    { gated: { nodes: nodes(1) }, refused: { nodes: nodes(2) } },
    { targetPolicies: { gated: { forced: 'approval' }, refused: { forced: 'approval' } } },
  );
  const client = (await testEnv()).client;

  /** Starts a forced failover as alice and waits until it waits for approval. */
  async function startWaiting(target: string): Promise<string> {
    const started = await runCli(
      [
        'start',
        '--target',
        target,
        '--forced',
        '--accept-data-loss',
        '--requested-by',
        'alice',
        '--poll-interval',
        '1s',
      ],
      env,
    );
    assert.equal(started.code, 0, started.stderr);
    const workflowId = /workflow id: (\S+)/.exec(started.stdout)![1]!;
    await waitForPhase(client.workflow.getHandle<VchaFailoverWorkflow>(workflowId), 'AWAITING_APPROVAL');
    return workflowId;
  }

  it('status says who may approve until when; the requester is refused; another person approves', async () => {
    const workflowId = await startWaiting('gated');
    const status = await runCli(['status', workflowId], env);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /phase: +AWAITING_APPROVAL/);
    assert.match(
      status.stdout,
      /approval: +waiting \(the policy of gated asks for approval of forced failovers\): anyone but alice may approve until \d{4}-\d\d-\d\dT[\d:.]+Z/,
    );
    const self = await runCli(['approve', workflowId, '--approver', 'alice'], env);
    assert.equal(self.code, 1);
    assert.match(self.stderr, /approve refused by .*: alice requested this failover and cannot approve it/);
    assert.equal(lab.failoverPosts('gated'), 0);

    const approved = await runCli(['approve', workflowId, '--approver', 'bob', '--comment', 'CHG-77'], env);
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, /^Approved \S+ as bob at \S+: CHG-77$/m);
    const result = await client.workflow.getHandle<VchaFailoverWorkflow>(workflowId).result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('gated'), 1);
    const ended = await runCli(['status', workflowId], env);
    assert.equal(ended.code, 0);
    assert.match(ended.stdout, /approval: +approved by bob at \S+: CHG-77/);
  });

  it('reject needs --reason, ends the run NotApproved (exit 20 for status) with nothing sent', async () => {
    const workflowId = await startWaiting('refused');
    const missing = await runCli(['reject', workflowId, '--approver', 'bob'], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--reason is required/);
    const rejected = await runCli(['reject', workflowId, '--approver', 'bob', '--reason', 'no change window'], env);
    assert.equal(rejected.code, 0, rejected.stderr);
    assert.match(rejected.stdout, /^Rejected \S+ as bob/m);
    const status = await runCli(['status', workflowId], env);
    assert.equal(status.code, 20);
    assert.match(status.stdout, /approval: +rejected by bob at \S+: no change window/);
    assert.equal(lab.failoverPosts('refused'), 0);
    const late = await runCli(['approve', workflowId, '--approver', 'carol'], env);
    assert.equal(late.code, 1);
    assert.match(late.stderr, /has already ended/);
  });
});
