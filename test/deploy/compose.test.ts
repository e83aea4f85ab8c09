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
      assert.match(service.image, /^[a-z0-9./-]+:[0-9][\w.-]*$/, `${name}: ${service.image} is pinned`);
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
