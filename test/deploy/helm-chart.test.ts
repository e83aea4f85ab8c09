/**
 * The Helm chart (deploy/helm/vcha-failover-worker), rendered with the pinned helm: every object
 * of the default install and of the Worker Controller variant validates against the Kubernetes
 * schemas (the `kubernetes-models` packages; the TemporalWorkerDeployment against a schema written
 * from the controller's documented fields), and the objects agree with the worker: the settings
 * parse, the targets file loads with the passwords, the probes and the scrape annotation name the
 * ports the worker listens on, Kubernetes waits longer than the worker drains, and memory follows
 * the benchmark's figures.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { loadTargetsFile } from '../../src/config';
import { resolveHelm } from '../../src/devtools/helm';
import { WORKER_ENV_KEYS, workerSettingsFromEnv } from '../../src/worker/settings';

const root = path.resolve(__dirname, '..', '..');
const chart = path.join(root, 'deploy', 'helm', 'vcha-failover-worker');
const scratch = mkdtempSync(path.join(tmpdir(), 'vcha-chart-'));

/** A rendered object, loosely typed: the schemas check the shapes. */
type K8sObject = { apiVersion: string; kind: string; metadata: { name: string }; [field: string]: unknown };

/** Values an operator would give: two targets, their passwords, an audit database and an API key. */
const INSTALL_VALUES = {
  targets: {
    file: {
      policy: { forced: 'approval' },
      targets: {
        vc01: { url: 'https://vc01.example.com', username: 'svc-vcha@vsphere.local', passwordEnv: 'VC01_PASSWORD' },
        vc02: { url: 'https://vc02.example.com', username: 'svc-vcha@vsphere.local', passwordEnv: 'VC02_PASSWORD' },
      },
    },
  },
  passwords: { values: { VC01_PASSWORD: 'vc01-Pa55word!', VC02_PASSWORD: 'vc02-Pa55word!' } },
  audit: { databaseUrlSecret: { name: 'vcha-audit-db', key: 'url' } },
  temporal: { apiKeySecret: { name: 'temporal-api-key', key: 'key' } },
};

let helm: string;
before(() => {
  helm = resolveHelm();
});

