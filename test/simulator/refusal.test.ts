/**
 * Failovers the cluster does not allow, reported either as a 500 ERROR or as a task that ends
 * FAILED, plus the fault that fails an allowed failover.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type ClusterScenarioInput, type Simulator } from '../../src/simulator';
import { FAST_TIMING, pollUntil, VcenterCaller } from './helpers';

type ErrorBody = { error_type: string; messages: { id: string; default_message: string }[] };
type TaskInfo = { status: string; error?: ErrorBody; end_time?: string };

/** Each broken rule, the scenario that breaks it, and the reason code it must produce. */
const BROKEN_RULES: { rule: string; scenario: ClusterScenarioInput; code: string }[] = [
  { rule: 'mode DISABLED', scenario: { mode: 'DISABLED' }, code: 'mode-disabled' },
  { rule: 'not configured', scenario: { configState: 'NOTCONFIGURED' }, code: 'not-configured' },
  { rule: 'passive node DOWN', scenario: { nodes: { node2: { state: 'DOWN' } } }, code: 'member-down' },
  { rule: 'witness DOWN', scenario: { nodes: { witness: { state: 'DOWN' } } }, code: 'member-down' },
  {
    rule: 'manual failover not allowed',
    scenario: { manualFailoverAllowed: false },
    code: 'manual-failover-not-allowed',
  },
  {
    rule: 'failover operation disabled',
    scenario: { disabledOperations: ['vcenter.vcha.cluster.deploy', 'vcenter.vcha.cluster.failover'] },
    code: 'operation-disabled',
  },
  { rule: 'two active nodes', scenario: { nodes: { node2: { role: 'ACTIVE' } } }, code: 'roles-invalid' },
];

const slug = (text: string): string => text.replace(/\W+/g, '-');

describe('refused failovers', () => {
  let sim: Simulator;

  before(async () => {
    const clusters: Record<string, ClusterScenarioInput> = {};
    for (const { rule, scenario } of BROKEN_RULES) {
      clusters[`error-${slug(rule)}`] = { ...scenario, faults: { failoverRefusal: 'error' } };
      clusters[`task-${slug(rule)}`] = { ...scenario, faults: { failoverRefusal: 'failed-task' } };
    }
    clusters.healthy = {};
    sim = await startSimulator({ layout: 'shared-port', clusters, timeScale: 0.01, timing: FAST_TIMING });
  });
  after(() => sim.close());

  /** Logs in to a cluster and asks it for a failover; returns the caller, the answer and the members before it. */
  async function failoverOn(name: string, planned: boolean) {
    const vc = new VcenterCaller(sim.urlFor(name));
    await vc.login();
    const before = sim.cluster(name).snapshot().members;
    return { vc, before, result: await vc.failover(planned) };
  }

  for (const { rule, code } of BROKEN_RULES) {
    it(`${rule}: 500 ERROR naming the reason, nothing changes`, async () => {
      const name = `error-${slug(rule)}`;
      const { before, result } = await failoverOn(name, true);
      assert.equal(result.status, 500);
      const error = result.body as ErrorBody;
      assert.equal(error.error_type, 'ERROR');
      assert.ok(
        error.messages.some((m) => m.id.endsWith(code)),
        JSON.stringify(error.messages),
      );
      assert.deepEqual(sim.cluster(name).snapshot().members, before);
      assert.equal(sim.cluster(name).stage, 'idle');
      const counters = sim.counters(name);
      assert.equal(counters.failoverPosts, 1);
      assert.equal(counters.failoversRefused, 1);
      assert.deepEqual(sim.cluster(name).lastFailover()?.refusalReasons.includes(code), true);
    });

    it(`${rule}: 202 task that ends FAILED with the reason, nothing changes`, async () => {
      const name = `task-${slug(rule)}`;
      const { vc, before, result } = await failoverOn(name, false);
      assert.equal(result.status, 202);
      const taskId = result.body as string;
      const info = await pollUntil(
        async () => (await vc.task(taskId)).body as TaskInfo,
        (t) => t.status === 'FAILED',
        2_000,
      );
      assert.equal(info.error?.error_type, 'NOT_ALLOWED_IN_CURRENT_STATE');
      assert.ok(info.error?.messages.some((m) => m.id.endsWith(code)));
      assert.ok(info.end_time);
      assert.deepEqual(sim.cluster(name).snapshot().members, before);
      assert.equal(sim.cluster(name).apiAvailable, true);
      assert.equal(sim.counters(name).failoverPosts, 1);
    });
  }

  it('refuses a second failover while one is running', async () => {
    const vc = new VcenterCaller(sim.urlFor('healthy'));
    await vc.login();
    assert.equal((await vc.failover(true)).status, 202);
    const second = await vc.failover(true);
    assert.equal(second.status, 500);
    assert.ok((second.body as ErrorBody).messages.some((m) => m.id.endsWith('failover-in-progress')));
    assert.equal(sim.counters('healthy').failoverPosts, 2);
    assert.equal(sim.counters('healthy').failoversStarted, 1);
    await sim.cluster('healthy').reset();
  });
});

describe('failover task fault', () => {
  let sim: Simulator;
  after(() => sim?.close());

  it('ends an allowed failover FAILED without switching', async () => {
    sim = await startSimulator({
      clusters: { broken: { faults: { failFailoverTask: true } } },
      timeScale: 0.01,
      timing: FAST_TIMING,
    });
    const vc = new VcenterCaller(sim.urlFor('broken'));
    await vc.login();
    const taskId = (await vc.failover(true)).body as string;
    const info = await pollUntil(
      async () => (await vc.task(taskId)).body as TaskInfo,
      (t) => t.status === 'FAILED',
      2_000,
    );
    assert.equal(info.error?.error_type, 'ERROR');
    const snapshot = sim.cluster('broken').snapshot();
    assert.equal(snapshot.activeNode, 'node1');
    assert.equal(snapshot.stage, 'idle');
    const timeline = sim.cluster('broken').lastFailover();
    assert.equal(timeline?.outcome, 'failed');
    assert.equal(timeline?.switchStartedAt, undefined);
    assert.equal(sim.counters('broken').failoversFailed, 1);
    // The session survived: no switch happened.
    assert.equal((await vc.clusterGet()).status, 200);
  });
});
