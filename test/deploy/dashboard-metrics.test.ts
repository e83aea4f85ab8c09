/**
 * The Grafana dashboard and the Prometheus alert rules read only metrics the worker exports: a real
 * worker process (metrics endpoint on) runs one failover against the simulator, its endpoint is
 * scraped, and every metric name in the dashboard's PromQL and the rules' `expr` must be in it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { freePort } from '../../src/devtools/dev-server';
import { onTeardown, uniqueTaskQueue } from '../harness/temporal';
import { startLab } from '../harness/lab';
import { spawnWorker } from '../workflows/worker-process';
import { promqlMetricNames, scrapedMetricNames } from './promql-names';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Panel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}
interface Dashboard {
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: string; definition?: string }[] };
}
interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
}

/** Every PromQL expression of the dashboard (panels, rows' panels and query variables), by where it is. */
function dashboardExpressions(dashboard: Dashboard): [string, string][] {
  const found: [string, string][] = [];
  const walk = (panels: Panel[]) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) if (target.expr) found.push([`panel "${panel.title}"`, target.expr]);
      walk(panel.panels ?? []);
    }
  };
  walk(dashboard.panels);
  for (const variable of dashboard.templating.list) {
    if (variable.type !== 'query') continue;
    // label_values(metric, label) names a metric too.
    const query = variable.definition ?? variable.query ?? '';
    const metric = /label_values\(\s*([a-zA-Z_:][\w:]*)/.exec(query)?.[1];
    if (metric) found.push([`variable ${variable.name}`, metric]);
  }
  return found;
}

describe('dashboard and alert metrics', async () => {
  const dashboard = JSON.parse(read('deploy/grafana/vcha-failover.json')) as Dashboard;
  const rules = parse(read('deploy/prometheus/alerts.yml')) as RuleFile;
  const used: [string, string][] = [
    ...dashboardExpressions(dashboard),
    ...rules.groups.flatMap((group) =>
      group.rules.map((rule): [string, string] => [`rule ${rule.alert ?? rule.record}`, rule.expr]),
    ),
  ];

  const lab = await startLab({ clusters: { scraped: {} }, runWorker: false });
  const metricsPort = await freePort();
  const taskQueue = uniqueTaskQueue('scraped');
  const worker = await spawnWorker({
    taskQueue,
    targetsFile: lab.targetsFile,
    env: { ...lab.targetsEnv, VCHA_METRICS_ADDR: `127.0.0.1:${metricsPort}` },
  });
  onTeardown(() => worker.kill('SIGTERM'));
  await worker.ready;
  const handle = await lab.start(
    { target: 'scraped', planned: true, pollInterval: '1s', reason: 'dashboard check' },
    `scraped-${Date.now()}`,
    taskQueue,
  );
  const result = await handle.result();
  const scrape = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  // Kept for whoever edits the dashboard: the names and labels a real scrape has (git-ignored).
  mkdirSync(path.join(root, 'test-artifacts', 'metrics'), { recursive: true });
  writeFileSync(path.join(root, 'test-artifacts', 'metrics', 'worker-scrape.txt'), scrape);
  const exported = scrapedMetricNames(scrape);

  it('ran the failover the scrape is taken after', () => {
    assert.equal(result.outcome, 'SUCCEEDED');
  });

  it('finds PromQL in the dashboard and in every rule', () => {
    assert.ok(used.filter(([where]) => where.startsWith('panel')).length >= 8, 'the dashboard has its panels');
    assert.ok(used.filter(([where]) => where.startsWith('rule')).length >= 3, 'the rules file has its rules');
    for (const [where, expr] of used) assert.ok(promqlMetricNames(expr).length > 0, `${where} reads a metric`);
  });

  it('uses only metric names a scrape of the worker exports', () => {
    const unknown = used.flatMap(([where, expr]) =>
      promqlMetricNames(expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${where}: ${name}`),
    );
    assert.deepEqual(unknown, [], `not in the scrape (see test-artifacts/metrics/worker-scrape.txt)`);
  });

  it('covers the project metrics and the Core runtime metrics the dashboard is for', () => {
    const names = new Set(used.flatMap(([, expr]) => promqlMetricNames(expr)));
    for (const name of [
      'vcha_failovers',
      'vcha_failover_duration_bucket',
      'vcha_failover_outage_bucket',
      'vcha_vcenter_requests',
      'vcha_vcenter_request_errors',
      'temporal_worker_task_slots_available',
      'temporal_num_pollers',
    ])
      assert.ok(names.has(name), `${name} is used`);
  });
});

describe('PromQL metric-name extraction', () => {
  it('skips functions, keywords, label names and values, durations and Grafana variables', () => {
    assert.deepEqual(
      promqlMetricNames(
        'histogram_quantile(0.95, sum by (le, target) (rate(vcha_failover_duration_bucket{target=~"$target", job="x"}[$__rate_interval])))',
      ),
      ['vcha_failover_duration_bucket'],
    );
    assert.deepEqual(
      promqlMetricNames(
        'absent(temporal_num_pollers{task_queue="q"}) or sum without (instance) (up offset 5m) < bool 1',
      ),
      ['temporal_num_pollers', 'up'],
    );
    assert.deepEqual(
      promqlMetricNames('a_total unless on (target) b:recorded{x="rate(c)"} * ignoring(le) group_left (d) e'),
      ['a_total', 'b:recorded', 'e'],
    );
  });

  it('reads metric families from a text scrape, histograms by their base name too', () => {
    const names = scrapedMetricNames(
      '# HELP x_bucket help\n# TYPE x histogram\nx_bucket{le="1"} 0\nx_sum 1\nx_count 1\nplain 3\n',
    );
    assert.deepEqual([...names].sort(), ['plain', 'x', 'x_bucket', 'x_count', 'x_sum']);
  });
});
