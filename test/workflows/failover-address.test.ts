/**
 * The failover IP followed, on the real dev server and the simulator: a node with a failover IP
 * serves there after the switch and the run follows it; the next run of the target finds the
 * cluster there; a per-node URL of the targets file (NAT) is followed in place of an address the
 * worker cannot reach; and with neither, the run is refused before anything is sent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureOf } from './assertions';
import { loadTargetsFile } from '../../src/config';
import { member, runFailoverWorker, startLab, ha } from '../harness/lab';
import { MemoryRecorder } from '../harness/recorder';
import { uniqueTaskQueue } from '../harness/temporal';

/** A healthy cluster 10.<n>.0.1–3 whose node2 has `node2Extra` (its failover IP, a NAT address). */
function nodesWith(n: number, node2Extra: Record<string, string>) {
  return {
    node1: member(`10.${n}.0.1`, 'ACTIVE'),
    node2: { ...member(`10.${n}.0.2`, 'PASSIVE'), ...node2Extra },
    witness: member(`10.${n}.0.3`, 'WITNESS'),
  };
}

/** An address no loopback route leads to: connecting there fails at once with ENETUNREACH. */
const UNREACHABLE = '127.255.255.255';

describe('vchaFailover with failover IPs', { concurrency: true }, async () => {
  const lab = await startLab({
    clusters: {
      moves: { nodes: nodesWith(41, { failoverIp: '127.0.0.2' }) },
      natted: { nodes: nodesWith(42, { failoverIp: UNREACHABLE, natAddress: '127.0.0.3' }) },
      unfollowable: { nodes: nodesWith(43, { failoverIp: UNREACHABLE }) },
      // Its old address is left a blackhole: a read there gets no answer at all.
      recalled: { nodes: nodesWith(44, { failoverIp: '127.0.0.5' }), faults: { oldAddress: 'blackhole' } },
    },
    // A read of an address left a blackhole gets no answer: it ends at the headers timeout.
    timeouts: { headersMs: 3_000 },
    targetNodes: (sim) => ({ natted: { [ha('10.42.0.2')]: `http://127.0.0.3:${new URL(sim.urlFor('natted')).port}` } }),
  });
  const portOf = (cluster: string) => new URL(lab.sim.urlFor(cluster)).port;
  /** Starts a planned failover of `target` (a short failover deadline: a run that cannot follow ends soon). */
  const plannedRun = (target: string) =>
    lab.start({ target, planned: true, pollInterval: '1s', deadlines: { failover: '45s' } });

  it('follows the cluster to the new active node’s failover IP, and the next run reaches it there', async () => {
    const moved = `http://127.0.0.2:${portOf('moves')}`;
    const first = await (await plannedRun('moves')).result();
    assert.equal(first.outcome, 'SUCCEEDED');
    assert.equal(first.activeAfter, ha('10.41.0.2'));
    assert.equal(first.servedAt, moved, 'the record names where vCenter answers now');
    assert.equal(lab.sim.servingUrlFor('moves'), moved);
    assert.equal(lab.failoverPosts('moves'), 1);
    assert.match(first.observations.join('\n'), /vCenter answers at http:\/\/127\.0\.0\.2:/);

    // The target's URL is dark now; the next run finds the cluster at the failover IP and fails it
    // back to node1, which has none: the cluster returns to the public address, and the run with it.
    const second = await (await plannedRun('moves')).result();
    assert.equal(second.outcome, 'SUCCEEDED');
    assert.equal(second.activeBefore, ha('10.41.0.2'));
    assert.equal(second.activeAfter, ha('10.41.0.1'));
    assert.equal(second.servedAt, lab.sim.urlFor('moves'));
    assert.equal(lab.failoverPosts('moves'), 2);
  });

  it('a worker that never saw the cluster move finds it where the last failover left it', async () => {
    const first = await (await plannedRun('recalled')).result();
    assert.equal(first.servedAt, `http://127.0.0.5:${portOf('recalled')}`);
    // Another worker process: it knows only the targets file, whose URL for the target is a blackhole
    // now (each read there ends at the 3 s headers timeout), and finds the cluster through Temporal.
    const otherQueue = uniqueTaskQueue('failover-other-worker');
    const targets = await loadTargetsFile(lab.targetsFile, { ...process.env, ...lab.targetsEnv });
    await runFailoverWorker({ taskQueue: otherQueue, targets, recorder: new MemoryRecorder() });
    const dry = await (
      await lab.start({ target: 'recalled', planned: true, dryRun: true }, undefined, otherQueue)
    ).result();
    assert.equal(dry.outcome, 'DRY_RUN_PASSED');
    assert.equal(dry.activeBefore, ha('10.44.0.2'));
    assert.equal(lab.failoverPosts('recalled'), 1);
  });

  it('follows a node to its URL in the targets file when its failover IP is out of reach (NAT)', async () => {
    const result = await (await plannedRun('natted')).result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.activeAfter, ha('10.42.0.2'));
    assert.equal(result.servedAt, `http://127.0.0.3:${portOf('natted')}`);
    assert.equal(lab.failoverPosts('natted'), 1);
  });

  it('refuses before sending when the new active node’s failover IP cannot be reached and no URL is named', async () => {
    const { record } = await failureOf(await plannedRun('unfollowable'), 'PreflightRejected');
    assert.equal(lab.failoverPosts('unfollowable'), 0);
    assert.equal(record?.triggered, 'no');
    const check = record?.failedChecks?.find((c) => c.id === 'follow-address');
    assert.ok(check, `a failed follow-address check: ${JSON.stringify(record?.failedChecks)}`);
    assert.match(check.detail, /failover IP 127\.255\.255\.255/);
    assert.match(check.detail, /ENETUNREACH/);
    assert.match(check.detail, /targets\.unfollowable\.nodes\[/);
  });
});
