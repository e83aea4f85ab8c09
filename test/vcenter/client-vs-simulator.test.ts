/**
 * The vCenter client against the simulator (not a purpose-built fake): sessions across a
 * failover, each error mapped to its type, the outage's refused connections, timeouts, malformed
 * bodies and TLS verification.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/simulator';
import { selfSignedCert } from '../harness/self-signed';
import {
  VcenterApiError,
  VcenterClient,
  VcenterResponseError,
  VcenterUnreachableError,
  type VcenterClientOptions,
} from '../../src/vcenter';
import { TestClients } from './clients';

const TIMING = { taskStartMs: 100, flushMs: 300, switchOutageMs: 1_500, resyncMs: 500 };

describe('VcenterClient against the simulator', () => {
  let sim: Simulator;
  const clients = new TestClients();
  const client = (cluster: string, options: Partial<VcenterClientOptions> = {}) =>
    clients.create(sim.urlFor(cluster), sim, options);

  before(async () => {
    sim = await startSimulator({
      clusters: ['walk', 'errors', 'faults', 'clock'],
      timing: TIMING,
      users: { 'reader@vsphere.local': { password: 'Reader1!', privileges: ['System.Read'] } },
    });
  });
  after(async () => {
    await clients.closeAll();
    await sim.close();
  });

  it('logs in, follows a failover through the outage and logs in again after the old session is gone', async () => {
    const vc = client('walk', { timeouts: { connectMs: 500, headersMs: 2_000, bodyMs: 2_000 } });
    const before = await vc.getCluster();
    assert.equal(before.node1?.runtime?.role, 'ACTIVE');
    const taskId = await vc.startFailover({ planned: false });
    assert.match(taskId, /^task-\d+:com\.vmware\.vcenter\.vcha\.cluster$/);
    assert.equal(vc.loginCount, 1);

    let refused: VcenterUnreachableError | undefined;
    const deadline = Date.now() + 10_000;
    let after;
    while (Date.now() < deadline) {
      try {
        after = await vc.getCluster();
        if (after.node2?.runtime?.role === 'ACTIVE') break;
      } catch (error) {
        if (error instanceof VcenterUnreachableError) refused ??= error;
        else throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(refused, 'the outage refused connections');
    assert.equal(refused.reason, 'refused');
    assert.equal(refused.mayHaveReachedVcenter, false);
    assert.equal(after?.node2?.runtime?.role, 'ACTIVE');
    assert.equal(vc.loginCount, 2, 'the old session got 401 and the client logged in once more');

    await assert.rejects(
      vc.getTask(taskId),
      (error: unknown) => error instanceof VcenterApiError && error.status === 404,
    );
  });

  it("reads vCenter's time from the Date header; a task it then starts carries a start_time on the same clock", async () => {
    const vc = client('clock');
    const localBefore = Date.now();
    const read = await vc.getClusterTimed({ partial: true });
    const vcenterTime = read.vcenterTime?.getTime();
    assert.ok(vcenterTime !== undefined, 'the answer carries a Date header');
    assert.equal(vcenterTime % 1_000, 0, 'an HTTP-date has whole seconds');
    assert.ok(vcenterTime >= Math.floor(localBefore / 1_000) * 1_000 && vcenterTime <= Date.now());
    assert.equal(read.value.node1?.runtime?.role, 'ACTIVE');
    const taskId = await vc.startFailover({ planned: true });
    // PENDING has no start_time; RUNNING does.
    let task = await vc.getTask(taskId);
    while (task.status === 'PENDING') task = await vc.getTask(taskId);
    const started = Date.parse(task.start_time ?? '');
    assert.ok(started >= vcenterTime && started - vcenterTime < 5_000, `start_time ${started - vcenterTime} ms after`);
  });

  it('maps 403 to an error naming Global.VCServer, while a partial get works', async () => {
    const reader = client('errors', { username: 'reader@vsphere.local', password: 'Reader1!' });
    const partial = await reader.getCluster({ partial: true });
    assert.equal(partial.config_state, 'CONFIGURED');
    await assert.rejects(reader.startFailover({ planned: true }), (error: unknown) => {
      assert.ok(error instanceof VcenterApiError);
      assert.equal(error.status, 403);
      assert.equal(error.errorType, 'UNAUTHORIZED');
      assert.match(error.message, /Global\.VCServer/);
      return true;
    });
  });

  it('maps a refused failover to a 500 VcenterApiError and a wrong password to 401', async () => {
    sim.cluster('errors').configure({ mode: 'DISABLED' });
    await assert.rejects(client('errors').startFailover({ planned: true }), (error: unknown) => {
      return error instanceof VcenterApiError && error.status === 500 && error.errorType === 'ERROR';
    });
    await assert.rejects(client('errors', { password: 'wrong' }).getMode(), (error: unknown) => {
      return error instanceof VcenterApiError && error.status === 401 && error.operation === 'session.create';
    });
  });

  it('maps 503 bursts, malformed bodies and hangs to their types', async () => {
    const vc = client('faults', { timeouts: { connectMs: 500, headersMs: 700, bodyMs: 700 } });
    await vc.login();
    sim
      .cluster('faults')
      .configure({ faults: { rules: [{ operation: 'cluster.mode.get', action: 'respond', status: 503, count: 1 }] } });
    await assert.rejects(vc.getMode(), (error: unknown) => error instanceof VcenterApiError && error.status === 503);
    sim.cluster('faults').configure({
      faults: { rules: [{ operation: 'cluster.get', when: 'after', action: 'respond', body: 'html', count: 1 }] },
    });
    await assert.rejects(
      vc.getCluster(),
      (error: unknown) => error instanceof VcenterResponseError && error.operation === 'cluster.get',
    );
    sim.cluster('faults').configure({
      faults: {
        rules: [{ operation: 'operations.get', when: 'after', action: 'respond', body: 'wrong-types', count: 1 }],
      },
    });
    await assert.rejects(vc.getOperations(), (error: unknown) => error instanceof VcenterResponseError);
    sim.cluster('faults').configure({ faults: { rules: [{ operation: 'cluster.mode.get', action: 'hang' }] } });
    await assert.rejects(vc.getMode(), (error: unknown) => {
      return error instanceof VcenterUnreachableError && error.reason === 'timeout' && error.mayHaveReachedVcenter;
    });
    sim.cluster('faults').configure({ faults: { rules: [] } });
    assert.equal((await vc.getMode()).mode, 'ENABLED');
  });

  it('reports a closed port as refused, never reached', async () => {
    const gone = await startSimulator({ clusters: ['refused'] });
    const url = gone.urlFor('refused');
    await gone.close();
    const vc = clients.create(url, { username: 'u', password: 'p' });
    await assert.rejects(vc.startFailover({ planned: true }), (error: unknown) => {
      return error instanceof VcenterUnreachableError && error.reason === 'refused' && !error.mayHaveReachedVcenter;
    });
  });
});

describe('VcenterClient TLS against an HTTPS simulator', () => {
  let sim: Simulator;
  let cert: string;
  before(async () => {
    const generated = selfSignedCert();
    cert = generated.cert;
    sim = await startSimulator({ clusters: ['secure'], tls: { key: generated.key, cert } });
    generated.remove();
  });
  after(() => sim.close());

  it('refuses a self-signed vCenter by default and accepts it once its CA is configured', async () => {
    const options = { baseUrl: sim.urlFor('secure'), username: sim.username, password: sim.password };
    const untrusting = new VcenterClient(options);
    await assert.rejects(
      untrusting.getMode(),
      (error: unknown) => error instanceof VcenterUnreachableError && error.reason === 'tls',
    );
    await untrusting.close();
    const trusting = new VcenterClient({ ...options, ca: cert });
    assert.equal((await trusting.getMode()).mode, 'ENABLED');
    await trusting.close();
  });
});
