/** Logins, sessions and privileges of the simulated vCenter. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/simulator';
import { admin, type AdminError, VcenterCaller } from './helpers';

type ErrorBody = { error_type: string; messages: { default_message: string; args: string[] }[] };

describe('authentication and privileges', () => {
  let sim: Simulator;
  let vc: VcenterCaller;

  before(async () => {
    sim = await startSimulator({
      clusters: ['vc'],
      users: { 'reader@vsphere.local': { password: 'Reader1!', privileges: ['System.Read'] } },
      timeScale: 0.01,
    });
    vc = new VcenterCaller(sim.urlFor('vc'));
  });
  after(() => sim.close());

  it('refuses a login with a wrong password or without credentials (401)', async () => {
    const wrong = await vc.call('POST', '/api/session', {
      basic: { username: 'administrator@vsphere.local', password: 'nope' },
      token: null,
    });
    assert.equal(wrong.status, 401);
    assert.equal((wrong.body as ErrorBody).error_type, 'UNAUTHENTICATED');
    const none = await vc.call('POST', '/api/session', { token: null });
    assert.equal(none.status, 401);
    const counters = sim.counters('vc');
    assert.equal(counters.loginFailures, 2);
    assert.equal(counters.logins, 0);
  });

  it('issues a session token usable on every call, and ends it on logout', async () => {
    const token = await vc.login('Administrator@vsphere.local', 'VMware1!');
    assert.match(token, /^[0-9a-f]{32}$/);
    const info = await vc.call('GET', '/api/session');
    assert.equal(info.status, 200);
    assert.equal((info.body as { user: string }).user, 'administrator@vsphere.local');
    assert.equal((await vc.call('DELETE', '/api/session')).status, 204);
    assert.equal((await vc.call('GET', '/api/session')).status, 401);
    assert.equal((await vc.clusterGet(undefined, token)).status, 401);
  });

  it('answers 401 without a session header or with an unknown token', async () => {
    const missing = await vc.clusterGet(undefined, null);
    assert.equal(missing.status, 401);
    assert.equal((missing.body as ErrorBody).error_type, 'UNAUTHENTICATED');
    assert.equal((await vc.call('GET', '/api/vcenter/vcha/operations', { token: 'f'.repeat(32) })).status, 401);
    assert.equal((await vc.task('task-1:com.vmware.vcenter.vcha.cluster', null)).status, 401);
  });

  it('gives a user without Global.VCServer 403 on failover and full get, but a partial get works', async () => {
    const reader = new VcenterCaller(sim.urlFor('vc'));
    await reader.login('reader@vsphere.local', 'Reader1!');
    const postsBefore = sim.counters('vc').failoverPosts;

    const failover = await reader.failover(true);
    assert.equal(failover.status, 403);
    const failoverError = failover.body as ErrorBody;
    assert.equal(failoverError.error_type, 'UNAUTHORIZED');
    assert.match(failoverError.messages[0]?.default_message ?? '', /Global\.VCServer/);
    assert.equal(sim.counters('vc').failoverPosts, postsBefore + 1);

    const full = await reader.clusterGet();
    assert.equal(full.status, 403);
    assert.match((full.body as ErrorBody).messages[0]?.default_message ?? '', /Global\.VCServer/);
    const explicitFull = await reader.clusterGet(false);
    assert.equal(explicitFull.status, 403);

    const partial = await reader.clusterGet(true);
    assert.equal(partial.status, 200);
    const node1 = (partial.body as { node1: { runtime: Record<string, unknown> } }).node1;
    assert.equal(node1.runtime.role, 'ACTIVE');
    assert.equal('placement' in node1.runtime, false, 'partial get must leave out placement');
    assert.equal((await reader.call('GET', '/api/vcenter/vcha/cluster/mode')).status, 200);
    assert.equal(sim.cluster('vc').stage, 'idle');
  });

  it('returns placement details on a full get for the administrator', async () => {
    await vc.login();
    const full = await vc.clusterGet(false);
    const runtime = (full.body as { node2: { runtime: { placement?: { vm_name: string } } } }).node2.runtime;
    assert.equal(runtime.placement?.vm_name, 'vc-peer');
  });

  it('lets the admin API add a user and grant it Global.VCServer', async () => {
    const put = await admin(sim, 'PUT', '/clusters/vc/users/ops@vsphere.local', {
      password: 'Ops1!',
      privileges: ['System.Read', 'Global.VCServer'],
    });
    assert.equal(put.status, 200);
    assert.ok(!JSON.stringify(put.body).includes('Ops1!'), 'admin API must not echo passwords');
    const ops = new VcenterCaller(sim.urlFor('vc'));
    await ops.login('ops@vsphere.local', 'Ops1!');
    assert.equal((await ops.clusterGet()).status, 200);
    const badPut = await admin<AdminError>(sim, 'PUT', '/clusters/vc/users/x', { privileges: 'all' });
    assert.equal(badPut.status, 400);
    assert.ok(badPut.body.issues.some((issue: string) => issue.startsWith('password')));
  });
});
