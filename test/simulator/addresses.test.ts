/**
 * The addresses a cluster answers at (port-per-cluster layout): a node's failover IP after the
 * switch, the old address dark (refused or a blackhole) until a failback, and an alias that
 * reaches the same vCenter under a second loopback address.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/simulator';
import { admin, FAST_TIMING, probeConnection, VcenterCaller } from './helpers';

type ClusterInfo = { node1: { runtime: { role: string } }; node2: { runtime: { role: string } } };

describe('failover IPs and aliases (port-per-cluster)', () => {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({
      clusters: {
        fip: { nodes: { node2: { failoverIp: '127.0.0.2' } } },
        alias: { aliases: ['127.0.0.3'] },
        nat: { nodes: { node2: { failoverIp: '192.0.2.12', natAddress: '127.0.0.4' } } },
      },
      timeScale: 0.01,
      timing: FAST_TIMING,
    });
  });
  beforeEach(async () => {
    assert.equal((await admin(sim, 'POST', '/clusters/fip/reset')).status, 200);
  });
  after(() => sim.close());

  const portOf = (url: string) => Number(new URL(url).port);

  /** Fails the cluster (`fip` unless named) over through `url` and waits until it is healthy again. */
  async function failOverVia(url: string, cluster = 'fip'): Promise<void> {
    const vc = new VcenterCaller(url);
    await vc.login();
    assert.equal((await vc.failover(false)).status, 202);
    await sim.cluster(cluster).waitFor((s) => s.stage === 'idle' && s.healthState === 'HEALTHY', 10_000);
  }

  /** The cluster info read (after a login) where the cluster serves now, with node2's failover IP. */
  async function clusterWhereServed(cluster: string) {
    const moved = new VcenterCaller(sim.servingUrlFor(cluster));
    await moved.login();
    return (await moved.clusterGet(true)).body as ClusterInfo & {
      node2: { failover_ip: { ipv4: { address: string } } };
    };
  }

  it('serves at the new active node’s failover IP after the switch, the old address refused until a failback', async () => {
    const publicUrl = sim.urlFor('fip');
    const port = portOf(publicUrl);
    assert.equal(sim.servingUrlFor('fip'), publicUrl);
    assert.equal(await probeConnection(port, '127.0.0.2'), 'ECONNREFUSED');
    await failOverVia(publicUrl);
    assert.equal(sim.servingUrlFor('fip'), `http://127.0.0.2:${port}`);
    assert.equal(await probeConnection(port, '127.0.0.1'), 'ECONNREFUSED');
    const info = await clusterWhereServed('fip');
    assert.equal(info.node2.runtime.role, 'ACTIVE');
    assert.equal(info.node2.failover_ip.ipv4.address, '127.0.0.2');
    // node1 has no failover IP: failing back brings the cluster home to the public address.
    await failOverVia(sim.servingUrlFor('fip'));
    assert.equal(sim.servingUrlFor('fip'), publicUrl);
    assert.equal(await probeConnection(port, '127.0.0.2'), 'ECONNREFUSED');
    const home = new VcenterCaller(publicUrl);
    await home.login();
    assert.equal(((await home.clusterGet(true)).body as ClusterInfo).node1.runtime.role, 'ACTIVE');
    assert.equal(sim.counters('fip').failoverPosts, 2);
  });

  it('leaves the old address a blackhole when that is the knob: it accepts connections and answers nothing', async () => {
    sim.cluster('fip').configure({ faults: { oldAddress: 'blackhole' } });
    await failOverVia(sim.urlFor('fip'));
    const port = portOf(sim.urlFor('fip'));
    assert.equal(await probeConnection(port, '127.0.0.1'), 'connected');
    const silent = fetch(`${sim.urlFor('fip')}/api/session`, { method: 'POST', signal: AbortSignal.timeout(300) });
    await assert.rejects(silent, (error: Error) => error.name === 'TimeoutError');
    const moved = new VcenterCaller(sim.servingUrlFor('fip'));
    await moved.login();
    // A reset brings the cluster back to its scenario: node1 active, at the public address.
    assert.equal((await admin(sim, 'POST', '/clusters/fip/reset')).status, 200);
    assert.equal(sim.servingUrlFor('fip'), sim.urlFor('fip'));
    await new VcenterCaller(sim.urlFor('fip')).login();
  });

  it('serves a failover IP behind NAT at the NAT address, and still reports the failover IP', async () => {
    const publicUrl = sim.urlFor('nat');
    const port = portOf(publicUrl);
    await failOverVia(publicUrl, 'nat');
    assert.equal(sim.servingUrlFor('nat'), `http://127.0.0.4:${port}`);
    assert.equal(await probeConnection(port, '127.0.0.1'), 'ECONNREFUSED');
    const info = await clusterWhereServed('nat');
    assert.equal(info.node2.runtime.role, 'ACTIVE');
    assert.equal(info.node2.failover_ip.ipv4.address, '192.0.2.12');
    assert.equal((await admin(sim, 'POST', '/clusters/nat/reset')).status, 200);
    assert.equal(sim.servingUrlFor('nat'), publicUrl);
  });

  it('answers under an alias as the same vCenter: one session, one request count', async () => {
    const [aliasUrl] = sim.aliasUrlsFor('alias');
    assert.equal(aliasUrl, `http://127.0.0.3:${portOf(sim.urlFor('alias'))}`);
    const byAlias = new VcenterCaller(aliasUrl ?? '');
    const token = await byAlias.login();
    const byName = new VcenterCaller(sim.urlFor('alias'));
    byName.token = token;
    assert.equal((await byName.operations()).status, 200);
    assert.equal(sim.counters('alias').requests, 2);
    assert.throws(() => sim.cluster('alias').configure({ aliases: ['127.0.0.4'] }), /aliases: cannot be changed/);
  });
});
