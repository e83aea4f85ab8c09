/**
 * The failover request at most once, and outcomes that never lie, in the two cases that once broke
 * both (a proxy's 502 after vCenter accepted the failover; the worker killed while the POST was in
 * flight on a vCenter that shows nothing of the running failover), vCenter's own 500 after it
 * started a failover it does not show yet (within the no-sign window, and for longer than it), and
 * a request that never arrived on a cluster that never changes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pollUntil } from '../harness/poll';
import { onTeardown, uniqueTaskQueue } from '../harness/temporal';
import { SWEEP_CLIENT_TIMEOUTS, vcenter500After } from '../sweep/faults';
import { sweepInput } from '../sweep/sweep';
import { failureOf } from './assertions';
import { startLab } from '../harness/lab';
import { spawnWorker, type WorkerProcess } from './worker-process';

/** The hidden cases' switch comes after the 25 s flush and the outage: a deadline with room for both. */
const HIDDEN_FAILOVER_DEADLINE = '90s';

describe('the failover request, at most once', { concurrency: true }, async () => {
  const lab = await startLab({
    clusters: {
      // A reverse proxy answers an HTML 502 once vCenter has accepted the failover.
      proxied: {
        faults: {
          rules: [{ operation: 'cluster.failover', when: 'after', action: 'respond', status: 502, body: 'html' }],
        },
      },
      // A vCenter that shows nothing of a running failover while it flushes (25 s): no active
      // operation, no listed task, the roles unchanged. The POST is held unanswered after it took effect.
      hidden: {
        timing: { flushMs: 25_000 },
        faults: {
          hideRunningFailover: true,
          rules: [{ operation: 'cluster.failover', when: 'after', action: 'hang' }],
        },
      },
      // vCenter starts the failover, then answers its own 500 ERROR, and shows nothing while it flushes.
      hidden500: {
        timing: { flushMs: 25_000 },
        faults: {
          hideRunningFailover: true,
          rules: [vcenter500After({ operation: 'cluster.failover' })],
        },
      },
      // The same, but vCenter hides the running failover for longer than the no-sign window (8 s).
      hidden500Long: {
        timing: { flushMs: 25_000 },
        faults: {
          hideRunningFailover: 25_000,
          rules: [vcenter500After({ operation: 'cluster.failover' })],
        },
      },
      // The POST is lost before vCenter sees it: nothing will ever change.
      unchanged: { faults: { rules: [{ operation: 'cluster.failover', action: 'reset' }] } },
    },
    timeouts: SWEEP_CLIENT_TIMEOUTS,
  });

  it("ends SUCCEEDED with one POST when a proxy's 502 follows vCenter's acceptance", async () => {
    const result = await (await lab.start(sweepInput('proxied', 'planned'))).result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.activeAfter, result.before?.passiveNode);
    assert.equal(result.triggered, 'unknown');
    assert.match(result.observations.join('\n'), /may have reached vCenter .*HTTP 502.*not re-sending/);
    assert.equal(lab.failoverPosts('proxied'), 1);
    assert.equal(lab.sim.counters('proxied').failoversStarted, 1);
  });

  it('ends with exactly one POST, SUCCEEDED once the cluster switches, when the worker dies during the POST and nothing shows', async () => {
    const taskQueue = uniqueTaskQueue('hidden');
    const workers: WorkerProcess[] = [];
    onTeardown(async () => {
      for (const worker of workers) await worker.kill('SIGKILL');
    });
    const spawn = async () => {
      const worker = await spawnWorker({ taskQueue, targetsFile: lab.targetsFile, env: lab.targetsEnv });
      workers.push(worker);
      await worker.ready;
      return worker;
    };
    const first = await spawn();
    const handle = await lab.start(
      sweepInput('hidden', 'planned', '60s', HIDDEN_FAILOVER_DEADLINE),
      `hidden-${Date.now()}`,
      taskQueue,
    );
    await pollUntil(
      () => lab.sim.counters('hidden').hangs,
      (held) => held === 1,
      60_000,
      20,
      'the POST in flight',
    );
    await first.kill('SIGKILL');
    await spawn();
    // While it flushes, the cluster shows nothing of the failover a new worker must not send again.
    assert.equal(lab.sim.cluster('hidden').stage, 'flushing');
    assert.deepEqual(lab.sim.cluster('hidden').snapshot().activeOperations, []);
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.activeAfter, result.before?.passiveNode);
    assert.equal(result.triggered, 'unknown');
    assert.equal(lab.failoverPosts('hidden'), 1);
    assert.equal(lab.sim.counters('hidden').failoversStarted, 1);
  });

  it("ends SUCCEEDED, not FailoverFailed, when vCenter's 500 came after a failover it does not show yet", async () => {
    const result = await (
      await lab.start(sweepInput('hidden500', 'planned', '60s', HIDDEN_FAILOVER_DEADLINE))
    ).result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.activeAfter, result.before?.passiveNode);
    assert.equal(result.triggered, 'unknown');
    assert.match(
      result.observations.join('\n'),
      /HTTP 500.* is unchanged .*watching for a failover before calling it refused/,
    );
    assert.equal(lab.failoverPosts('hidden500'), 1);
    assert.equal(lab.sim.counters('hidden500').failoversStarted, 1);
  });

  it("ends FailoverOutcomeUnknown, never FailoverFailed, when vCenter's 500 came after a failover it hides for longer than the window", async () => {
    const { failure, record } = await failureOf(
      await lab.start(sweepInput('hidden500Long', 'planned', '8s', HIDDEN_FAILOVER_DEADLINE)),
      'FailoverOutcomeUnknown',
    );
    assert.match(
      failure.message,
      /HTTP 500 ERROR.*; this error does not prove vCenter refused before starting, and for 8s hidden500Long then showed no sign of a failover and is unchanged \(10\.\S+ still ACTIVE.*\), but vCenter may hide a running failover/,
    );
    assert.equal(record?.triggered, 'unknown');
    assert.equal(lab.failoverPosts('hidden500Long'), 1);
    // The verdict is true of what follows: the hidden failover goes on and switches the cluster.
    assert.equal(lab.sim.cluster('hidden500Long').snapshot().activeNode, 'node1', 'unchanged when the run ended');
    await lab.sim.cluster('hidden500Long').waitFor((state) => state.activeNode === 'node2', 90_000);
    assert.equal(lab.sim.counters('hidden500Long').failoversStarted, 1);
    assert.equal(lab.failoverPosts('hidden500Long'), 1, 'still exactly one POST');
  });

  it('ends FailoverOutcomeUnknown within the window, saying the cluster is unchanged, when the request never arrived', async () => {
    const started = Date.now();
    const { failure, record } = await failureOf(
      await lab.start(sweepInput('unchanged', 'planned', '10s')),
      'FailoverOutcomeUnknown',
    );
    const elapsed = Date.now() - started;
    assert.match(
      failure.message,
      /may not have arrived: its answer proved nothing \(.*reset.*\), and for 10s unchanged showed no sign of a failover and is unchanged \(10\.\S+ still ACTIVE, no failover in operations\.active or vCenter's tasks\); check the cluster and vCenter's tasks before re-running/,
    );
    assert.ok(elapsed < 25_000, `ended ${elapsed} ms after the start: the window (10 s), not the failover deadline`);
    assert.equal(record?.triggered, 'unknown');
    assert.ok(
      record?.observations.some((line) => /the cluster is unchanged .*no sign of a failover for 10 s/.test(line)),
    );
    assert.equal(lab.failoverPosts('unchanged'), 1, 'the one POST reached the API and was dropped there');
    assert.equal(lab.sim.counters('unchanged').failoversStarted, 0);
  });
});
