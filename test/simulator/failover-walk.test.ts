/**
 * Walks a planned and a forced failover through the simulator with plain HTTP calls and checks
 * everything a client following its own failover observes.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/simulator';
import { FAST_TIMING, fetchFailureCode, pollUntil, probeConnection, VcenterCaller } from './helpers';

type ClusterInfo = {
  node1: { runtime: { role: string; state: string } };
  node2: { runtime: { role: string; state: string } };
  witness: { runtime: { role: string; state: string } };
  health_state: string;
  health_warnings: unknown[];
  manual_failover_allowed: boolean;
};
type TaskInfo = {
  status: string;
  progress?: { total: number; completed: number };
  start_time?: string;
  end_time?: string;
  service: string;
  operation: string;
  cancelable: boolean;
  user: string;
};

describe('planned failover, port-per-cluster layout', () => {
  let sim: Simulator;
  after(() => sim?.close());

  it('flushes with progress, refuses connections during the switch, then comes back degraded and heals', async () => {
    sim = await startSimulator({ clusters: ['alpha', 'beta'], timeScale: 0.01, timing: FAST_TIMING });
    const url = sim.urlFor('alpha');
    const port = Number(new URL(url).port);
    const vc = new VcenterCaller(url);
    const oldToken = await vc.login();

    const before = (await vc.clusterGet()).body as ClusterInfo;
    assert.equal(before.node1.runtime.role, 'ACTIVE');
    assert.equal(before.node2.runtime.role, 'PASSIVE');
    assert.equal(before.witness.runtime.role, 'WITNESS');
    assert.equal(before.health_state, 'HEALTHY');
    const idleOps = (await vc.operations()).body as { active: string[]; disabled: string[] };
    assert.deepEqual(idleOps.active, []);

    const started = await vc.failover(true);
    assert.equal(started.status, 202);
    const taskId = started.body as string;
    assert.match(taskId, /^task-\d+:com\.vmware\.vcenter\.vcha\.cluster$/);

    // During the flush the task is RUNNING and its progress grows.
    const seen: number[] = [];
    await pollUntil(
      async () => {
        const info = (await vc.task(taskId)).body as TaskInfo;
        if (info.status === 'RUNNING' && info.progress) seen.push(info.progress.completed);
        return info;
      },
      () => new Set(seen).size >= 3,
      2_000,
      20,
    );
    assert.ok(
      seen.every((value, i) => i === 0 || value >= (seen[i - 1] ?? 0)),
      `progress went backwards: ${seen.join(', ')}`,
    );
    const running = (await vc.task(taskId)).body as TaskInfo;
    assert.equal(running.service, 'com.vmware.vcenter.vcha.cluster');
    assert.equal(running.operation, 'failover');
    assert.equal(running.cancelable, false);
    assert.equal(running.user, 'administrator@vsphere.local');
    assert.ok(running.start_time);
    const ops = (await vc.operations()).body as { active: string[] };
    assert.deepEqual(ops.active, ['com.vmware.vcenter.vcha.cluster.failover']);

    // The switch: the port is closed, fresh connections are refused.
    await sim.cluster('alpha').waitFor((s) => !s.apiAvailable, 2_000);
    assert.equal(await probeConnection(port), 'ECONNREFUSED');
    assert.notEqual(await fetchFailureCode(vc.clusterGet()), 'no-error');
    // Another cluster keeps serving.
    const beta = new VcenterCaller(sim.urlFor('beta'));
    await beta.login();
    assert.equal((await beta.clusterGet()).status, 200);

    // Back on the same port: the old session and task are gone, roles swapped, resync under way.
    await sim.cluster('alpha').waitFor((s) => s.apiAvailable, 3_000);
    assert.equal(sim.urlFor('alpha'), url);
    assert.equal(await probeConnection(port), 'connected');
    const stale = await vc.clusterGet(undefined, oldToken);
    assert.equal(stale.status, 401);
    assert.equal((stale.body as { error_type: string }).error_type, 'UNAUTHENTICATED');
    await vc.login();
    const gone = await vc.task(taskId);
    assert.equal(gone.status, 404);
    assert.equal((gone.body as { error_type: string }).error_type, 'NOT_FOUND');
    const afterSwitch = (await vc.clusterGet()).body as ClusterInfo;
    assert.equal(afterSwitch.node2.runtime.role, 'ACTIVE');
    assert.equal(afterSwitch.node1.runtime.role, 'PASSIVE');
    assert.equal(afterSwitch.node1.runtime.state, 'UP');
    assert.equal(afterSwitch.health_state, 'DEGRADED');
    assert.equal(afterSwitch.manual_failover_allowed, false);
    assert.ok(afterSwitch.health_warnings.length > 0);
    assert.deepEqual(((await vc.operations()).body as { active: string[] }).active, []);

    const healed = await pollUntil(
      async () => (await vc.clusterGet()).body as ClusterInfo,
      (info) => info.health_state === 'HEALTHY',
      3_000,
      25,
    );
    assert.equal(healed.node2.runtime.role, 'ACTIVE');
    assert.equal(healed.manual_failover_allowed, true);
    assert.deepEqual(healed.health_warnings, []);

    const counters = sim.counters('alpha');
    assert.equal(counters.failoverPosts, 1);
    assert.equal(counters.logins, 2);
    assert.equal(counters.failoversSucceeded, 1);
    const timeline = sim.cluster('alpha').lastFailover();
    assert.ok(timeline);
    assert.equal(timeline.outcome, 'succeeded');
    assert.equal(timeline.fromActive, 'node1');
    assert.equal(timeline.toActive, 'node2');
    // 60 s of outage at time scale 0.01 is 600 ms; flushing 40 s is 400 ms.
    assert.ok((timeline.apiOutageMs ?? 0) >= 550, `outage ${timeline.apiOutageMs}`);
    assert.ok((timeline.switchStartedAt ?? 0) - timeline.requestedAt >= 380);
    assert.ok((timeline.durationMs ?? 0) >= (timeline.toApiBackMs ?? Infinity));
  });
});

describe('forced failover, shared-port layout', () => {
  let sim: Simulator;
  after(() => sim?.close());

  it('switches at once, answers 503 during the switch, and keeps the task readable as SUCCEEDED', async () => {
    sim = await startSimulator({
      layout: 'shared-port',
      clusters: { one: { faults: { taskAfterSwitch: 'succeeded' } }, two: {} },
      timeScale: 0.01,
      timing: FAST_TIMING,
    });
    assert.match(sim.urlFor('one'), /^http:\/\/127\.0\.0\.1:\d+\/vc\/one$/);
    const vc = new VcenterCaller(sim.urlFor('one'));
    const oldToken = await vc.login();
    const started = await vc.failover(false);
    assert.equal(started.status, 202);
    const taskId = started.body as string;

    await sim.cluster('one').waitFor((s) => !s.apiAvailable, 1_000);
    const during = await vc.call('GET', '/api/vcenter/vcha/cluster/mode');
    assert.equal(during.status, 503);
    assert.equal((during.body as { error_type: string }).error_type, 'SERVICE_UNAVAILABLE');
    const other = new VcenterCaller(sim.urlFor('two'));
    await other.login();
    assert.equal((await other.call('GET', '/api/vcenter/vcha/cluster/mode')).status, 200);

    await sim.cluster('one').waitFor((s) => s.apiAvailable, 2_000);
    assert.equal((await vc.call('GET', '/api/session', { token: oldToken })).status, 401);
    await vc.login();
    const task = await vc.task(taskId);
    assert.equal(task.status, 200);
    const info = task.body as TaskInfo;
    assert.equal(info.status, 'SUCCEEDED');
    assert.ok(info.end_time && info.start_time && info.end_time >= info.start_time);
    assert.equal(info.progress?.completed, info.progress?.total);

    const degraded = (await vc.clusterGet()).body as ClusterInfo;
    assert.equal(degraded.node2.runtime.role, 'ACTIVE');
    assert.equal(degraded.health_state, 'DEGRADED');
    await pollUntil(
      async () => ((await vc.clusterGet()).body as ClusterInfo).health_state,
      (h) => h === 'HEALTHY',
      2_000,
      25,
    );

    const timeline = sim.cluster('one').lastFailover();
    assert.ok(timeline?.switchStartedAt !== undefined);
    // Forced: no flush, the switch starts as soon as the task runs (10 ms here).
    assert.ok(
      timeline.switchStartedAt - timeline.requestedAt < 300,
      `switch began after ${timeline.switchStartedAt - timeline.requestedAt} ms`,
    );
    assert.equal(timeline.planned, false);
  });

  it('resets connections during the switch when configured to', async () => {
    const local = await startSimulator({
      layout: 'shared-port',
      clusters: { gamma: { faults: { outageStyle: 'reset' } } },
      timeScale: 0.01,
      timing: FAST_TIMING,
    });
    try {
      const vc = new VcenterCaller(local.urlFor('gamma'));
      await vc.login();
      assert.equal((await vc.failover(false)).status, 202);
      await local.cluster('gamma').waitFor((s) => !s.apiAvailable, 1_000);
      const code = await fetchFailureCode(vc.call('GET', '/api/session', { validate: false }));
      assert.notEqual(code, 'no-error');
      assert.equal(local.counters('gamma').resets >= 1, true);
      const log = local.requestLog('gamma');
      assert.ok(log.some((r) => r.outcome === 'reset' && r.status === null));
    } finally {
      await local.close();
    }
  });
});
