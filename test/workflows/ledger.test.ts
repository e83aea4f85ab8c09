/**
 * One failover per workflow id and per cluster, on the real dev server and the simulator: what
 * operators do in Temporal (Reset a finished run or one in its flush, a workflow retry policy,
 * Terminate, re-run a closed id) and two names of one vCenter never send a second failover POST,
 * and each run's verdict is checked against the cluster's state.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import {
  WORKFLOW_TYPES,
  ledgerAcknowledgeUpdate,
  ledgerQuery,
  type FleetFailoverWorkflow,
  type VchaFailoverWorkflow,
  type VchaMaintenanceWorkflow,
} from '../../src/contract';
import { startSimulator, type Simulator } from '../../src/simulator';
import { pollUntil } from '../harness/poll';
import { MemoryRecorder } from '../harness/recorder';
import { onTeardown, testEnv, uniqueTaskQueue } from '../harness/temporal';
import { FAST_TIMING, ledgerIdOf, runFailoverWorker, startLab, targetsFor } from '../harness/lab';
import { sweepInput } from '../sweep/sweep';
import { failureOf } from './assertions';
import { firstWorkflowTask, maintenanceUnderWay, resetTo, workflowTaskBeforeSend } from './resets';
import { waitForPhase } from './wait';

const planned = (target: string, extra: Record<string, unknown> = {}) => ({
  target,
  planned: true,
  pollInterval: '1s',
  reason: 'ledger case',
  requestedBy: 'alice',
  ...extra,
});

let sequence = 0;
const newId = (name: string) => `ledger-${name}-${process.pid}-${++sequence}-${Date.now()}`;

/** The id of the run a handle started (its first run). */
const runIdOf = async (handle: WorkflowHandle) => (await handle.describe()).runId;

/** Which node the simulated cluster has ACTIVE now. */
const activeNode = (sim: Simulator, cluster: string) => sim.cluster(cluster).snapshot().activeNode;

/** Resolves once the simulated cluster is idle with `node` ACTIVE (a failover ran to its end). */
const settledOn = (sim: Simulator, cluster: string, node: 'node1' | 'node2') =>
  pollUntil(
    () => sim.cluster(cluster).snapshot(),
    (view) => view.stage === 'idle' && view.activeNode === node && view.healthState === 'HEALTHY',
    60_000,
    200,
    `${cluster} idle with ${node} ACTIVE`,
  );