function render(values: object, ...set: string[]): K8sObject[] {
  const file = path.join(scratch, `values-${Date.now()}-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify(values));
  const args = ['template', 'vcha', chart, '--values', file, ...set.flatMap((s) => ['--set', s])];
  const yaml = execFileSync(helm, args, { encoding: 'utf8' });
  return parseAllDocuments(yaml)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

function only(objects: K8sObject[], kind: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind);
  assert.equal(found.length, 1, `expected one ${kind}, got ${found.length}`);
  return found[0]!;
}

/** Validates a core object against its Kubernetes schema; throws naming the bad field. */
async function validateK8s(object: K8sObject): Promise<void> {
  const key = `${object.apiVersion}/${object.kind}`;
  switch (key) {
    case 'v1/ConfigMap':
      return new (await import('kubernetes-models/v1')).ConfigMap(object).validate();
    case 'v1/Secret':
      return new (await import('kubernetes-models/v1')).Secret(object).validate();
    case 'apps/v1/Deployment':
      return new (await import('kubernetes-models/apps/v1')).Deployment(object).validate();
    case 'policy/v1/PodDisruptionBudget':
      return new (await import('kubernetes-models/policy/v1')).PodDisruptionBudget(object).validate();
    default:
      assert.fail(`no Kubernetes schema for ${key}`);
  }
}

/** Validates a pod template against the Kubernetes PodTemplate schema. */
async function validatePodTemplate(template: unknown): Promise<void> {
  const { PodTemplate } = await import('kubernetes-models/v1');
  new PodTemplate({ metadata: { name: 'template' }, template: template as never }).validate();
}

const twdSchema = new Ajv({ allErrors: true }).compile(
  JSON.parse(readFileSync(path.join(__dirname, 'temporal-worker-deployment.schema.json'), 'utf8')) as object,
);

type Container = {
  envFrom: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  env?: { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }[];
  ports: { name: string; containerPort: number }[];
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  resources: { requests: { memory: string; cpu: string }; limits: { memory: string } };
};
type PodTemplate = {
  metadata: { labels: Record<string, string>; annotations: Record<string, string> };
  spec: { terminationGracePeriodSeconds: number; containers: Container[] };
};

function podTemplateOf(object: K8sObject): PodTemplate {
  return (object.spec as { template: PodTemplate }).template;
}

/** The worker's environment as the pod gets it from the ConfigMap. */
function configEnv(objects: K8sObject[]): Record<string, string> {
  return only(objects, 'ConfigMap').data as Record<string, string>;
}

function secretData(objects: K8sObject[], suffix: string): Record<string, string> {
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name.endsWith(suffix));
  assert.ok(secret, `no Secret named *${suffix}`);
  return secret.stringData as Record<string, string>;
}

/** The port of a host:port setting. */
const portOf = (address: string) => Number(address.slice(address.lastIndexOf(':') + 1));

describe('helm chart', () => {
  it('renders a Deployment, ConfigMap, two Secrets and a PDB, each valid against the Kubernetes schemas', async () => {
    const objects = render(INSTALL_VALUES);
    assert.deepEqual(objects.map((o) => o.kind).sort(), [
      'ConfigMap',
      'Deployment',
      'PodDisruptionBudget',
      'Secret',
      'Secret',
    ]);
    for (const object of objects) await validateK8s(object);
  });

  it('is checked by those schemas: a port given as text is rejected', async () => {
    const deployment = only(render(INSTALL_VALUES), 'Deployment');
    podTemplateOf(deployment).spec.containers[0]!.ports[0]!.containerPort = 'health' as unknown as number;
    await assert.rejects(validateK8s(deployment), /containerPort must be integer/);
  });

  it('gives the worker settings it accepts, a targets file that loads with the passwords, and credentials only from Secrets', async () => {
    const objects = render(INSTALL_VALUES);
    const env = configEnv(objects);
    for (const key of Object.keys(env)) assert.ok(WORKER_ENV_KEYS.includes(key), `${key} is no worker setting`);
    const targetsJson = secretData(objects, '-targets')['targets.json']!;
    const passwords = secretData(objects, '-passwords');
    const targetsFile = path.join(scratch, 'targets.json');
    writeFileSync(targetsFile, targetsJson);
    const settings = workerSettingsFromEnv({ ...env, ...passwords, VCHA_TARGETS_FILE: targetsFile });
    const registry = await loadTargetsFile(settings.targets.file, settings.targets.env);
    assert.deepEqual(registry.names(), ['vc01', 'vc02']);
    assert.equal(settings.taskQueue, 'vcha-failover');
    assert.equal(env.VCHA_TARGETS_FILE, '/config/targets.json');
    // No password and no key in the ConfigMap, and nothing derived from a password on the pod.
    assert.doesNotMatch(JSON.stringify(env), /Pa55word|API_KEY|DATABASE_URL/);
    const changed = render({
      ...INSTALL_VALUES,
      passwords: { values: { VC01_PASSWORD: 'other', VC02_PASSWORD: 'x' } },
    });
    assert.deepEqual(
      podTemplateOf(only(changed, 'Deployment')).metadata.annotations,
      podTemplateOf(only(objects, 'Deployment')).metadata.annotations,
    );
    const container = podTemplateOf(only(objects, 'Deployment')).spec.containers[0]!;
    assert.deepEqual(
      container.envFrom.map((from) => from.configMapRef?.name ?? from.secretRef?.name),
      ['vcha-vcha-failover-worker', 'vcha-vcha-failover-worker-passwords'],
    );
    assert.deepEqual(
      (container.env ?? []).map(({ name, valueFrom }) => [name, valueFrom.secretKeyRef.name]),
      [
        ['TEMPORAL_API_KEY', 'temporal-api-key'],
        ['VCHA_AUDIT_DATABASE_URL', 'vcha-audit-db'],
      ],
    );
  });

  it('probes the health endpoint, and annotates the metrics port, on the ports the worker listens on', () => {
    const objects = render(INSTALL_VALUES, 'health.port=8181', 'metrics.port=9595');
    const env = configEnv(objects);
    const template = podTemplateOf(only(objects, 'Deployment'));
    const container = template.spec.containers[0]!;
    const port = (name: string) => container.ports.find((p) => p.name === name)?.containerPort;
    assert.equal(container.readinessProbe.httpGet.path, '/readyz');
    assert.equal(container.livenessProbe.httpGet.path, '/livez');
    assert.equal(port(container.readinessProbe.httpGet.port), portOf(env.VCHA_HEALTH_ADDR!));
    assert.equal(port(container.livenessProbe.httpGet.port), 8181);
    assert.equal(template.metadata.annotations['prometheus.io/scrape'], 'true');
    assert.equal(template.metadata.annotations['prometheus.io/path'], '/metrics');
    assert.equal(Number(template.metadata.annotations['prometheus.io/port']), portOf(env.VCHA_METRICS_ADDR!));
    assert.equal(port('metrics'), 9595);
  });

  it('lets a stopping worker drain: the grace period is longer than VCHA_SHUTDOWN_GRACE_TIME', () => {
    for (const grace of [30, 120]) {
      const objects = render(INSTALL_VALUES, `shutdownGraceSeconds=${grace}`);
      const drain = workerSettingsFromEnv({ ...configEnv(objects), VCHA_TARGETS_FILE: 't.json' }).process;
      assert.equal(drain.shutdownGraceTimeMs, grace * 1000);
      const kill = podTemplateOf(only(objects, 'Deployment')).spec.terminationGracePeriodSeconds;
      assert.ok(kill > grace, `terminationGracePeriodSeconds ${kill} is not above the ${grace} s drain`);
    }
  });

  it('sizes memory from the benchmark: 280 MB, 1.1 MB per failover up to 100, 0.46 MB beyond; limit twice that', () => {
    const memory = (n: number) =>
      podTemplateOf(only(render(INSTALL_VALUES, `sizing.inFlightFailoversPerPod=${n}`), 'Deployment')).spec
        .containers[0]!.resources;
    // Measured (0.4.1): N = 1 277 MB, N = 100 374 to 395 MB, N = 1000 798 and 800 MB peak RSS.
    assert.deepEqual(memory(1).requests.memory, '281M');
    assert.deepEqual(memory(100).requests.memory, '390M');
    assert.deepEqual(memory(100).limits.memory, '780M');
    assert.deepEqual(memory(1000).requests.memory, '804M');
    const given = render(INSTALL_VALUES, 'resources.requests.memory=1G', 'resources.limits.memory=2G');
    assert.deepEqual(podTemplateOf(only(given, 'Deployment')).spec.containers[0]!.resources, {
      requests: { memory: '1G' },
      limits: { memory: '2G' },
    });
  });

  it("keeps a node drain from taking the last worker: the PDB selects the Deployment's pods", () => {
    const objects = render(INSTALL_VALUES);
    const pdb = only(objects, 'PodDisruptionBudget').spec as {
      minAvailable: number;
      selector: { matchLabels: Record<string, string> };
    };
    const labels = podTemplateOf(only(objects, 'Deployment')).metadata.labels;
    assert.equal(pdb.minAvailable, 1);
    for (const [key, value] of Object.entries(pdb.selector.matchLabels)) assert.equal(labels[key], value, key);
  });

  it('renders the Worker Controller variant: a valid TemporalWorkerDeployment with the gate, and no Deployment', async () => {
    const objects = render(
      INSTALL_VALUES,
      'workerController.enabled=true',
      'workerController.rollout.gate.target=vc01',
      'deploymentName=ignored-here',
    );
    assert.deepEqual(objects.map((o) => o.kind).sort(), [
      'ConfigMap',
      'PodDisruptionBudget',
      'Secret',
      'Secret',
      'TemporalWorkerDeployment',
    ]);
    for (const object of objects.filter((o) => o.kind !== 'TemporalWorkerDeployment')) await validateK8s(object);
    const twd = only(objects, 'TemporalWorkerDeployment');
    assert.ok(twdSchema(twd), JSON.stringify(twdSchema.errors));
    await validatePodTemplate(podTemplateOf(twd));
    const spec = twd.spec as { rollout: { strategy: string; gate: { workflowType: string; input: unknown } } };
    assert.equal(spec.rollout.strategy, 'Progressive');
    assert.deepEqual(spec.rollout.gate, { workflowType: 'vchaGate', input: { target: 'vc01' } });
    // The controller passes the connection and the version: the ConfigMap must not compete.
    const env = configEnv(objects);
    for (const key of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'VCHA_DEPLOYMENT_NAME', 'VCHA_BUILD_ID'])
      assert.equal(env[key], undefined, key);
    const pdb = only(objects, 'PodDisruptionBudget').spec as { selector: { matchLabels: Record<string, string> } };
    const labels = podTemplateOf(twd).metadata.labels;
    for (const [key, value] of Object.entries(pdb.selector.matchLabels)) assert.equal(labels[key], value, key);
  });

  it('is checked by the TemporalWorkerDeployment schema: a ramp of 100% and an unknown field are rejected', () => {
    const twd = only(
      render(INSTALL_VALUES, 'workerController.enabled=true', 'workerController.rollout.gate.target=vc01'),
      'TemporalWorkerDeployment',
    );
    const spec = twd.spec as { rollout: { steps: { rampPercentage: number }[] }; [key: string]: unknown };
    spec.rollout.steps[0]!.rampPercentage = 100;
    spec.rolloutStrategy = 'Progressive';
    assert.equal(twdSchema(twd), false);
    const problems = (twdSchema.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    assert.ok(problems.includes('/spec/rollout/steps/0/rampPercentage must be <= 99'), problems.join('; '));
    assert.ok(problems.includes('/spec must NOT have additional properties'), problems.join('; '));
  });

  it('refuses the Worker Controller variant with a gate but no target, saying which value to set', () => {
    const file = path.join(scratch, 'no-target.json');
    writeFileSync(file, JSON.stringify(INSTALL_VALUES));
    const result = spawnSync(
      helm,
      ['template', 'vcha', chart, '--values', file, '--set', 'workerController.enabled=true'],
      { encoding: 'utf8' },
    );
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /workerController\.rollout\.gate\.target: name the target/);
  });
});

describe('image for the chart', () => {
  const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
  const dockerfile = read('Dockerfile');
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it("ships the saved histories where the gate's replay reads them, and keeps them in the build context", () => {
    // The worker's default folder is test/histories below the project root (/app in the image).
    assert.match(finalStage, /^WORKDIR \/app$/m);
    assert.match(finalStage, /^COPY test\/histories \.\/test\/histories$/m);
    // .dockerignore: the last rule that matches a path decides, so test/histories must be re-included after test.
    const rules = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const decides = (file: string) =>
      rules.reduce<boolean>((ignored, rule) => {
        const negated = rule.startsWith('!');
        const pattern = negated ? rule.slice(1) : rule;
        return file === pattern || file.startsWith(`${pattern}/`) ? !negated : ignored;
      }, false);
    assert.equal(decides('test/histories/0.2.0/forced.json'), false);
    assert.equal(decides('test/workflows/gate.test.ts'), true);
  });

  it('listens for probes on the port it exposes', () => {
    const health = /VCHA_HEALTH_ADDR=0\.0\.0\.0:(\d+)/.exec(finalStage)?.[1];
    assert.ok(health, 'the image sets VCHA_HEALTH_ADDR');
    assert.match(finalStage, new RegExp(`^EXPOSE .*\\b${health}\\b`, 'm'));
    assert.match(finalStage, new RegExp(`127\\.0\\.0\\.1:${health}/readyz`));
  });
});
