/**
 * docker-compose.yml and the Dockerfile, checked without a Docker engine: pinned images of the
 * supported Temporal release, every service the worker needs, the Temporal steps (schema, server
 * config template, namespace and search attributes) that the cluster tests run too, the worker's environment against its schema, and the lab's targets
 * and scenario against theirs.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadTargetsFile } from '../../src/config';
import { loadScenarioFile } from '../../src/simulator';
import { REQUIRED_WORKER_ENV_KEYS, WORKER_ENV_KEYS, WorkerEnvSchema } from '../../src/worker/settings';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../src/contract';
import { TEMPORAL_SERVER_VERSIONS } from '../../src/devtools/temporal-server';
import { composeSteps } from '../harness/compose-steps';

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
  restart?: string;
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

  it('has every service the worker needs, with a start order gated on the one-shot Temporal jobs', () => {
    for (const name of ['postgresql', 'temporal-schema', 'temporal', 'temporal-setup', 'temporal-ui', 'worker']) {
      assert.ok(services[name], `service ${name}`);
      assert.equal(services[name].profiles, undefined, `${name} runs without a profile`);
    }
    assert.deepEqual(services.simulator?.profiles, ['lab']);
    assert.ok(services.worker!.build, 'the worker is built from the Dockerfile');
    assert.equal(services['temporal-schema']!.depends_on?.postgresql?.condition, 'service_healthy');
    assert.equal(services.temporal!.depends_on?.['temporal-schema']?.condition, 'service_completed_successfully');
    assert.equal(services['temporal-setup']!.depends_on?.temporal?.condition, 'service_started');
    assert.equal(services.worker!.depends_on?.['temporal-setup']?.condition, 'service_completed_successfully');
    for (const name of ['postgresql', 'simulator']) assert.ok(services[name]!.healthcheck, `${name} health check`);
  });

  it('runs Temporal on the supported images: temporalio/server and admin-tools of one release, no older tooling', () => {
    const release = services.temporal!.image!.split(':')[1];
    assert.equal(services.temporal!.image, `temporalio/server:${release}`);
    // The image follows the newest server the tests prove (docs/temporal-versions.md).
    assert.equal(release, TEMPORAL_SERVER_VERSIONS.newest);
    for (const job of ['temporal-schema', 'temporal-setup']) {
      assert.equal(services[job]!.image, `temporalio/admin-tools:${release}`, `${job} runs the same release's tools`);
      assert.equal(services[job]!.restart, 'no', `${job} is one-shot`);
    }
  });

  it('has no trace of the deprecated all-in-one image or the retired CLI anywhere in the repository', () => {
    // Spelled in pieces so that this file does not match itself.
    const retired = new RegExp(`${'auto'}-${'setup'}|\\b${'tc'}${'tl'}\\b`, 'i');
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((file) => file !== '' && !/\.(png|ico|woff2?)$/.test(file));
    assert.ok(tracked.includes('docker-compose.yml'), 'git lists the project files');
    const hits = tracked.filter((file) => {
      try {
        return retired.test(readFileSync(path.join(root, file), 'utf8'));
      } catch {
        return false; // deleted in the work tree
      }
    });
    assert.deepEqual(hits, []);
  });

  it('starts nothing that uses Temporal before the setup job made the server ready', () => {
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

    // Every service that talks to Temporal, other than the setup job itself, waits for that job to
    // have succeeded: a worker started before the namespace exists fails and stays down.
    const clients = Object.entries(services).filter(([, s]) => s.environment?.TEMPORAL_ADDRESS);
    assert.deepEqual(clients.map(([name]) => name).sort(), ['temporal-setup', 'temporal-ui', 'worker']);
    for (const [name, service] of clients.filter(([name]) => name !== 'temporal-setup')) {
      assert.equal(
        service.depends_on?.['temporal-setup']?.condition,
        'service_completed_successfully',
        `${name} waits for the setup job`,
      );
    }
    // The setup script: a bounded wait for the CLI's health check, then the namespace (created only
    // when it is missing), then the search attributes.
    const script = read('deploy/temporal/setup-namespace.sh');
    const health = script.indexOf('temporal operator cluster health');
    const create = script.indexOf('temporal operator namespace create');
    assert.ok(health >= 0 && health < create, 'health is checked before the namespace is created');
    assert.match(script, /if ! temporal operator namespace describe --namespace "\$TEMPORAL_NAMESPACE"/);
    assert.ok(create < script.indexOf('temporal operator search-attribute create'));
    assert.match(script, /if \[ "\$i" -ge \d+ \]; then/, 'a bounded wait');
  });

  it('gives the server the project config template and a dynamic config file that turns on eager activity execution', () => {
    const steps = composeSteps();
    assert.equal(
      path.relative(root, steps.server.configTemplate),
      path.join('deploy', 'temporal', 'config_template.yaml'),
    );
    assert.match(read('deploy/temporal/config_template.yaml'), /^# enable-template$/m);
    const config = parse(readFileSync(steps.server.dynamicConfig, 'utf8')) as Record<string, { value: unknown }[]>;
    assert.deepEqual(config['system.enableActivityEagerExecution'], [{ value: true }]);
    assert.equal(path.relative(root, steps.schema.script), path.join('deploy', 'temporal', 'setup-schema.sh'));
    assert.equal(path.relative(root, steps.setup.script), path.join('deploy', 'temporal', 'setup-namespace.sh'));
  });

  it('creates the server schema with temporal-sql-tool from its built-in PostgreSQL schemas', () => {
    const script = read('deploy/temporal/setup-schema.sh');
    for (const step of ['create', 'setup-schema -v 0.0', 'update-schema --schema-name "$schema"']) {
      assert.ok(script.includes(`temporal-sql-tool --db "$db" ${step}`), step);
    }
    assert.match(script, /schema=postgresql\/v12\/temporal /);
    assert.match(script, /schema=postgresql\/v12\/visibility /);
    assert.equal(composeSteps().schema.environment.SQL_PLUGIN, 'postgres12');
  });

  it('registers exactly the search attributes the workflow upserts', () => {
    const script = read('deploy/temporal/setup-namespace.sh');
    const registered = [...script.matchAll(/--name (\w+) --type (\w+)/g)].map(([, name, type]) => `${name}:${type}`);
    const expected = SEARCH_ATTRIBUTE_DEFINITIONS.map(
      ({ name, type }) => `${name}:${type === 'BOOL' ? 'Bool' : 'Keyword'}`,
    );
    assert.deepEqual(registered.sort(), expected.sort());
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

  it('keeps ssh-keygen in the final image, which verifies signed approvals', () => {
    assert.match(finalStage, /apt-get install [^\n]*\bopenssh-client\b/);
    assert.doesNotMatch(finalStage, /apt-get purge [^\n]*openssh-client/);
  });

  it('builds the workflow bundle as part of `npm run build`', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts.build!, /build-workflow-bundle/);
  });
});
