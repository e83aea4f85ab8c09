/**
 * The policy and the approval gate on the real dev server and the simulator: a denied run sends
 * nothing to vCenter, a run that needs approval waits with nothing sent, the validators refuse
 * self-approval and late decisions without a trace in history, and an approved run reads the
 * cluster again before its one POST.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { ApprovalRecord } from '../../src/contract';
import { resolveTemporalCli } from '../../src/devtools/temporal-cli';
import { testServerAddress } from '../harness/temporal';
import { failureOf, refusal } from './assertions';
import { healthyNodes, member, startLab } from '../harness/lab';
import { waitForPhase } from './wait';

const run = promisify(execFile);
const { EventType } = temporal.api.enums.v1;

const forced = (target: string, extra: Record<string, unknown> = {}) => ({
  target,
  planned: false,
  acceptDataLoss: true,
  requestedBy: 'alice',
  reason: 'node1 hardware fault',
  pollInterval: '1s',
  ...extra,
});

/** The Update events in a run's history: a refused Update leaves none. */
async function updateEvents(handle: WorkflowHandle): Promise<string[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  return events
    .filter(
      (e) =>
        e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED ||
        e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED ||
        e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED,
    )
    .map((e) => EventType[e.eventType!]);
}

describe('policy and approval', { concurrency: true }, async () => {
  const lab = await startLab({
    clusters: {
      approved: { nodes: healthyNodes(1) },
      rejected: { nodes: healthyNodes(2) },
      expired: { nodes: healthyNodes(3) },
      denied: { nodes: healthyNodes(4) },
      changed: { nodes: healthyNodes(5) },
    },
    // The built-in defaults: forced failovers need approval.
    policy: {},
    targetPolicies: { denied: { forced: 'deny' } },
  });

  it('waits for approval, refuses self-approval and a second decision without a trace, then sends once', async () => {
    const started = Date.now();
    const handle = await lab.start(forced('approved'));
    const waiting = await waitForPhase(handle, 'AWAITING_APPROVAL');
    assert.equal(waiting.phase, 'AWAITING_APPROVAL');
    assert.equal(waiting.approval?.state, 'waiting');
    assert.equal(waiting.approval?.requestedBy, 'alice');
    assert.ok(Date.parse(waiting.approval.until) - Date.parse(waiting.approval.requestedAt) === 30 * 60_000);
    assert.equal(lab.failoverPosts('approved'), 0, 'nothing is sent while waiting');

    assert.match(
      await refusal(handle.executeUpdate('approve', { args: [{ approver: 'alice' }] })),
      /alice requested this failover and cannot approve it/,
    );
    assert.match(
      await refusal(handle.executeUpdate('approve', { args: [{ approver: ' ALICE ' }] })),
      /cannot approve it/,
    );
    assert.match(
      await refusal(handle.executeUpdate('approve', { args: [{ approver: '  ' }] })),
      /approver is required/,
    );

    // The real temporal CLI, as an operator would approve from a shell.
    const cli = resolveTemporalCli({ allowSdkDownload: false });
    const { stdout } = await run(cli.executable!, [
      'workflow',
      'update',
      'execute',
      '--address',
      await testServerAddress(),
      '--workflow-id',
      handle.workflowId,
      '--name',
      'approve',
      '--input',
      JSON.stringify({ approver: 'bob', comment: 'CHG-1234' }),
    ]);
    assert.match(stdout, /bob/);

    assert.match(
      await refusal(handle.executeUpdate('approve', { args: [{ approver: 'carol' }] })),
      /already approved by bob/,
    );
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('approved'), 1);
    assert.equal(result.approval?.state, 'approved');
    assert.equal(result.approval?.by, 'bob');
    assert.equal(result.approval?.comment, 'CHG-1234');
    assert.ok(result.approval?.at);
    assert.deepEqual(
      result.timeline.map((m) => m.phase),
      ['VALIDATING', 'PREFLIGHT', 'AWAITING_APPROVAL', 'PREFLIGHT', 'TRIGGERING', 'FAILING_OVER', 'VERIFYING'],
    );
    // Only bob's approval is in the history: the refused ones left nothing.
    assert.deepEqual(await updateEvents(handle), [
      'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
      'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED',
    ]);
    const description = await handle.describe();
    assert.equal((description.memo?.approval as ApprovalRecord | undefined)?.by, 'bob');
    const stored = lab.recorder.records.find((r) => r.workflowId === handle.workflowId);
    assert.equal(stored?.approval?.by, 'bob');
    process.stdout.write(`# approved run: ${Date.now() - started} ms, ${lab.failoverPosts('approved')} POST\n`);
  });

  it('ends NotApproved with nothing sent when rejected', async () => {
    const handle = await lab.start(forced('rejected'));
    await waitForPhase(handle, 'AWAITING_APPROVAL');
    assert.match(
      await refusal(handle.executeUpdate('reject', { args: [{ approver: 'bob', reason: '' }] })),
      /reason is required/,
    );
    const decision = await handle.executeUpdate<ApprovalRecord, [{ approver: string; reason: string }]>('reject', {
      args: [{ approver: 'bob', reason: 'not in a change window' }],
    });
    assert.equal(decision.state, 'rejected');
    const { failure, record } = await failureOf(handle, 'NotApproved');
    assert.match(
      failure.message,
      /bob rejected the forced failover of rejected \(not in a change window\): nothing was sent/,
    );
    assert.equal(record?.triggered, 'no');
    assert.equal(record?.approval?.reason, 'not in a change window');
    assert.equal(lab.failoverPosts('rejected'), 0);
  });

  it('ends NotApproved with nothing sent when nobody decides in time, and refuses a late approval', async () => {
    const handle = await lab.start(forced('expired', { deadlines: { approval: '2s' } }));
    const { failure, record } = await failureOf(handle, 'NotApproved');
    assert.match(failure.message, /nobody approved the forced failover of expired within 2s: nothing was sent/);
    assert.equal(record?.approval?.state, 'expired');
    await assert.rejects(handle.executeUpdate('approve', { args: [{ approver: 'bob' }] }));
    assert.deepEqual(await updateEvents(handle), []);
    assert.equal(lab.failoverPosts('expired'), 0);
  });

  it('ends PolicyDenied before any vCenter request', async () => {
    const handle = await lab.start(forced('denied'));
    const { failure, record } = await failureOf(handle, 'PolicyDenied');
    assert.match(failure.message, /the policy of denied denies forced failovers/);
    assert.equal(record?.triggered, 'no');
    assert.deepEqual(lab.sim.requestLog('denied'), [], 'not one request reached vCenter');
  });

  it('reads the cluster again after approval and sends nothing when it changed meanwhile', async () => {
    const handle = await lab.start(forced('changed'));
    await waitForPhase(handle, 'AWAITING_APPROVAL');
    lab.sim.cluster('changed').configure({ nodes: { witness: member('10.5.0.3', 'WITNESS', 'DOWN') } });
    await handle.executeUpdate('approve', { args: [{ approver: 'bob' }] });
    const { failure, record } = await failureOf(handle, 'PreflightRejected');
    assert.match(
      failure.message,
      /^after approval, preflight rejected the failover of changed: witness is UP \(saw DOWN\)/,
    );
    assert.deepEqual(
      record?.failedChecks?.map((c) => c.id),
      ['witness-up'],
    );
    assert.equal(lab.failoverPosts('changed'), 0);
  });
});
