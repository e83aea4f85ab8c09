/** The JS API used by in-process tests: configure, snapshot, waitFor and failover timelines. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScenarioError } from '../../src/simulator';
import { useFastSimulator } from './helpers';

describe('in-process cluster control', () => {
  const suite = useFastSimulator(['local'], { resetEachTest: false });

  it('accepts the same changes as scenario files and rejects bad ones by field', async () => {
    const cluster = suite.sim.cluster('local');
    cluster.configure({
      faults: { rules: [{ action: 'respond', status: 503, count: 1 }] },
      nodes: { node2: { state: 'DOWN' } },
    });
    assert.equal(cluster.faults.rules[0]?.remaining, 1);
    assert.equal((await suite.vc.clusterGet()).status, 503);
    const info = (await suite.vc.clusterGet()).body as { node2: { runtime: { state: string } } };
    assert.equal(info.node2.runtime.state, 'DOWN');
    assert.throws(
      () => cluster.configure({ mode: 'SOMETIMES' as 'ENABLED' }),
      (error: Error) => error instanceof ScenarioError && error.issues.some((i) => i.startsWith('mode:')),
    );
    assert.throws(() => cluster.configure({ port: 1234 }), ScenarioError);
    await cluster.reset();
    assert.equal(cluster.snapshot().members.node2.state, 'UP');
  });

  it('waits for a state and reports what it saw on timeout', async () => {
    const cluster = suite.sim.cluster('local');
    await assert.rejects(
      cluster.waitFor((s) => s.mode === 'DISABLED', 50),
      /condition not met within 50 ms/,
    );
    const waiting = cluster.waitFor((s) => s.mode === 'DISABLED', 1_000);
    cluster.configure({ mode: 'DISABLED' });
    assert.equal((await waiting).mode, 'DISABLED');
    await cluster.reset();
  });

  it('records a timeline for every failover request, refused ones included', async () => {
    const cluster = suite.sim.cluster('local');
    await suite.vc.login();
    cluster.configure({ manualFailoverAllowed: false });
    assert.equal((await suite.vc.failover(true)).status, 500);
    cluster.configure({ manualFailoverAllowed: true });
    assert.equal((await suite.vc.failover(false)).status, 202);
    await cluster.waitFor((s) => s.stage === 'idle' && s.healthState === 'HEALTHY' && s.activeNode === 'node2', 3_000);
    const [refused, done] = cluster.failovers();
    assert.equal(refused?.outcome, 'refused');
    assert.deepEqual(refused?.refusalReasons, ['manual-failover-not-allowed']);
    assert.equal(refused?.taskId, undefined);
    assert.equal(done?.outcome, 'succeeded');
    assert.ok(done?.taskId);
    const { requestedAt = 0, switchStartedAt = 0, apiBackAt = 0, healthyAt = 0 } = done ?? {};
    assert.ok(requestedAt <= switchStartedAt && switchStartedAt < apiBackAt && apiBackAt < healthyAt);
    assert.equal(done?.durationMs, healthyAt - requestedAt);
    assert.equal(cluster.pendingTimers, 0);
  });
});
