/**
 * docker-compose.yml and the Dockerfile, checked without a Docker engine: pinned images, every
 * service the worker needs, the worker's environment against its schema, and the lab's targets
 * and scenario against theirs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadTargetsFile } from '../../src/config';
import { loadScenarioFile } from '../../src/simulator';
import { REQUIRED_WORKER_ENV_KEYS, WORKER_ENV_KEYS, WorkerEnvSchema } from '../../src/worker/settings';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../src/contract';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  profiles?: string[];
  environment?: Record<string, string>;
  command?: string[] | string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: unknown;
  secrets?: unknown[];
  volumes?: string[];
}
const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, Service>;
  secrets: Record<string, unknown>;
};
const services = compose.services;

/** `${VAR:-default}` as compose resolves it with VAR unset. */
function withDefaults(value: string): string {
  return value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
}

describe('docker-compose.yml', () => {
  it('pins every image to a version tag', () => {
    for (const [name, service] of Object.entries(services)) {
      assert.ok(service.image, `${name} names its image`);
      // A version number, `v`-prefixed where the project tags so (prom/prometheus:v3.5.0).
      assert.match(service.image, /^[a-z0-9./-]+:v?[0-9][\w.-]*$/, `${name}: ${service.image} is pinned`);
    }
  });

  it('has every service the worker needs, with health-gated start order', () => {
    for (const name of ['postgresql', 'temporal', 'temporal-ui', 'search-attributes', 'worker']) {
      assert.ok(services[name], `service ${name}`);
      assert.equal(services[name].profiles, undefined, `${name} runs without a profile`);
    }
    assert.deepEqual(services.simulator?.profiles, ['lab']);
    assert.ok(services.worker!.build, 'the worker is built from the Dockerfile');
    assert.equal(services.temporal!.depends_on?.postgresql?.condition, 'service_healthy');
    assert.equal(services.worker!.depends_on?.temporal?.condition, 'service_healthy');
    assert.equal(services.worker!.depends_on?.['search-attributes']?.condition, 'service_completed_successfully');
    for (const name of ['postgresql', 'temporal', 'simulator'])
      assert.ok(services[name]!.healthcheck, `${name} health check`);
  });

  it('starts nothing that uses Temporal before the default namespace exists', () => {
    // The dependency graph: every edge names a service, uses a condition compose knows, no cycles.
    const conditions = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        assert.ok(services[dependency], `${name} depends on ${dependency}, which is a service`);
        assert.ok(conditions.has(condition), `${name} → ${dependency}: ${condition}`);
      }
    }
    const ancestors = (name: string, seen: string[] = []): string[] => {
      assert.ok(!seen.includes(name), `dependency cycle: ${[...seen, name].join(' → ')}`);
      return Object.keys(services[name]!.depends_on ?? {}).flatMap((d) => [d, ...ancestors(d, [...seen, name])]);
    };
    for (const name of Object.keys(services)) ancestors(name);

    // The server answers before auto-setup has created `default`: its health check must check the
    // namespace, not only `cluster health`, or the gate below opens too early.
    const health = ([] as string[]).concat((services.temporal!.healthcheck as { test: string[] }).test).join(' ');
    assert.match(health, /cluster health/);
    assert.match(health, /--namespace default namespace describe/);
    // Every service that talks to Temporal waits for that health check, directly.
    const clients = Object.entries(services).filter(([, s]) => s.environment?.TEMPORAL_ADDRESS);
    assert.deepEqual(clients.map(([name]) => name).sort(), ['search-attributes', 'temporal-ui', 'worker']);
    for (const [name, service] of clients) {
      assert.equal(service.depends_on?.temporal?.condition, 'service_healthy', `${name} waits for a healthy temporal`);
    }
    // The worker starts only after the one-shot job registered the search attributes, and the job
    // itself waits for the namespace before creating them.
    assert.equal(services.worker!.depends_on?.['search-attributes']?.condition, 'service_completed_successfully');
    assert.equal((services['search-attributes'] as { restart?: string }).restart, 'no');
    const job = ([] as string[]).concat(services['search-attributes']!.command ?? []).join(' ');
    const waits = job.indexOf('temporal operator namespace describe --namespace default');
    assert.ok(waits >= 0, 'the job waits for the namespace');
    assert.ok(waits < job.indexOf('temporal operator search-attribute create'), 'before creating the attributes');
    assert.match(job, /for i in \$\$\(seq \d+\)/, 'a bounded wait, with `$` escaped from compose interpolation');
  });

  it('gives the Temporal server a dynamic config file that turns on eager activity execution', () => {
    const temporal = services.temporal!;
    const configPath = temporal.environment?.DYNAMIC_CONFIG_FILE_PATH;
    assert.ok(configPath, 'DYNAMIC_CONFIG_FILE_PATH is set');
    const mount = (temporal.volumes ?? []).find((volume) => volume.split(':')[1] === `/etc/temporal/${configPath}`);
    assert.ok(mount, `a volume mounts the file at /etc/temporal/${configPath}`);
    const config = parse(read(mount.split(':')[0]!)) as Record<string, { value: unknown }[]>;
    assert.deepEqual(config['system.enableActivityEagerExecution'], [{ value: true }]);
  });

  it('registers exactly the search attributes the workflow upserts', () => {
    const command = ([] as string[]).concat(services['search-attributes']!.command ?? []).join(' ');
    for (const { name, type } of SEARCH_ATTRIBUTE_DEFINITIONS) {
      const cliType = type === 'BOOL' ? 'Bool' : 'Keyword';
      assert.match(command, new RegExp(`--name ${name} --type ${cliType}\\b`));
    }
  });

  it('gives the worker an environment its schema accepts, with no unknown or missing variable', () => {
    const environment = Object.fromEntries(
      Object.entries(services.worker!.environment ?? {}).map(([key, value]) => [key, withDefaults(String(value))]),
    );
    const unknown = Object.keys(environment).filter((key) => !WORKER_ENV_KEYS.includes(key));
    assert.deepEqual(unknown, [], 'unknown worker variables');
    for (const key of REQUIRED_WORKER_ENV_KEYS) assert.ok(key in environment, `${key} is set`);
    const parsed = WorkerEnvSchema.safeParse(environment);
    assert.ok(parsed.success, parsed.success ? '' : parsed.error.message);
  });

  it('keeps secrets out of the image and the file: compose secrets from files', () => {
    assert.ok(compose.secrets.vcenter_password && compose.secrets.postgres_password);
    const dockerfile = read('Dockerfile');
    assert.doesNotMatch(dockerfile, /^(ENV|ARG)\s+.*(PASSWORD|SECRET|TOKEN)/im);
    assert.doesNotMatch(JSON.stringify(services.worker!.environment), /VMware1!|temporal\b.*PASSWORD/);
  });

  it('ships a lab whose targets file and scenario pass their schemas and agree', async () => {
    const scenario = await loadScenarioFile(path.join(root, 'deploy', 'lab', 'scenario.json'));
    // Where compose mounts the password secret, point at the file it mounts.
    const targetsText = read('deploy/lab/targets.json').replaceAll(
      '/run/secrets/vcenter_password',
      path.join(root, 'deploy', 'lab', 'vcenter-password.txt'),
    );
    const targetsFile = path.join(mkdtempSync(path.join(tmpdir(), 'lab-targets-')), 'targets.json');
    writeFileSync(targetsFile, targetsText);
    const targets = await loadTargetsFile(targetsFile, {});
    assert.deepEqual(targets.names(), Object.keys(scenario.clusters));
    for (const name of targets.names()) {
      const target = targets.get(name);
      assert.equal(target.url, `http://simulator:${scenario.clusters[name]!.port}`);
      assert.equal(target.password, scenario.password);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('builds in one stage and runs a production install as a non-root user in the final one', () => {
    assert.match(dockerfile, /^FROM node:20[\w.-]*-slim AS build$/m);
    assert.match(dockerfile, /RUN npm run build/);
    assert.match(finalStage, /npm ci --omit=dev/);
    assert.match(finalStage, /^USER node$/m);
    assert.match(finalStage, /^HEALTHCHECK /m);
    assert.match(finalStage, /^CMD \["node", "dist\/worker\.js"\]$/m);
    assert.match(finalStage, /COPY --from=build \/src\/dist \.\/dist/);
  });

  it('builds the workflow bundle as part of `npm run build`', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts.build!, /build-workflow-bundle/);
  });
});
