/**
 * The new active node's vCenter services, the vpxd-backed datacenter read and the appliance
 * health, before and after a switch, checked against VMware's swagger.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/simulator';
import { FAST_TIMING, pollUntil, VcenterCaller } from './helpers';

type ServiceInfo = { startup_type: string; state: string; health?: string; health_messages?: unknown[] };

describe('services, datacenter and appliance health (shared port)', () => {
  let sim: Simulator;
  let startedAt: number;

  before(async () => {
    startedAt = Date.now();
    sim = await startSimulator({
      layout: 'shared-port',
      clusters: { steady: {}, late: {}, stuck: {}, knob: {} },
      timeScale: 0.01,
      timing: FAST_TIMING,
    });
  });
  after(() => sim.close());

  async function caller(name: string): Promise<VcenterCaller> {
    const vc = new VcenterCaller(sim.urlFor(name));
    await vc.login();
    return vc;
  }

  it('lists a running node: AUTOMATIC services STARTED with health, the others STOPPED without', async () => {
    const vc = await caller('steady');
    const list = await vc.call('GET', '/api/vcenter/services');
    assert.equal(list.status, 200);
    const services = list.body as Record<string, ServiceInfo>;
    for (const id of ['vpxd', 'vapi-endpoint', 'vsphere-ui', 'content-library', 'trustmanagement', 'eam', 'sps']) {
      assert.equal(services[id]?.startup_type, 'AUTOMATIC', id);
      assert.equal(services[id]?.state, 'STARTED', id);
      assert.equal(services[id]?.health, 'HEALTHY', id);
    }
    assert.equal(services.imagebuilder?.startup_type, 'MANUAL');
    assert.equal(services.imagebuilder?.state, 'STOPPED');
    assert.equal(services.imagebuilder?.health, undefined);
    const one = await vc.call('GET', '/api/vcenter/services/vpxd');
    assert.deepEqual(one.body, services.vpxd);
    const missing = await vc.call('GET', '/api/vcenter/services/no-such-service');
    assert.equal(missing.status, 404);
    assert.equal((missing.body as { error_type: string }).error_type, 'NOT_FOUND');
  });

  it('answers the datacenter list while vpxd runs, and the appliance health of a check made before the start', async () => {
    const vc = await caller('steady');
    const datacenters = await vc.call('GET', '/api/vcenter/datacenter');
    assert.equal(datacenters.status, 200);
    assert.deepEqual(datacenters.body, [{ datacenter: 'datacenter-3', name: 'Datacenter' }]);
    assert.equal((await vc.call('GET', '/api/appliance/health/system')).body, 'green');
    const lastCheck = Date.parse((await vc.call('GET', '/api/appliance/health/system/lastcheck')).body as string);
    assert.ok(lastCheck < startedAt, 'the last check ran before the simulator started');
  });

  it('after a switch starts the services one by one and checks the appliance health only later', async () => {
    const vc = await caller('late');
    assert.equal((await vc.failover(false)).status, 202);
    await sim.cluster('late').waitFor((s) => s.apiAvailable && s.stage === 'resyncing', 5_000);
    const switchedAt = sim.cluster('late').lastFailover()?.switchStartedAt ?? 0;
    await vc.login();
    const first = (await vc.call('GET', '/api/vcenter/services')).body as Record<string, ServiceInfo>;
    assert.equal(first['vapi-endpoint']?.state, 'STARTED');
    assert.notEqual(first['vsphere-ui']?.state, 'STARTED');
    assert.equal(first['vsphere-ui']?.health, undefined, 'no health before STARTED');
    // "green from before the switch": the old check's time.
    const early = Date.parse((await vc.call('GET', '/api/appliance/health/system/lastcheck')).body as string);
    assert.ok(early < switchedAt);
    const seen = new Set<string>();
    const started = await pollUntil(
      async () => {
        const body = (await vc.call('GET', '/api/vcenter/services')).body as Record<string, ServiceInfo>;
        const starting = Object.entries(body).filter(([, info]) => info.state === 'STARTING');
        assert.ok(starting.length <= 1, `one at a time: ${starting.map(([id]) => id).join(', ')}`);
        for (const [id] of starting) seen.add(id);
        return body;
      },
      (body) => Object.values(body).every((info) => info.startup_type !== 'AUTOMATIC' || info.state === 'STARTED'),
      5_000,
      5,
    );
    const sawStartedAt = Date.now();
    assert.equal(started['vsphere-ui']?.health, 'HEALTHY');
    assert.ok(seen.size >= 2, `seen starting: ${[...seen].join(', ')}`);
    // The timeline says when the last service started: after the API was back, before a client saw it.
    const { apiBackAt = Infinity, servicesStartedAt = NaN } = sim.cluster('late').lastFailover() ?? {};
    assert.ok(apiBackAt < servicesStartedAt && servicesStartedAt <= sawStartedAt, `${apiBackAt} ${servicesStartedAt}`);
    const checked = await pollUntil(
      async () => Date.parse((await vc.call('GET', '/api/appliance/health/system/lastcheck')).body as string),
      (time) => time > switchedAt,
      5_000,
    );
    assert.ok(checked > switchedAt);
    assert.equal((await vc.call('GET', '/api/appliance/health/system')).body, 'green');
    // Ready, by the simulator's own state, once both happened: the later of the two.
    const timeline = sim.cluster('late').lastFailover();
    assert.equal(timeline?.healthCheckedAt, checked);
    assert.equal(timeline?.readyAt, Math.max(servicesStartedAt, checked));
    // The checks are periodic: a later one follows the first.
    const again = await pollUntil(
      async () => Date.parse((await vc.call('GET', '/api/appliance/health/system/lastcheck')).body as string),
      (time) => time > checked,
      5_000,
    );
    assert.ok(again > checked);
  });

  it('leaves a service stuck STARTING and vpxd STOPPED when the fault says so: the datacenter read answers 503', async () => {
    const cluster = sim.cluster('stuck');
    cluster.configure({
      applianceHealth: 'yellow',
      faults: { servicesAfterSwitch: { vpxd: 'STOPPED', trustmanagement: 'STARTING' } },
    });
    const vc = await caller('stuck');
    assert.equal((await vc.failover(false)).status, 202);
    await cluster.waitFor(
      (s) => s.apiAvailable && s.services['vsphere-ui'] === 'STARTED' && s.services.vpxd === 'STOPPED',
      5_000,
    );
    await vc.login();
    const trust = (await vc.call('GET', '/api/vcenter/services/trustmanagement')).body as ServiceInfo;
    assert.equal(trust.state, 'STARTING');
    assert.equal(trust.health, undefined);
    const datacenters = await vc.call('GET', '/api/vcenter/datacenter');
    assert.equal(datacenters.status, 503);
    assert.equal((datacenters.body as { error_type: string }).error_type, 'SERVICE_UNAVAILABLE');
    await cluster.waitFor((s) => s.applianceHealth.color === 'yellow', 5_000);
    assert.equal((await vc.call('GET', '/api/appliance/health/system')).body, 'yellow');
    // Checked, but never ready: a service is stuck and vpxd is down.
    const timeline = await pollUntil(
      () => Promise.resolve(cluster.lastFailover()),
      (entry) => entry?.healthCheckedAt !== undefined,
      5_000,
    );
    assert.equal(timeline?.servicesStartedAt, undefined);
    assert.equal(timeline?.readyAt, undefined);
  });

  it('takes vpxd down while the vAPI answers, and back, through the services knob', async () => {
    const vc = await caller('knob');
    sim.cluster('knob').configure({ services: { vpxd: { state: 'STOPPED' } } });
    assert.equal((await vc.call('GET', '/api/vcenter/datacenter')).status, 503);
    assert.equal(((await vc.call('GET', '/api/vcenter/services/vpxd')).body as ServiceInfo).state, 'STOPPED');
    sim.cluster('knob').configure({ services: { vpxd: { state: 'STARTED', health: 'DEGRADED' } } });
    assert.equal((await vc.call('GET', '/api/vcenter/datacenter')).status, 200);
    const vpxd = (await vc.call('GET', '/api/vcenter/services/vpxd')).body as ServiceInfo;
    assert.equal(vpxd.health, 'DEGRADED');
    assert.equal(vpxd.health_messages?.length, 1);
  });

  it('rejects an unknown service in a scenario change, naming it', () => {
    assert.throws(
      () => sim.cluster('knob').configure({ services: { 'no-such': { state: 'STOPPED' } } } as never),
      /services: Unrecognized key: "no-such"/,
    );
  });
});
