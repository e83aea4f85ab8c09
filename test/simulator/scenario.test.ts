/** Scenario files: validation messages that name the field, and the shipped lab scenario. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadScenarioFile, parseScenario, ScenarioError, startSimulator } from '../../src/simulator';
import { VcenterCaller } from './helpers';

const LAB_SCENARIO = join(__dirname, '..', '..', 'src', 'simulator', 'scenarios', 'lab.json');

function issuesOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof ScenarioError, `expected a ScenarioError, got ${String(error)}`);
    return error.issues;
  }
  assert.fail('expected the scenario to be rejected');
}

describe('scenario validation', () => {
  it('names the field of a wrong type in YAML', () => {
    const yaml = [
      'timeScale: 0.5',
      'clusters:',
      '  lab-01:',
      '    faults:',
      '      rules:',
      '        - action: delay',
      '          delayMs: "slow"',
    ].join('\n');
    const issues = issuesOf(() => parseScenario(yaml, 'yaml'));
    assert.equal(issues.length, 1);
    assert.match(issues[0] ?? '', /^clusters\.lab-01\.faults\.rules\.0\.delayMs: .*number/);
  });

  it('names unknown keys (typos) and bad enum values in JSON', () => {
    const json = JSON.stringify({ clusters: { a: { mdoe: 'ENABLED', nodes: { node1: { state: 'SLEEPING' } } } } });
    const issues = issuesOf(() => parseScenario(json, 'json'));
    assert.ok(
      issues.some((i) => i.startsWith('clusters.a:') && i.includes('mdoe')),
      issues.join('\n'),
    );
    assert.ok(
      issues.some((i) => i.startsWith('clusters.a.nodes.node1.state:')),
      issues.join('\n'),
    );
  });

  it('rejects bad top-level values and cluster names', () => {
    const issues = issuesOf(() => parseScenario(JSON.stringify({ timeScale: -1, clusters: ['ok', 'not ok'] }), 'json'));
    assert.ok(
      issues.some((i) => i.startsWith('timeScale:')),
      issues.join('\n'),
    );
    assert.ok(
      issues.some((i) => i.startsWith('clusters')),
      issues.join('\n'),
    );
    assert.ok(issuesOf(() => parseScenario('{}', 'json')).some((i) => i.startsWith('clusters:')));
    assert.ok(issuesOf(() => parseScenario('{ nope', 'json'))[0]?.startsWith('not valid JSON'));
  });

  it('accepts a list of names, and fault rules with what they need', () => {
    const rules = [
      { action: 'respond', status: 503, count: 3 },
      { operation: 'cluster.get', action: 'hang' },
      { request: 6, when: 'after', action: 'respond', body: 'html', status: 502 },
      { request: 2, action: 'refuse', refuseMs: 500 },
    ];
    const scenario = parseScenario(JSON.stringify({ clusters: { x: { faults: { rules } } } }), 'json');
    assert.deepEqual(scenario.clusters.x?.faults?.rules, rules);
    assert.deepEqual(Object.keys(parseScenario('clusters: [a, b]', 'yaml').clusters), ['a', 'b']);
  });

  it('rejects fault rules that cannot be applied, saying why', () => {
    const problems = (rule: object) =>
      issuesOf(() => parseScenario(JSON.stringify({ clusters: { x: { faults: { rules: [rule] } } } }), 'json'));
    assert.match(problems({ action: 'refuse' }).join(), /names the request it refuses/);
    assert.match(problems({ request: 1, action: 'refuse', operation: 'cluster.get' }).join(), /no operation/);
    assert.match(problems({ action: 'respond' }).join(), /says what it sends/);
    assert.match(problems({ action: 'delay' }).join(), /needs delayMs/);
    assert.match(problems({ action: 'explode' }).join(), /rules\.0\.action/);
  });

  it('reports the file name when a scenario file is invalid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-scenario-'));
    try {
      const file = join(dir, 'broken.yaml');
      await writeFile(file, 'clusters:\n  a:\n    timing:\n      flushMs: -5\n');
      await assert.rejects(loadScenarioFile(file), (error: Error) => {
        assert.ok(error instanceof ScenarioError);
        assert.match(error.message, /broken\.yaml/);
        assert.match(error.message, /clusters\.a\.timing\.flushMs/);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('validates startSimulator options the same way', async () => {
    await assert.rejects(
      startSimulator({ clusters: { a: { faults: { failoverRefusal: 'loud' as 'error' } } } }),
      (error: Error) => error instanceof ScenarioError && /clusters\.a\.faults\.failoverRefusal/.test(error.message),
    );
  });
});

describe('the lab scenario', () => {
  it('loads, serves three clusters and allows a failover on each', async () => {
    const scenario = await loadScenarioFile(LAB_SCENARIO);
    assert.deepEqual(Object.keys(scenario.clusters), ['lab-01', 'lab-02', 'lab-03']);
    const sim = await startSimulator({ ...scenario, timeScale: 0.001, layout: 'shared-port' });
    try {
      const operator = new VcenterCaller(sim.urlFor('lab-01'));
      await operator.login('operator@vsphere.local', 'Operator1!');
      assert.equal((await operator.clusterGet(true)).status, 200);
      assert.equal((await operator.clusterGet()).status, 403);
      assert.equal(sim.cluster('lab-02').snapshot().mode, 'MAINTENANCE');
      assert.equal(sim.cluster('lab-03').snapshot().mode, 'ENABLED');
      for (const name of sim.clusterNames()) {
        const vc = new VcenterCaller(sim.urlFor(name));
        await vc.login();
        assert.equal((await vc.failover(true)).status, 202, name);
      }
    } finally {
      await sim.close();
    }
  });
});
