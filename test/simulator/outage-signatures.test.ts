/**
 * What a client meets when vCenter's API is down behind Envoy or its address has moved: Envoy's
 * plain-text 503s and a blackhole, as outage styles during the switch and as fault rules; the
 * cluster failing back by itself; a failover hidden for a while after a vAPI 500.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent } from 'undici';
import { admin, pollUntil, probeConnection, useFastSimulator, VcenterCaller } from './helpers';

const NO_HEALTHY_UPSTREAM = 'no healthy upstream';
const CONNECT_FAILURE = 'upstream connect error or disconnect/reset before headers. reset reason: connection failure';

/** Whether a request is still unanswered after `ms`. */
async function unansweredAfter(request: Promise<unknown>, ms: number): Promise<boolean> {
  const outcome = await Promise.race([
    request.then(
      () => 'answered',
      (error: Error) => (error.name === 'TimeoutError' || error.name === 'AbortError' ? 'timed out' : 'failed'),
    ),
    new Promise((resolve) => setTimeout(() => resolve('timed out'), ms)),
  ]);
  return outcome === 'timed out';
}

describe('outage signatures (port-per-cluster)', () => {
  const suite = useFastSimulator(['e1']);

  it('answers Envoy’s plain-text 503s during the switch, on a port that stays open', async () => {
    const cluster = suite.sim.cluster('e1');
    cluster.configure({ faults: { outageStyle: 'envoy-connect-failure' } });
    assert.equal((await suite.vc.failover(false)).status, 202);
    await cluster.waitFor((s) => !s.apiAvailable, 5_000);
    const port = Number(new URL(suite.sim.urlFor('e1')).port);
    assert.equal(await probeConnection(port), 'connected');
    const answer = await suite.vc.call('POST', '/api/vcenter/vcha/cluster?action=get', { validate: false });
    assert.equal(answer.status, 503);
    assert.equal(answer.contentType, 'text/plain');
    assert.equal(answer.text, CONNECT_FAILURE);
    await cluster.waitFor((s) => s.apiAvailable, 5_000);
    assert.equal((await suite.vc.login()) !== '', true);
  });

  it('answers a failover POST that vCenter processed with Envoy’s 503 when a rule says so', async () => {
    suite.sim.cluster('e1').configure({
      faults: {
        rules: [{ operation: 'cluster.failover', when: 'after', action: 'respond', body: 'envoy-no-healthy-upstream' }],
      },
    });
    const answer = await suite.vc.call('POST', '/api/vcenter/vcha/cluster?action=failover&vmw-task=true', {
      body: { planned: false },
      validate: false,
    });
    assert.equal(answer.status, 503);
    assert.equal(answer.contentType, 'text/plain');
    assert.equal(answer.text, NO_HEALTHY_UPSTREAM);
    assert.equal(suite.sim.cluster('e1').lastFailover()?.outcome, 'in-progress', 'the failover started all the same');
  });

  it('blackholes the address for the rule’s time: the request and every later one get nothing, not even a reset', async () => {
    const agent = new Agent({ connections: 1 });
    try {
      const keepAlive = new VcenterCaller(suite.sim.urlFor('e1'), agent);
      await keepAlive.login();
      suite.sim
        .cluster('e1')
        .configure({ faults: { rules: [{ operation: 'cluster.get', action: 'blackhole', blackholeMs: 600 }] } });
      const pending = keepAlive.clusterGet();
      pending.catch(() => undefined);
      assert.ok(await unansweredAfter(pending, 200), 'the blackholed request was answered');
      assert.equal(suite.sim.cluster('e1').snapshot().blackholed, true);
      // A new connection is accepted (loopback completes the handshake) and then hears nothing.
      const fresh = fetch(`${suite.sim.urlFor('e1')}/api/vcenter/vcha/operations`, {
        signal: AbortSignal.timeout(200),
      });
      assert.ok(await unansweredAfter(fresh, 400), 'a request during the blackhole was answered');
      await pollUntil(
        () => suite.sim.cluster('e1').snapshot().blackholed,
        (on) => !on,
        2_000,
      );
      assert.equal((await suite.vc.operations()).status, 200);
      const outcomes = suite.sim
        .cluster('e1')
        .requestLog()
        .map((entry) => entry.outcome);
      assert.ok(outcomes.filter((outcome) => outcome === 'hang').length >= 2, outcomes.join(','));
    } finally {
      await agent.destroy();
    }
  });

  it('blackholes the address during the switch when that is the outage style', async () => {
    const cluster = suite.sim.cluster('e1');
    cluster.configure({ faults: { outageStyle: 'blackhole' } });
    assert.equal((await suite.vc.failover(false)).status, 202);
    await cluster.waitFor((s) => !s.apiAvailable, 5_000);
    const during = fetch(`${suite.sim.urlFor('e1')}/api/vcenter/vcha/operations`, { signal: AbortSignal.timeout(150) });
    assert.ok(await unansweredAfter(during, 300));
    await cluster.waitFor((s) => s.apiAvailable, 5_000);
    await suite.vc.login();
    assert.equal((await suite.vc.operations()).status, 200);
  });

  it('fails back by itself once healthy, with a task of its own, and only once', async () => {
    const cluster = suite.sim.cluster('e1');
    cluster.configure({ timing: { failBackMs: 10_000 }, faults: { failBack: 'task', taskAfterSwitch: 'succeeded' } });
    assert.equal(cluster.snapshot().activeNode, 'node1');
    assert.equal((await suite.vc.failover(false)).status, 202);
    await cluster.waitFor((s) => s.activeNode === 'node2' && s.healthState === 'HEALTHY', 5_000);
    const back = await cluster.waitFor((s) => s.activeNode === 'node1' && s.healthState === 'HEALTHY', 5_000);
    assert.equal(back.activeNode, 'node1');
    const [requested, automatic] = cluster.failovers();
    assert.equal(requested?.automatic, undefined);
    assert.equal(automatic?.automatic, true);
    assert.equal(automatic?.outcome, 'succeeded');
    assert.ok(automatic?.taskId, 'the fail back has a task');
    await suite.vc.login();
    const task = (await suite.vc.task(automatic.taskId)).body as { status: string; user: string };
    assert.equal(task.status, 'SUCCEEDED');
    assert.match(task.user, /vpxd-extension/);
    await pollUntil(
      () => cluster.pendingTimers,
      (n) => n === 0,
      5_000,
    );
    assert.equal(cluster.failovers().length, 2);
    assert.equal(suite.sim.counters('e1').failoverPosts, 1);
  });

  it('does not fail back by itself in MAINTENANCE', async () => {
    const cluster = suite.sim.cluster('e1');
    cluster.configure({ mode: 'MAINTENANCE', timing: { failBackMs: 1_000 }, faults: { failBack: 'silent' } });
    assert.equal((await suite.vc.failover(false)).status, 202);
    await cluster.waitFor((s) => s.activeNode === 'node2' && s.healthState === 'HEALTHY', 5_000);
    await pollUntil(
      () => cluster.pendingTimers,
      (n) => n === 0,
      5_000,
    );
    assert.equal(cluster.snapshot().activeNode, 'node2');
    assert.equal(cluster.failovers().length, 1);
  });

  it('takes the new knobs through the admin API and names a bad one', async () => {
    const changed = await admin(suite.sim, 'PATCH', '/clusters/e1', {
      services: { vpxd: { state: 'STOPPED' } },
      faults: {
        outageStyle: 'envoy-no-healthy-upstream',
        servicesAfterSwitch: { eam: 'STARTING' },
        failBack: 'silent',
      },
    });
    assert.equal(changed.status, 200);
    const state = await admin<{ services: Record<string, string> }>(suite.sim, 'GET', '/clusters/e1');
    assert.equal(state.body.services.vpxd, 'STOPPED');
    assert.equal(suite.sim.cluster('e1').faults.outageStyle, 'envoy-no-healthy-upstream');
    const bad = await admin<{ issues: string[] }>(suite.sim, 'PATCH', '/clusters/e1', {
      faults: { outageStyle: 'teapot' },
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.issues.join('\n'), /^faults\.outageStyle: /m);
  });

  it('hides a failover it started behind a vAPI 500 for the configured time, then shows it', async () => {
    const cluster = suite.sim.cluster('e1');
    cluster.configure({
      timing: { flushMs: 200_000 },
      faults: {
        hideRunningFailover: 60_000,
        rules: [{ operation: 'cluster.failover', when: 'after', action: 'respond', status: 500, body: 'vapi' }],
      },
    });
    const answer = await suite.vc.failover(true);
    assert.equal(answer.status, 500);
    assert.equal((answer.body as { error_type: string }).error_type, 'ERROR');
    assert.equal(cluster.stage === 'starting' || cluster.stage === 'flushing', true);
    assert.deepEqual(((await suite.vc.operations()).body as { active: string[] }).active, []);
    const listed = await suite.vc.call('POST', '/api/cis/tasks?action=list', {
      body: { filter_spec: { services: ['com.vmware.vcenter.vcha.cluster'] } },
    });
    assert.deepEqual(listed.body, {});
    const shown = await pollUntil(
      async () => ((await suite.vc.operations()).body as { active: string[] }).active,
      (active) => active.length > 0,
      3_000,
    );
    assert.deepEqual(shown, ['com.vmware.vcenter.vcha.cluster.failover']);
    assert.equal(cluster.stage, 'flushing');
  });
});
