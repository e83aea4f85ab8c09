/**
 * The client's readiness reads (services, the vpxd-backed datacenter list, appliance health), the
 * mode set, `failover_ip`, Envoy's 503s and a blackholed connection, against the simulator.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/simulator';
import { classifyVcenterError, isNotFound, isOutage, mayHaveReached } from '../../src/vcenter/classify';
import {
  VcenterApiError,
  VcenterUnreachableError,
  type VcenterClientOptions,
  type VcenterRequestEvent,
} from '../../src/vcenter';
import { rejection, TestClients } from './clients';

const TIMING = { taskStartMs: 100, flushMs: 300, switchOutageMs: 1_500, resyncMs: 500, modeChangeMs: 200 };

describe('VcenterClient readiness calls against the simulator', () => {
  let sim: Simulator;
  const events: VcenterRequestEvent[] = [];
  const clients = new TestClients({ onRequest: (event) => events.push(event) });
  const client = (options: Partial<VcenterClientOptions> = {}) => clients.create(sim.urlFor('r1'), sim, options);

  before(async () => {
    sim = await startSimulator({ clusters: ['r1'], timing: TIMING });
  });
  beforeEach(async () => {
    await sim.cluster('r1').reset();
    events.length = 0;
  });
  after(async () => {
    await clients.closeAll();
    await sim.close();
  });

  it('reads the services, the datacenters and the appliance health under their own operation names', async () => {
    const vc = client();
    const services = await vc.listServices();
    assert.equal(services.vpxd?.state, 'STARTED');
    assert.equal(services.vpxd?.startup_type, 'AUTOMATIC');
    assert.equal(services['vapi-endpoint']?.health, 'HEALTHY');
    assert.deepEqual(await vc.getService('trustmanagement'), services.trustmanagement);
    assert.deepEqual(await vc.listDatacenters(), [{ datacenter: 'datacenter-3', name: 'Datacenter' }]);
    assert.equal(await vc.getSystemHealth(), 'green');
    const lastCheck = await vc.getSystemHealthLastCheck();
    assert.ok(lastCheck.getTime() < Date.now());
    assert.deepEqual(
      events.map((event) => event.operation),
      ['session.create', 'services.list', 'services.get', 'datacenter.list', 'health.system', 'health.lastcheck'],
    );
    const missing = await rejection(vc.getService('no-such-service'));
    assert.ok(missing instanceof VcenterApiError);
    assert.ok(isNotFound(classifyVcenterError(missing, 'services.get')));
  });

  it('reports vpxd down while the vAPI answers as the documented 503', async () => {
    const vc = client();
    sim.cluster('r1').configure({ services: { vpxd: { state: 'STOPPED' } } });
    const error = await rejection(vc.listDatacenters());
    assert.ok(error instanceof VcenterApiError);
    assert.equal(error.status, 503);
    assert.equal(error.errorType, 'SERVICE_UNAVAILABLE');
    assert.equal((await vc.getService('vpxd')).state, 'STOPPED');
  });

  it('sets the mode through a task, reads it back, and reads failover_ip from a partial get', async () => {
    const vc = client();
    sim.cluster('r1').configure({ nodes: { node2: { failoverIp: '127.0.0.2' } } });
    const taskId = await vc.setMode('MAINTENANCE');
    assert.match(taskId, /^task-\d+:com\.vmware\.vcenter\.vcha\.cluster\.mode$/);
    await sim.cluster('r1').waitFor((s) => s.mode === 'MAINTENANCE', 3_000);
    assert.equal((await vc.getTask(taskId)).status, 'SUCCEEDED');
    assert.equal((await vc.getMode()).mode, 'MAINTENANCE');
    const info = await vc.getCluster({ partial: true });
    assert.equal(info.auto_failover_allowed, false);
    assert.equal(info.node2?.failover_ip?.ipv4?.address, '127.0.0.2');
    assert.equal(info.node1?.failover_ip, undefined);
    // The same mode again: a no-op that succeeds.
    const again = await vc.setMode('MAINTENANCE');
    await sim.cluster('r1').waitFor((s) => s.activeOperations.length === 0, 3_000);
    assert.equal((await vc.getTask(again)).status, 'SUCCEEDED');
  });

  it('classifies Envoy’s plain-text 503 as an outage answer that proves nothing, on reads and on the failover', async () => {
    const vc = client();
    sim.cluster('r1').configure({
      faults: {
        rules: [
          { operation: 'cluster.get', count: 1, action: 'respond', body: 'envoy-no-healthy-upstream' },
          { operation: 'cluster.failover', when: 'after', action: 'respond', body: 'envoy-connect-failure' },
        ],
      },
    });
    const read = await rejection(vc.getCluster());
    const readClass = classifyVcenterError(read, 'cluster.get');
    assert.equal(readClass.kind, 'gateway');
    assert.equal(readClass.kind === 'gateway' && readClass.envoy, true);
    assert.ok(isOutage(readClass));
    const post = await rejection(vc.startFailover({ planned: false }));
    const postClass = classifyVcenterError(post, 'cluster.failover');
    assert.equal(postClass.kind === 'gateway' && postClass.envoy, true);
    assert.ok(mayHaveReached(postClass), 'an Envoy 503 to the failover may have been accepted');
    assert.equal(sim.cluster('r1').lastFailover()?.outcome, 'in-progress');
    assert.equal(sim.counters('r1').failoverPosts, 1);
  });

  it('ends a request on a blackholed kept-alive connection within its overall deadline, then recovers after a reset', async () => {
    const vc = client({ timeouts: { headersMs: 30_000, bodyMs: 30_000, totalMs: 600 }, maxConnections: 1 });
    await vc.getMode();
    sim
      .cluster('r1')
      .configure({ faults: { rules: [{ operation: 'cluster.get', action: 'blackhole', blackholeMs: 1_000 }] } });
    const started = performance.now();
    const error = await rejection(vc.getCluster());
    const elapsed = performance.now() - started;
    assert.ok(error instanceof VcenterUnreachableError, String(error));
    assert.equal(error.reason, 'timeout');
    assert.equal(error.code, 'VCENTER_TOTAL_TIMEOUT');
    assert.ok(elapsed >= 550 && elapsed < 2_000, `ended after ${Math.round(elapsed)} ms`);
    const errorClass = classifyVcenterError(error, 'cluster.get');
    assert.equal(errorClass.kind, 'lost');
    assert.ok(isOutage(errorClass));
    await sim.cluster('r1').waitFor((s) => !s.blackholed, 3_000);
    await vc.resetConnections();
    assert.equal((await vc.getMode()).mode, 'ENABLED');
    assert.equal(vc.loginCount, 1, 'the session survives a connection reset');
  });

  it('rejects a non-positive overall deadline, naming it', () => {
    assert.throws(() => client({ timeouts: { totalMs: 0 } }), /timeouts\.totalMs must be a positive number/);
  });
});
