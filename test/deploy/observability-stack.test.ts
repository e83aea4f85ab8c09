/**
 * The compose stack's Prometheus and Grafana agree with the files they are given: every mounted
 * file exists, Prometheus loads the mounted rules and scrapes the worker's metrics port, Grafana's
 * provisioning finds the mounted dashboard, the dashboard names no data source uid, and promtool
 * (Debian's prometheus package, installed by scripts/install-test-deps.sh) accepts and passes the rules.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { isExecutable } from '../../src/devtools/temporal-cli';
import { PROMTOOL_PATH } from './promtool';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
}
/** The parts of prometheus.yml the stack relies on. */
interface PrometheusConfig {
  rule_files: string[];
  scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
}
const services = (parse(read('docker-compose.yml')) as { services: Record<string, Service> }).services;

/** A service's bind mounts (host path relative to the repo, container path), named volumes left out. */
function bindMounts(service: Service): { host: string; container: string }[] {
  return (service.volumes ?? [])
    .map((volume) => volume.split(':'))
    .filter(([host]) => host!.startsWith('./'))
    .map(([host, container]) => ({ host: host!, container: container! }));
}

/** The host file compose mounts at `container`, or the one inside a mounted folder. */
function hostPathOf(service: Service, container: string): string | undefined {
  for (const mount of bindMounts(service)) {
    if (mount.container === container) return mount.host;
    if (container.startsWith(`${mount.container}/`))
      return path.posix.join(mount.host, container.slice(mount.container.length + 1));
  }
  return undefined;
}

describe('Prometheus and Grafana in docker-compose.yml', () => {
  const prometheus = services.prometheus!;
  const grafana = services.grafana!;

  it('runs both with pinned images', () => {
    assert.match(prometheus.image ?? '', /^prom\/prometheus:v\d+\.\d+\.\d+$/);
    assert.match(grafana.image ?? '', /^grafana\/grafana:\d+\.\d+\.\d+$/);
  });

  it('mounts only host paths that exist', () => {
    for (const [name, service] of Object.entries({ prometheus, grafana })) {
      assert.ok(bindMounts(service).length > 0, `${name} mounts its files`);
      for (const { host } of bindMounts(service))
        assert.ok(existsSync(path.join(root, host)), `${name}: ${host} exists`);
    }
  });

  it('gives Prometheus the mounted config, whose rule_files are the mounted alerts.yml', () => {
    const configFlag = (prometheus.command ?? []).find((arg) => arg.startsWith('--config.file='));
    assert.ok(configFlag, 'prometheus is started with --config.file');
    const configHost = hostPathOf(prometheus, configFlag.slice('--config.file='.length));
    assert.equal(configHost, './deploy/prometheus/prometheus.yml');
    const config = parse(read(configHost)) as PrometheusConfig;
    assert.deepEqual(
      config.rule_files.map((file) => hostPathOf(prometheus, file)),
      ['./deploy/prometheus/alerts.yml'],
    );
  });

  it('scrapes the worker service on the port of its VCHA_METRICS_ADDR, at /metrics', () => {
    const config = parse(read('deploy/prometheus/prometheus.yml')) as PrometheusConfig;
    const targets = config.scrape_configs.flatMap((job) => job.static_configs.flatMap((group) => group.targets));
    const metricsAddress = services.worker!.environment?.VCHA_METRICS_ADDR;
    assert.ok(metricsAddress, 'the worker serves metrics');
    const port = metricsAddress.split(':').at(-1);
    assert.deepEqual(targets, [`worker:${port}`]);
    assert.equal(config.scrape_configs[0]!.metrics_path ?? '/metrics', '/metrics');
  });

  it("provisions Grafana's data source and the mounted dashboard", () => {
    const provisioning = bindMounts(grafana).find((mount) => mount.container === '/etc/grafana/provisioning');
    assert.equal(provisioning?.host, './deploy/grafana/provisioning');
    const datasources = parse(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { type: string; url: string }[];
    };
    const promPort = (prometheus.ports ?? [])[0]?.split(':').at(-1);
    assert.deepEqual(
      datasources.datasources.map((source) => [source.type, source.url]),
      [['prometheus', `http://prometheus:${promPort}`]],
    );
    const providers = parse(read('deploy/grafana/provisioning/dashboards/vcha-failover.yml')) as {
      providers: { type: string; options: { path: string } }[];
    };
    const dashboardFolder = providers.providers[0]!.options.path;
    assert.equal(
      hostPathOf(grafana, path.posix.join(dashboardFolder, 'vcha-failover.json')),
      './deploy/grafana/vcha-failover.json',
    );
  });

  it('has a dashboard that picks its Prometheus through a variable, with no hard-coded data source uid', () => {
    const text = read('deploy/grafana/vcha-failover.json');
    const dashboard = JSON.parse(text) as {
      uid: string;
      templating: { list: { name: string; type: string; query: string }[] };
    };
    const variable = dashboard.templating.list.find((entry) => entry.type === 'datasource');
    assert.deepEqual([variable?.name, variable?.query], ['datasource', 'prometheus']);
    const uids = [...text.matchAll(/"uid":\s*"([^"]*)"/g)]
      .map((match) => match[1])
      .filter((uid) => uid !== dashboard.uid);
    assert.ok(uids.length > 0);
    assert.deepEqual([...new Set(uids)], ['${datasource}']);
  });
});

describe('promtool', () => {
  const run = promisify(execFile);

  it('is installed (scripts/install-test-deps.sh installs Debian prometheus)', () => {
    assert.ok(isExecutable(PROMTOOL_PATH), `${PROMTOOL_PATH} missing: sudo bash scripts/install-test-deps.sh`);
  });

  it('accepts the alert rules', async () => {
    const { stdout } = await run(PROMTOOL_PATH, ['check', 'rules', 'deploy/prometheus/alerts.yml'], { cwd: root });
    assert.match(stdout, /SUCCESS: 5 rules found/);
  });

  it('passes the rules unit tests in alerts.test.yml', async () => {
    const { stdout } = await run(PROMTOOL_PATH, ['test', 'rules', 'alerts.test.yml'], {
      cwd: path.join(root, 'deploy', 'prometheus'),
    });
    assert.match(stdout, /SUCCESS/);
  });

  it('accepts the Prometheus config with its rules', async () => {
    // The config names the rules at their mounted path; check a copy pointing at the repo's file.
    const config = read('deploy/prometheus/prometheus.yml').replace(
      '/etc/prometheus/alerts.yml',
      path.join(root, 'deploy', 'prometheus', 'alerts.yml'),
    );
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'prometheus-config-')), 'prometheus.yml');
    writeFileSync(file, config);
    const { stdout } = await run(PROMTOOL_PATH, ['check', 'config', file]);
    assert.match(stdout, /SUCCESS: 1 rule files found/);
  });
});
