/** Many clusters in one process, as the fleet benchmark runs them. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/simulator';
import { FAST_TIMING, VcenterCaller } from './helpers';

describe('a fleet of 1,000 clusters on one shared port', () => {
  let sim: Simulator;
  after(() => sim?.close());

  it('starts quickly, serves any cluster, and keeps idle clusters free of timers', async () => {
    const names = Array.from({ length: 1000 }, (_, i) => `vc-${String(i + 1).padStart(4, '0')}`);
    const started = Date.now();
    sim = await startSimulator({ layout: 'shared-port', clusters: names, timeScale: 0.01, timing: FAST_TIMING });
    assert.ok(Date.now() - started < 3_000, `start took ${Date.now() - started} ms`);

    await Promise.all(
      ['vc-0001', 'vc-0500', 'vc-1000'].map(async (name) => {
        const vc = new VcenterCaller(sim.urlFor(name));
        await vc.login();
        assert.equal((await vc.clusterGet()).status, 200);
      }),
    );
    const busy = new VcenterCaller(sim.urlFor('vc-0042'));
    await busy.login();
    assert.equal((await busy.failover(false)).status, 202);
    const withTimers = names.filter((name) => sim.cluster(name).pendingTimers > 0);
    assert.deepEqual(withTimers, ['vc-0042']);
    // HA addresses stay unique across the fleet.
    const addresses = new Set(names.map((name) => sim.cluster(name).snapshot().members.node1.haIp));
    assert.equal(addresses.size, names.length);
    await sim.cluster('vc-0042').waitFor((s) => s.stage === 'idle', 3_000);
    assert.equal(sim.cluster('vc-0042').pendingTimers, 0);
  });
});
