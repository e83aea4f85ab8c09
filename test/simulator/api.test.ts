/** The rest of the API surface: routing, mode changes, task lookup and listing. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/simulator';
import { FAST_TIMING, pollUntil, VcenterCaller } from './helpers';

describe('API routing and tasks (shared port)', () => {
  let sim: Simulator;
  let vc: VcenterCaller;

  before(async () => {
    sim = await startSimulator({
      layout: 'shared-port',
      clusters: { a: {}, b: {}, unconfigured: { configState: 'NOTCONFIGURED' } },
      timeScale: 0.01,
      timing: FAST_TIMING,
    });
    vc = new VcenterCaller(sim.urlFor('a'));
    await vc.login();
  });
  after(() => sim.close());

  it('answers 404 NOT_FOUND for unknown paths, unknown clusters and failover without vmw-task', async () => {
    const unknown = await vc.call('GET', '/api/vcenter/nothing-here');
    assert.equal(unknown.status, 404);
    assert.equal((unknown.body as { error_type: string }).error_type, 'NOT_FOUND');
    const noTask = await vc.call('POST', '/api/vcenter/vcha/cluster?action=failover', { body: { planned: true } });
    assert.equal(noTask.status, 404);
    const otherCluster = new VcenterCaller(sim.urlFor('a').replace('/vc/a', '/vc/zzz'));
    assert.equal((await otherCluster.call('POST', '/api/session', { token: null })).status, 404);
    assert.equal(sim.counters('a').failoverPosts, 0);
  });

  it('rejects a failover without a valid body with 400 INVALID_ARGUMENT', async () => {
    const path = '/api/vcenter/vcha/cluster?action=failover&vmw-task=true';
    for (const body of [undefined, '{not json', { planned: 'yes' }, {}]) {
      const result = await vc.call('POST', path, body === undefined ? {} : { body });
      assert.equal(result.status, 400, `body ${JSON.stringify(body)}`);
      assert.equal((result.body as { error_type: string }).error_type, 'INVALID_ARGUMENT');
    }
    assert.equal(sim.counters('a').failoverPosts, 4);
    assert.equal(sim.cluster('a').stage, 'idle');
  });

  it('reports operations: deploy disabled, nothing active when idle', async () => {
    const ops = (await vc.operations()).body as { disabled: string[]; active: string[] };
    assert.deepEqual(ops.disabled, ['com.vmware.vcenter.vcha.cluster.deploy']);
    assert.deepEqual(ops.active, []);
  });

  it('changes the mode through a task and lists it as active meanwhile', async () => {
    const bad = await vc.call('PUT', '/api/vcenter/vcha/cluster/mode?vmw-task=true', { body: { mode: 'ON' } });
    assert.equal(bad.status, 400);
    const started = await vc.call('PUT', '/api/vcenter/vcha/cluster/mode?vmw-task=true', {
      body: { mode: 'MAINTENANCE' },
    });
    assert.equal(started.status, 202);
    const taskId = started.body as string;
    assert.match(taskId, /^task-\d+:com\.vmware\.vcenter\.vcha\.cluster\.mode$/);
    assert.deepEqual(((await vc.operations()).body as { active: string[] }).active, [
      'com.vmware.vcenter.vcha.cluster.mode.set',
    ]);
    const done = await pollUntil(
      async () => (await vc.task(taskId)).body as { status: string },
      (info) => info.status === 'SUCCEEDED',
      2_000,
    );
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual((await vc.call('GET', '/api/vcenter/vcha/cluster/mode')).body, { mode: 'MAINTENANCE' });
    assert.deepEqual(((await vc.operations()).body as { active: string[] }).active, []);
  });

  it('refuses a mode change on an unconfigured cluster with 500 ERROR', async () => {
    const other = new VcenterCaller(sim.urlFor('unconfigured'));
    await other.login();
    const result = await other.call('PUT', '/api/vcenter/vcha/cluster/mode?vmw-task=true', {
      body: { mode: 'DISABLED' },
    });
    assert.equal(result.status, 500);
  });

  it('lists tasks by id and by service, and requires a filter', async () => {
    const b = new VcenterCaller(sim.urlFor('b'));
    await b.login();
    const first = (await b.call('PUT', '/api/vcenter/vcha/cluster/mode?vmw-task=true', { body: { mode: 'ENABLED' } }))
      .body as string;
    const byId = await b.call('POST', '/api/cis/tasks?action=list', { body: { filter_spec: { tasks: [first] } } });
    assert.equal(byId.status, 200);
    assert.deepEqual(Object.keys(byId.body as object), [first]);
    const byService = await b.call('POST', '/api/cis/tasks?action=list', {
      body: {
        filter_spec: {
          services: ['com.vmware.vcenter.vcha.cluster.mode'],
          status: ['PENDING', 'RUNNING', 'SUCCEEDED'],
        },
      },
    });
    assert.ok(Object.keys(byService.body as object).includes(first));
    const none = await b.call('POST', '/api/cis/tasks?action=list', {
      body: { filter_spec: { services: ['com.vmware.other'] } },
    });
    assert.deepEqual(none.body, {});
    assert.equal((await b.call('POST', '/api/cis/tasks?action=list', { body: { filter_spec: {} } })).status, 400);
    assert.equal((await b.call('POST', '/api/cis/tasks?action=list')).status, 400);
    // The other cluster does not know this task.
    assert.equal((await vc.task(first)).status, 404);
  });

  it('hands out task numbers unique across clusters', async () => {
    const b = new VcenterCaller(sim.urlFor('b'));
    await b.login();
    await pollUntil(
      () => Promise.resolve(sim.cluster('b').snapshot().activeOperations),
      (ops) => ops.length === 0,
      2_000,
    );
    const ids = [
      (await vc.call('PUT', '/api/vcenter/vcha/cluster/mode?vmw-task=true', { body: { mode: 'ENABLED' } })).body,
      (await b.call('PUT', '/api/vcenter/vcha/cluster/mode?vmw-task=true', { body: { mode: 'ENABLED' } })).body,
    ] as string[];
    const numbers = ids.map((id) => id.split(':')[0]);
    assert.equal(new Set(numbers).size, 2, `ids ${ids.join(', ')}`);
  });
});