describe('one failover per workflow id and per cluster', { concurrency: true }, async () => {
  const lab = await startLab({
    clusters: {
      resetDone: {},
      resetFlush: { timing: { flushMs: 8_000 } },
      resetHidden: { timing: { flushMs: 8_000 }, faults: { hideRunningFailover: true } },
      retried: { timing: { flushMs: 3_000, switchOutageMs: 12_000 } },
      awaitingApproval: {},
      terminatedClaim: { timing: { flushMs: 20_000 } },
      lostPost: { faults: { rules: [{ operation: 'cluster.failover', action: 'reset' }] } },
      rerun: {},
      maintenance: {},
    },
    targetPolicies: { awaitingApproval: { planned: 'approval' } },
  });
  const { client } = await testEnv();
  const runOf = (workflowId: string, runId: string) =>
    client.workflow.getHandle<VchaFailoverWorkflow>(workflowId, runId);

  it('case 1: a SUCCEEDED run reset to its first workflow task ends AlreadySent: 1 POST, failed over once', async () => {
    const handle = await lab.start(planned('resetDone'), newId('reset-done'));
    const first = await handle.result();
    assert.equal(first.outcome, 'SUCCEEDED');
    assert.equal(activeNode(lab.sim, 'resetDone'), 'node2');
    const firstRunId = await runIdOf(handle);

    const resetRunId = await resetTo(handle, firstRunId, await firstWorkflowTask(handle));
    const { failure } = await failureOf(runOf(handle.workflowId, resetRunId), 'AlreadySent');
    assert.match(
      failure.message,
      new RegExp(
        `this workflow id already sent the failover of resetDone at \\S+ \\(run ${firstRunId}\\); its outcome: SUCCEEDED: .*this run sent nothing; use a new workflow id`,
      ),
    );
    assert.equal(lab.failoverPosts('resetDone'), 1);
    assert.equal(lab.sim.counters('resetDone').failoversStarted, 1);
    assert.equal(activeNode(lab.sim, 'resetDone'), 'node2', 'the cluster failed over once and stayed');
  });

  for (const [name, hidden] of [
    ['resetFlush', false],
    ['resetHidden', true],
  ] as const) {
    it(`case 2: a run reset to the workflow task before the send, during the flush${hidden ? ' vCenter hides' : ''}, follows the earlier request: 1 POST, SUCCEEDED`, async () => {
      // The hidden flush shows no sign for 8 s: the window for a sign must be longer.
      const input = hidden ? sweepInput(name, 'planned', '60s', '90s') : planned(name);
      const handle = await lab.start(input, newId(name));
      const firstRunId = await runIdOf(handle);
      await waitForPhase(handle, 'FAILING_OVER');
      assert.ok(['starting', 'flushing'].includes(lab.sim.cluster(name).stage), 'reset before the switch');
      if (hidden) assert.deepEqual(lab.sim.cluster(name).snapshot().activeOperations, []);

      const resetRunId = await resetTo(handle, firstRunId, await workflowTaskBeforeSend(handle));
      const result = await runOf(handle.workflowId, resetRunId).result();
      assert.equal(lab.failoverPosts(name), 1);
      assert.equal(result.outcome, 'SUCCEEDED');
      assert.doesNotMatch(result.message, /nothing was sent/);
      assert.match(result.message, new RegExp(`claimed at \\S+ by run ${firstRunId} of this workflow id`));
      assert.ok(
        result.observations.some((line) => /already claimed the failover .* not sending again; following/.test(line)),
      );
      assert.equal(result.activeAfter, result.before?.passiveNode);
      await settledOn(lab.sim, name, 'node2');
      assert.equal(lab.failoverPosts(name), 1);
      assert.equal(lab.sim.counters(name).failoversStarted, 1);
    });
  }

  it('case 3: a workflow retry after a run timeout mid-outage follows the request instead of sending: 1 POST', async () => {
    const handle = await client.workflow.start<VchaFailoverWorkflow>(WORKFLOW_TYPES.failover, {
      taskQueue: lab.taskQueue,
      workflowId: newId('retried'),
      // Each run has the same 12 s: the retry must finish within it after the switch, so its
      // stability period is short and its readiness gate reads vpxd only (one request).
      args: [
        planned('retried', { deadlines: { stable: '1s' }, readiness: { services: false, applianceHealth: false } }),
      ],
      workflowRunTimeout: '12s',
      retry: { maximumAttempts: 3, initialInterval: '1s' },
    });
    const ended = await handle.result().catch((error: unknown) => error);
    assert.equal(lab.failoverPosts('retried'), 1);
    assert.ok(!(ended instanceof Error), `the retry ended with ${String(ended)}: ${String((ended as Error).cause)}`);
    const result = ended as Awaited<ReturnType<typeof handle.result>>;
    const firstRun = await runOf(handle.workflowId, handle.firstExecutionRunId).describe();
    assert.equal(firstRun.status.name, 'TIMED_OUT', 'the first run timed out (mid-outage) and Temporal retried');
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.match(result.message, /this run sent nothing/);
    // The retry read the cluster after the switch: node2, the node that was PASSIVE, is ACTIVE.
    assert.equal(result.activeAfter, lab.sim.cluster('retried').snapshot().members.node2.haIp);
    assert.equal(lab.failoverPosts('retried'), 1);
    assert.equal(activeNode(lab.sim, 'retried'), 'node2');
  });

  it('case 6: a run terminated while awaiting approval leaves the lock to the next run: SUCCEEDED, 1 POST', async () => {
    const waiting = await lab.start(planned('awaitingApproval'), newId('terminated-waiting'));
    await waitForPhase(waiting, 'AWAITING_APPROVAL');
    await waiting.terminate('changed my mind');

    const next = await lab.start(planned('awaitingApproval'), newId('after-terminate'));
    await waitForPhase(next, 'AWAITING_APPROVAL');
    await next.executeUpdate('approve', { args: [{ approver: 'bob', comment: 'CHG-21' }] });
    const result = await next.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('awaitingApproval'), 1);
    assert.equal(activeNode(lab.sim, 'awaitingApproval'), 'node2');
  });

  it('case 6: a run terminated after its claim leaves it unresolved until the cluster shows the switch', async () => {
    const name = 'terminatedClaim';
    const claimed = await lab.start(planned(name), newId('terminated-claim'));
    await waitForPhase(claimed, 'FAILING_OVER');
    const claimedRunId = await runIdOf(claimed);
    await claimed.terminate('terminated during the flush');
    assert.equal(lab.failoverPosts(name), 1);

    const refused = await lab.start(planned(name), newId('while-unresolved'));
    const { failure } = await failureOf(refused, 'UnresolvedFailover');
    assert.match(
      failure.message,
      new RegExp(`requested by ${claimed.workflowId} \\(run ${claimedRunId}, as ${name}\\)`),
    );
    assert.match(failure.message, /nothing was sent/);
    assert.equal(lab.failoverPosts(name), 1, 'the refused run sent nothing');

    // The terminated run's request switched the cluster: the next run sees that, settles it and proceeds.
    await settledOn(lab.sim, name, 'node2');
    const next = await lab.start(planned(name), newId('after-switch'));
    const result = await next.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.activeBefore, lab.sim.cluster(name).snapshot().members.node2.haIp);
    assert.equal(lab.failoverPosts(name), 2);
    assert.equal(activeNode(lab.sim, name), 'node1');
    const ledger = await client.workflow.getHandle(ledgerIdOf(lab.sim, name)).query(ledgerQuery);
    const entry = ledger.entries.find((candidate) => candidate.workflowId === claimed.workflowId);
    assert.equal(entry?.settled?.by, 'cluster-state');
    assert.match(entry?.settled?.detail ?? '', new RegExp(`read by ${next.workflowId}`));
  });

  it('case 6: an unresolved request the cluster never shows is refused until a person acknowledges it', async () => {
    const name = 'lostPost';
    const lost = await lab.start(planned(name), newId('lost-post'));
    await waitForPhase(lost, 'FAILING_OVER');
    await lost.terminate('terminated while following');
    assert.equal(lab.failoverPosts(name), 1);
    const ledger = client.workflow.getHandle(ledgerIdOf(lab.sim, name));

    const refused = await lab.start(planned(name), newId('unresolved'));
    const { failure } = await failureOf(refused, 'UnresolvedFailover');
    assert.match(failure.message, new RegExp(`requested by ${lost.workflowId} `));
    assert.match(failure.message, new RegExp(`vcha-failover acknowledge ${lost.workflowId} --cluster `));
    assert.equal(lab.failoverPosts(name), 1);

    const settled = await ledger.executeUpdate(ledgerAcknowledgeUpdate, {
      args: [
        {
          workflowId: lost.workflowId,
          person: 'bob',
          reason: 'vCenter tasks show no failover',
          at: new Date().toISOString(),
        },
      ],
    });
    assert.equal(settled.settled?.person, 'bob');
    lab.sim.cluster(name).configure({ faults: { rules: [] } });
    const result = await (await lab.start(planned(name), newId('acknowledged'))).result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts(name), 2);
    assert.equal(activeNode(lab.sim, name), 'node2');
  });

  it('case 6: a new run of a closed workflow id ends AlreadySent with no new POST', async () => {
    const workflowId = newId('rerun');
    const first = await lab.start(planned('rerun'), workflowId);
    assert.equal((await first.result()).outcome, 'SUCCEEDED');
    const firstRunId = await runIdOf(first);
    const again = await lab.start(planned('rerun'), workflowId);
    const { failure } = await failureOf(again, 'AlreadySent');
    assert.match(failure.message, new RegExp(`\\(run ${firstRunId}\\); its outcome: SUCCEEDED`));
    assert.equal(lab.failoverPosts('rerun'), 1);
    assert.equal(activeNode(lab.sim, 'rerun'), 'node2');
  });

  it('a maintenance run reset while IN_MAINTENANCE sends no second POST of its first leg', async () => {
    const handle = await maintenanceUnderWay(lab.taskQueue, 'maintenance', newId('maintenance-maintenance'));
    assert.equal(lab.failoverPosts('maintenance'), 1);

    const resetRunId = await resetTo(handle, handle.firstExecutionRunId, await firstWorkflowTask(handle));
    // The reset run takes the cluster over from the run it replaced; its first leg (same child
    // workflow id) finds that id already sent and ends AlreadySent, so the maintenance ends there,
    // saying the cluster was left on the node the first run's leg made ACTIVE.
    const reset = client.workflow.getHandle<VchaMaintenanceWorkflow>(handle.workflowId, resetRunId);
    const { failure } = await failureOf(reset as never, 'AlreadySent');
    assert.match(failure.message, /the failover before maintenance ended AlreadySent: this workflow id already sent/);
    assert.equal(lab.failoverPosts('maintenance'), 1);
    assert.equal(activeNode(lab.sim, 'maintenance'), 'node2');
  });

  it('case 4: two names of one cluster (a second loopback address) serialise on the cluster', async (t) => {
    // One cluster at two loopback addresses (a DNS name and its IP address, say): the targets file
    // names both. The flush is long enough for two runs started together to meet.
    const sim = await startSimulator({
      clusters: { pair: { aliases: ['127.0.21.2'], timing: { flushMs: 6_000 } } },
      timing: FAST_TIMING,
    });
    onTeardown(() => sim.close());
    const alias = 'pair-ip';
    const targets = await targetsFor(sim, {
      extraTargets: {
        [alias]: { url: sim.aliasUrlsFor('pair')[0], username: sim.username, passwordEnv: 'VCHA_LAB_PASSWORD' },
      },
    });
    const taskQueue = uniqueTaskQueue('alias');
    await runFailoverWorker({ taskQueue, targets: targets.registry, recorder: new MemoryRecorder() });
    const start = (target: string) =>
      client.workflow.start<VchaFailoverWorkflow>(WORKFLOW_TYPES.failover, {
        taskQueue,
        workflowId: newId(`alias-${target}`),
        args: [planned(target)],
      });
    const posts = () => sim.counters('pair').failoverPosts;

    await t.test(
      'a failover of one name while a maintenance of the other is IN_MAINTENANCE ends TargetBusy',
      async () => {
        const maintenance = await maintenanceUnderWay(taskQueue, 'pair', newId('maintenance-pair'));
        assert.equal(posts(), 1);
        const { failure } = await failureOf(await start(alias), 'TargetBusy');
        assert.match(
          failure.message,
          new RegExp(
            `target ${alias} is busy: run ${maintenance.workflowId} .* is holding it for maintenance \\(as pair, another name of the same cluster\\)`,
          ),
        );
        assert.equal(posts(), 1, 'the busy run sent nothing');
        assert.equal(
          sim.cluster('pair').snapshot().activeNode,
          'node2',
          'still on the node the maintenance made ACTIVE',
        );
        await maintenance.executeUpdate('maintenanceDone', { args: [{ by: 'bob' }] });
        assert.equal((await maintenance.result()).outcome, 'SUCCEEDED');
        assert.equal(posts(), 2);
        await settledOn(sim, 'pair', 'node1');
      },
    );

    await t.test('two runs of the two names started together: one is busy, one POST', async () => {
      const before = posts();
      const runs = await Promise.all([start('pair'), start(alias)]);
      const ends = await Promise.all(
        runs.map((handle) =>
          handle.result().then(
            (result) => [result.outcome, result.message],
            (error: { cause?: { type?: string; message?: string } }) => [error.cause?.type, error.cause?.message],
          ),
        ),
      );
      assert.deepEqual(ends.map(([outcome]) => outcome).sort(), ['SUCCEEDED', 'TargetBusy']);
      const [, busy] = ends.find(([outcome]) => outcome === 'TargetBusy')!;
      // The busy one names the other run, reached by the other name of the same cluster.
      assert.match(busy ?? '', /is failing it over \(as (pair|pair-ip), another name of the same cluster\)/);
      assert.equal(posts() - before, 1);
      await settledOn(sim, 'pair', 'node2');
    });

    await t.test(
      'a fleet over "all" (both names) sends one failover; the second child is refused once per fleet',
      async () => {
        const before = posts();
        const activeBefore = sim.cluster('pair').snapshot().activeNode;
        const fleet = await client.workflow.start<FleetFailoverWorkflow>(WORKFLOW_TYPES.fleet, {
          taskQueue,
          workflowId: newId('alias-fleet'),
          args: [{ targets: 'all', planned: true, pollInterval: '1s', stopOnFailure: false }],
        });
        const result = await fleet.result();
        const sent = result.outcomes.find((o) => o.outcome === 'SUCCEEDED');
        const refused = result.outcomes.find((o) => o.outcome !== 'SUCCEEDED');
        assert.ok(sent && refused, `one child sent, one was refused: ${JSON.stringify(result.outcomes)}`);
        assert.deepEqual([sent.target, refused.target].sort(), ['pair', alias]);
        assert.equal(refused.outcome, 'PreflightRejected');
        assert.match(
          refused.message ?? '',
          new RegExp(
            `fleet ${fleet.workflowId} already sent a failover to this cluster as ${sent.target} .*nothing was sent`,
          ),
        );
        assert.equal(posts() - before, 1);
        assert.notEqual(sim.cluster('pair').snapshot().activeNode, activeBefore, 'failed over once, not back');
      },
    );
  });
});
