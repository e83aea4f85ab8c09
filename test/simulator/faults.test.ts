/** Faults set at runtime through the admin API, counters, the request log and reset. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type SimClusterView,
  type FailoverTimeline,
  type SimCounters,
  type SimRequestRecord,
} from '../../src/simulator';
import { admin, type AdminError, fetchFailureCode, useFastSimulator, VcenterCaller } from './helpers';

/** What `GET /__sim/clusters/{name}` returns (the parts these tests read). */
type AdminClusterView = SimClusterView & { counters: SimCounters };
import { validateResponse } from './swagger-validator';

describe('admin API faults (port-per-cluster)', () => {
  const suite = useFastSimulator(['f1', 'f2']);

  it('lists clusters with their URLs', async () => {
    const list = await admin<{ name: string; url: string }[]>(suite.sim, 'GET', '/clusters');
    assert.deepEqual(
      list.body.map((c) => [c.name, c.url]),
      [
        ['f1', suite.sim.urlFor('f1')],
        ['f2', suite.sim.urlFor('f2')],
      ],
    );
    assert.equal((await admin(suite.sim, 'GET', '/clusters/nope')).status, 404);
  });

  it('adds latency to every API response', async () => {
    await admin(suite.sim, 'PATCH', '/clusters/f1', { faults: { rules: [{ action: 'delay', delayMs: 150 }] } });
    const started = Date.now();
    assert.equal((await suite.vc.clusterGet()).status, 200);
    assert.ok(Date.now() - started >= 145, `answered after ${Date.now() - started} ms`);
    const last = suite.sim.requestLog('f1').at(-1);
    assert.ok(last && last.durationMs >= 145);
  });

  it('answers a burst of 503s, optionally for one operation only', async () => {
    await admin(suite.sim, 'PATCH', '/clusters/f1', {
      faults: { rules: [{ action: 'respond', status: 503, count: 2 }] },
    });
    assert.equal((await suite.vc.clusterGet()).status, 503);
    assert.equal((await suite.vc.operations()).status, 503);
    assert.equal((await suite.vc.clusterGet()).status, 200);

    await admin(suite.sim, 'PATCH', '/clusters/f1', {
      faults: { rules: [{ action: 'respond', status: 503, count: 1, operation: 'cluster.get' }] },
    });
    assert.equal((await suite.vc.operations()).status, 200);
    assert.equal((await suite.vc.clusterGet()).status, 503);
    assert.equal((await suite.vc.clusterGet()).status, 200);
    assert.equal(suite.sim.counters('f1').unavailable, 3);
  });

  it('sends malformed bodies for the next N responses of an operation', async () => {
    await admin(suite.sim, 'PATCH', '/clusters/f1', {
      faults: {
        rules: [
          { operation: 'cluster.get', when: 'after', action: 'respond', body: 'html', count: 1, status: 502 },
          { operation: 'operations.get', when: 'after', action: 'respond', body: 'truncated-json', count: 1 },
          { operation: 'cluster.mode.get', when: 'after', action: 'respond', body: 'wrong-types', count: 2 },
        ],
      },
    });
    const html = await suite.vc.call('POST', '/api/vcenter/vcha/cluster?action=get', { validate: false });
    assert.equal(html.status, 502);
    assert.match(html.contentType, /text\/html/);
    assert.match(html.text, /^<!DOCTYPE html>/);

    const truncated = await suite.vc.call('GET', '/api/vcenter/vcha/operations', { validate: false });
    assert.equal(truncated.status, 200);
    assert.throws(() => JSON.parse(truncated.text));

    for (let i = 0; i < 2; i += 1) {
      const wrong = await suite.vc.call('GET', '/api/vcenter/vcha/cluster/mode', { validate: false });
      assert.equal(wrong.status, 200);
      assert.deepEqual(JSON.parse(wrong.text), { mode: 7 });
      assert.equal(validateResponse('GET', '/api/vcenter/vcha/cluster/mode', 200, JSON.parse(wrong.text)).valid, false);
    }
    // Faults are used up: everything is well-formed again.
    assert.equal((await suite.vc.clusterGet()).status, 200);
    assert.equal((await suite.vc.operations()).status, 200);
    assert.deepEqual((await suite.vc.call('GET', '/api/vcenter/vcha/cluster/mode')).body, { mode: 'ENABLED' });
    assert.equal(suite.sim.counters('f1').replaced, 4);
  });

  it('hangs requests of an operation without answering', async () => {
    await admin(suite.sim, 'PATCH', '/clusters/f1', {
      faults: { rules: [{ operation: 'cluster.get', action: 'hang' }] },
    });
    const code = await fetchFailureCode(
      fetch(`${suite.sim.urlFor('f1')}/api/vcenter/vcha/cluster?action=get`, {
        method: 'POST',
        headers: { 'vmware-api-session-id': suite.vc.token ?? '' },
        signal: AbortSignal.timeout(200),
      }),
    );
    assert.notEqual(code, 'no-error');
    assert.equal((await suite.vc.operations()).status, 200, 'other operations still answer');
    assert.equal(suite.sim.counters('f1').hangs, 1);
    assert.ok(
      suite.sim
        .requestLog('f1')
        .some((r) => r.outcome === 'hang' && r.operation === 'cluster.get' && r.status === null),
    );
  });

  it('can hang a failover that still takes effect', async () => {
    await admin(suite.sim, 'PATCH', '/clusters/f1', {
      faults: { rules: [{ operation: 'cluster.failover', when: 'after', action: 'hang' }] },
    });
    const code = await fetchFailureCode(
      fetch(`${suite.sim.urlFor('f1')}/api/vcenter/vcha/cluster?action=failover&vmw-task=true`, {
        method: 'POST',
        headers: { 'vmware-api-session-id': suite.vc.token ?? '', 'content-type': 'application/json' },
        body: JSON.stringify({ planned: true }),
        signal: AbortSignal.timeout(100),
      }),
    );
    assert.notEqual(code, 'no-error');
    assert.notEqual(suite.sim.cluster('f1').stage, 'idle');
    assert.equal(suite.sim.counters('f1').failoverPosts, 1);
    assert.equal(suite.sim.counters('f1').failoversStarted, 1);
  });

  it('keeps the admin API up while a cluster is in its outage', async () => {
    await suite.vc.failover(false);
    await suite.sim.cluster('f1').waitFor((s) => !s.apiAvailable, 1_000);
    const state = await admin<AdminClusterView>(suite.sim, 'GET', '/clusters/f1');
    assert.equal(state.status, 200);
    assert.equal(state.body.apiAvailable, false);
    assert.equal(state.body.stage, 'switching');
    // Reset during the outage brings the API straight back.
    await admin(suite.sim, 'POST', '/clusters/f1/reset');
    await suite.vc.login();
    assert.equal((await suite.vc.clusterGet()).status, 200);
  });

  it('changes cluster state and restores it on reset', async () => {
    const patched = await admin(suite.sim, 'PATCH', '/clusters/f1', {
      mode: 'MAINTENANCE',
      nodes: { witness: { state: 'DOWN' } },
      healthState: 'DEGRADED',
      healthWarnings: ['witness unreachable'],
      disabledOperations: ['com.vmware.vcenter.vcha.cluster.failover'],
    });
    assert.equal(patched.status, 200);
    const info = (await suite.vc.clusterGet()).body as {
      mode: string;
      witness: { runtime: { state: string } };
      health_state: string;
      health_warnings: { error: { default_message: string } }[];
    };
    assert.equal(info.mode, 'MAINTENANCE');
    assert.equal(info.witness.runtime.state, 'DOWN');
    assert.equal(info.health_state, 'DEGRADED');
    assert.equal(info.health_warnings[0]?.error.default_message, 'witness unreachable');
    assert.deepEqual((await suite.vc.operations()).body, {
      disabled: ['com.vmware.vcenter.vcha.cluster.failover'],
      active: [],
    });

    const reset = await admin<AdminClusterView>(suite.sim, 'POST', '/clusters/f1/reset');
    assert.equal(reset.body.mode, 'ENABLED');
    assert.equal(reset.body.members.witness.state, 'UP');
    assert.equal(reset.body.counters.requests, 0);
    // Sessions do not survive a reset.
    assert.equal((await suite.vc.clusterGet()).status, 401);
  });

  it('rejects invalid changes with the offending field named', async () => {
    const typo = await admin<AdminError>(suite.sim, 'PATCH', '/clusters/f1', { faults: { latencyMS: 5 } });
    assert.equal(typo.status, 400);
    assert.ok(
      typo.body.issues.some((i) => i.startsWith('faults:') && i.includes('latencyMS')),
      typo.body.issues.join('\n'),
    );
    const badMode = await admin<AdminError>(suite.sim, 'PATCH', '/clusters/f1', { mode: 'ON' });
    assert.ok(badMode.body.issues.some((i) => i.startsWith('mode:')));
    const badRule = await admin<AdminError>(suite.sim, 'PATCH', '/clusters/f1', {
      faults: { rules: [{ operation: 'cluster.explode', action: 'hang' }] },
    });
    assert.ok(
      badRule.body.issues.some((i) => i.startsWith('faults.rules.0.operation:')),
      badRule.body.issues.join('\n'),
    );
    assert.equal((await admin(suite.sim, 'PATCH', '/clusters/f1', { port: 1 })).status, 400);
  });

  it('counts failover POSTs and logins per cluster and logs requests without secrets', async () => {
    const other = new VcenterCaller(suite.sim.urlFor('f2'));
    const token = await other.login();
    await other.failover(true);
    await other.call('POST', '/api/vcenter/vcha/cluster?action=failover&vmw-task=true', { body: {} });
    const counters = await admin<SimCounters>(suite.sim, 'GET', '/clusters/f2/counters');
    assert.equal(counters.body.failoverPosts, 2);
    assert.equal(counters.body.logins, 1);
    const all = await admin<Record<string, SimCounters>>(suite.sim, 'GET', '/counters');
    assert.equal(all.body.f2?.failoverPosts, 2);
    assert.equal(all.body.f1?.failoverPosts, 0);

    const log = await admin<SimRequestRecord[]>(suite.sim, 'GET', '/log?cluster=f2');
    assert.equal(log.status, 200);
    const records = log.body;
    assert.deepEqual(
      records.map((r) => [r.method, r.path, r.status]),
      [
        ['POST', '/api/session', 201],
        ['POST', '/api/vcenter/vcha/cluster?action=failover&vmw-task=true', 202],
        ['POST', '/api/vcenter/vcha/cluster?action=failover&vmw-task=true', 400],
      ],
    );
    assert.ok(records.every((r) => r.cluster === 'f2' && !Number.isNaN(Date.parse(r.time))));
    const everything = JSON.stringify((await admin(suite.sim, 'GET', '/log')).body);
    assert.ok(!everything.includes(token), 'log must not contain session tokens');
    assert.ok(!everything.includes('VMware1!'), 'log must not contain passwords');
    assert.equal((await admin<SimRequestRecord[]>(suite.sim, 'GET', '/log?cluster=f2&limit=1')).body.length, 1);
    const failovers = await admin<FailoverTimeline[]>(suite.sim, 'GET', '/clusters/f2/failovers');
    assert.equal(failovers.body.length, 1);
    await suite.sim.cluster('f2').reset();
  });
});
