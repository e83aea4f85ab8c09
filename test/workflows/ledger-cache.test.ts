/**
 * The ledgers' worker keeps only `ledgerMaxCachedWorkflows` ledgers in memory: a ledger evicted
 * between two failovers of its cluster is replayed from its history at its next Update, and
 * forgets nothing (on the real dev server and the simulator).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTargetsFile } from '../../src/config';
import { ledgerQuery } from '../../src/contract';
import { pollUntil } from '../harness/poll';
import { testEnv } from '../harness/temporal';
import { ledgerIdOf, runFailoverWorker, startLab } from '../harness/lab';
import { failureOf } from './assertions';

const planned = (target: string) => ({
  target,
  planned: true,
  pollInterval: '1s',
  deadlines: { stable: '2s' },
  reason: 'ledger cache case',
  requestedBy: 'alice',
});

describe('the ledgers kept in memory', async () => {
  const lab = await startLab({ clusters: { first: {}, second: {}, third: {} }, runWorker: false });
  const failoverWorker = await runFailoverWorker({
    taskQueue: lab.taskQueue,
    targets: await loadTargetsFile(lab.targetsFile, { ...process.env, ...lab.targetsEnv }),
    recorder: lab.recorder,
    ledgerMaxCachedWorkflows: 2,
  });
  const { client } = await testEnv();

  it('replays an evicted ledger at its next Update: the next run of its cluster sends once, a re-run of a sent id sends nothing', async () => {
    const stamp = `${process.pid}-${Date.now()}`;
    const firstId = `ledger-cache-first-${stamp}`;
    assert.equal((await (await lab.start(planned('first'), firstId)).result()).outcome, 'SUCCEEDED');
    // Two other clusters' ledgers take the two places in the cache (the SDK's smallest).
    const others = await Promise.all(['second', 'third'].map((name) => lab.start(planned(name))));
    for (const other of others) assert.equal((await other.result()).outcome, 'SUCCEEDED');
    // Three ledgers, two cached: one was evicted (the least recently used, the first cluster's).
    // Eviction completes after the task that caused it.
    await pollUntil(
      () => Promise.resolve(failoverWorker.ledgerWorker.getStatus().numCachedWorkflows),
      (cached) => cached <= 2,
      10_000,
      100,
      'at most two ledgers cached',
    );

    // The first cluster's ledger, replayed: a new run fails it back, once.
    const again = await lab.start(planned('first'));
    assert.equal((await again.result()).outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('first'), 2);
    // The first run's id is still known as sent: a new run of it sends nothing.
    const rerun = await lab.start(planned('first'), firstId);
    await failureOf(rerun, 'AlreadySent');
    assert.equal(lab.failoverPosts('first'), 2);

    const ledger = client.workflow.getHandle(ledgerIdOf(lab.sim, 'first'));
    const state = await ledger.query(ledgerQuery);
    assert.deepEqual(
      state.entries.map((entry) => [entry.workflowId === firstId, entry.state, entry.outcome]),
      [
        [true, 'ended', 'SUCCEEDED'],
        [false, 'ended', 'SUCCEEDED'],
      ],
    );
  });
});
