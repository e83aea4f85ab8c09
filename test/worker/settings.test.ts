/** The worker's settings: every variable parsed once, empty values unset, every bad value named. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadTargetsFile } from '../../src/config';
import { tracesUrl } from '../../src/observability/tracing';
import { workerSettingsFromEnv } from '../../src/worker/settings';
import { ScratchDir } from '../config/config-fixtures';

const scratch = new ScratchDir();
after(() => scratch.remove());

describe('worker settings', () => {
  it('load the targets from the file VCHA_TARGETS_FILE names, with passwords from the same environment', async () => {
    const file = scratch.writeJson('from-env.json', {
      targets: { a: { url: 'https://vc01.example.com', username: 'admin', passwordEnv: 'VC01_PASSWORD' } },
    });
    const settings = workerSettingsFromEnv({ VCHA_TARGETS_FILE: file, VC01_PASSWORD: 'vc01-Pa55word!' });
    const registry = await loadTargetsFile(settings.targets.file, settings.targets.env);
    assert.deepEqual(registry.names(), ['a']);
    for (const env of [{}, { VCHA_TARGETS_FILE: '' }]) {
      assert.throws(() => workerSettingsFromEnv(env), /VCHA_TARGETS_FILE: variable is not set/);
    }
  });

  it('apply the defaults, and treat empty values as unset', () => {
    const blank = {
      VCHA_TARGETS_FILE: '/etc/vcha/targets.json',
      VCHA_TASK_QUEUE: '',
      VCHA_WORKFLOW_BUNDLE: '',
      VCHA_BUILD_ID: '',
      VCHA_DEPLOYMENT_NAME: '',
      VCHA_AUDIT_DB: '',
      VCHA_AUDIT_DATABASE_URL: '',
      VCHA_AUDIT_TABLE: '',
      VCHA_METRICS_ADDR: '',
      VCHA_LOG_LEVEL: '',
      VCHA_WEBHOOK_URL: '',
      VCHA_WEBHOOK_SECRET: '',
      VCHA_SHUTDOWN_GRACE_TIME: '',
      VCHA_MAX_CONCURRENT_ACTIVITIES: '',
      VCHA_MAX_CONCURRENT_WORKFLOW_TASKS: '',
      VCHA_MAX_CACHED_WORKFLOWS: '',
      VCHA_LEDGER_MAX_CACHED_WORKFLOWS: '',
    };
    const settings = workerSettingsFromEnv(blank);
    assert.deepEqual(
      { ...settings, targets: { file: settings.targets.file } },
      {
        targets: { file: '/etc/vcha/targets.json' },
        taskQueue: 'vcha-failover',
        audit: {
          kind: 'sqlite',
          path: path.resolve(__dirname, '..', '..', '.data', 'vcha-audit.sqlite'),
          table: 'vcha_failover_outcomes',
        },
        runtime: { logLevel: 'INFO' },
        process: {
          shutdownGraceTimeMs: 30_000,
          maxConcurrentActivityTaskExecutions: 200,
          maxConcurrentWorkflowTaskExecutions: 20,
          ledgerMaxCachedWorkflows: 100,
        },
      },
    );
  });

  it('carry every configured value', () => {
    const settings = workerSettingsFromEnv({
      VCHA_TARGETS_FILE: 'targets.yaml',
      VCHA_TASK_QUEUE: 'q1',
      VCHA_WORKFLOW_BUNDLE: '/app/bundle.js',
      VCHA_BUILD_ID: 'v1.2.3',
      VCHA_DEPLOYMENT_NAME: 'vcha-failover',
      VCHA_AUDIT_DATABASE_URL: 'postgres://u:p@db/audit',
      VCHA_AUDIT_TABLE: 'audit.outcomes',
      VCHA_METRICS_ADDR: '[::1]:9464',
      VCHA_LOG_LEVEL: 'debug',
      VCHA_WEBHOOK_URL: 'https://hooks.example.com/vcha',
      VCHA_WEBHOOK_SECRET: 's3cret',
      VCHA_SHUTDOWN_GRACE_TIME: '2m',
      VCHA_MAX_CONCURRENT_ACTIVITIES: '1000',
      VCHA_MAX_CONCURRENT_WORKFLOW_TASKS: '4',
      VCHA_MAX_CACHED_WORKFLOWS: '500',
      VCHA_LEDGER_MAX_CACHED_WORKFLOWS: '40',
    });
    assert.equal(settings.taskQueue, 'q1');
    assert.equal(settings.workflowBundle, '/app/bundle.js');
    assert.equal(settings.buildId, 'v1.2.3');
    assert.equal(settings.deploymentName, 'vcha-failover');
    assert.deepEqual(settings.audit, { kind: 'postgres', url: 'postgres://u:p@db/audit', table: 'audit.outcomes' });
    assert.deepEqual(settings.runtime, { logLevel: 'DEBUG', metricsAddress: '[::1]:9464' });
    assert.deepEqual(settings.webhook, { url: 'https://hooks.example.com/vcha', secret: 's3cret' });
    assert.deepEqual(settings.process, {
      shutdownGraceTimeMs: 120_000,
      maxConcurrentActivityTaskExecutions: 1000,
      maxConcurrentWorkflowTaskExecutions: 4,
      maxCachedWorkflows: 500,
      ledgerMaxCachedWorkflows: 40,
    });
  });

  it('reject a deployment name or build id the Temporal server would refuse, naming the variable', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ VCHA_DEPLOYMENT_NAME: 'vcha.failover' }, /VCHA_DEPLOYMENT_NAME: must not contain "\." or ":"/],
      [{ VCHA_DEPLOYMENT_NAME: 'vcha:failover' }, /VCHA_DEPLOYMENT_NAME: must not contain "\." or ":"/],
      [{ VCHA_DEPLOYMENT_NAME: '__vcha' }, /VCHA_DEPLOYMENT_NAME: must not start with "__"/],
      [{ VCHA_BUILD_ID: '__internal' }, /VCHA_BUILD_ID: must not start with "__"/],
      [{ VCHA_BUILD_ID: 'v 1' }, /VCHA_BUILD_ID: must not contain whitespace/],
      [{ VCHA_BUILD_ID: 'x'.repeat(256) }, /VCHA_BUILD_ID: at most 255 characters/],
    ];
    for (const [env, message] of cases) {
      assert.throws(() => workerSettingsFromEnv({ VCHA_TARGETS_FILE: 't.json', ...env }), message);
    }
    // A build id may contain dots (release numbers); only the deployment name may not.
    assert.equal(workerSettingsFromEnv({ VCHA_TARGETS_FILE: 't.json', VCHA_BUILD_ID: '0.2.0' }).buildId, '0.2.0');
  });

  it("take the Worker Controller's TEMPORAL_DEPLOYMENT_NAME and TEMPORAL_WORKER_BUILD_ID over the VCHA_ pair", () => {
    const versioning = (env: Record<string, string>) => {
      const settings = workerSettingsFromEnv({ VCHA_TARGETS_FILE: 't.json', ...env });
      return [settings.deploymentName, settings.buildId, settings.versioningSource];
    };
    const controller = { deploymentName: 'TEMPORAL_DEPLOYMENT_NAME', buildId: 'TEMPORAL_WORKER_BUILD_ID' };
    const own = { VCHA_DEPLOYMENT_NAME: 'vcha-failover', VCHA_BUILD_ID: '0.2.0' };
    assert.deepEqual(
      versioning({
        ...own,
        TEMPORAL_DEPLOYMENT_NAME: 'vcha-failover/platform',
        TEMPORAL_WORKER_BUILD_ID: '0.2.0-5d8f',
      }),
      ['vcha-failover/platform', '0.2.0-5d8f', controller],
    );
    // Each variable on its own; an empty controller variable leaves the VCHA_ one in charge.
    assert.deepEqual(versioning({ ...own, TEMPORAL_DEPLOYMENT_NAME: '', TEMPORAL_WORKER_BUILD_ID: 'b1' }), [
      'vcha-failover',
      'b1',
      { deploymentName: 'VCHA_DEPLOYMENT_NAME', buildId: 'TEMPORAL_WORKER_BUILD_ID' },
    ]);
    assert.throws(
      () => workerSettingsFromEnv({ VCHA_TARGETS_FILE: 't.json', TEMPORAL_DEPLOYMENT_NAME: 'vcha.failover' }),
      /TEMPORAL_DEPLOYMENT_NAME: must not contain "\." or ":"/,
    );
  });

  it('read the health endpoint address from VCHA_HEALTH_ADDR, rejecting one without a port', () => {
    const env = { VCHA_TARGETS_FILE: 't.json' };
    assert.equal(workerSettingsFromEnv(env).healthAddress, undefined);
    assert.equal(workerSettingsFromEnv({ ...env, VCHA_HEALTH_ADDR: '0.0.0.0:8080' }).healthAddress, '0.0.0.0:8080');
    assert.throws(
      () => workerSettingsFromEnv({ ...env, VCHA_HEALTH_ADDR: 'localhost' }),
      /VCHA_HEALTH_ADDR: expected host:port/,
    );
  });

  it('refuse a ledger cache smaller than the SDK allows, naming the variable', () => {
    assert.throws(
      () => workerSettingsFromEnv({ VCHA_TARGETS_FILE: 't.json', VCHA_LEDGER_MAX_CACHED_WORKFLOWS: '1' }),
      /VCHA_LEDGER_MAX_CACHED_WORKFLOWS must be at least 2/,
    );
    const two = workerSettingsFromEnv({ VCHA_TARGETS_FILE: 't.json', VCHA_LEDGER_MAX_CACHED_WORKFLOWS: '2' });
    assert.equal(two.process.ledgerMaxCachedWorkflows, 2);
  });

  it('name every bad variable in one error', () => {
    assert.throws(
      () =>
        workerSettingsFromEnv({
          VCHA_TARGETS_FILE: 't.json',
          VCHA_LOG_LEVEL: 'LOUD',
          VCHA_METRICS_ADDR: 'localhost',
          VCHA_WEBHOOK_URL: 'ftp://example.com',
          VCHA_SHUTDOWN_GRACE_TIME: 'soon',
          VCHA_MAX_CONCURRENT_ACTIVITIES: '0',
          VCHA_LEDGER_MAX_CACHED_WORKFLOWS: 'all',
          OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        }),
      (error: Error) => {
        for (const name of [
          'VCHA_LOG_LEVEL',
          'VCHA_METRICS_ADDR',
          'VCHA_WEBHOOK_URL',
          'VCHA_SHUTDOWN_GRACE_TIME',
          'VCHA_MAX_CONCURRENT_ACTIVITIES',
          'VCHA_LEDGER_MAX_CACHED_WORKFLOWS',
          'OTEL_EXPORTER_OTLP_ENDPOINT',
        ]) {
          assert.match(error.message, new RegExp(name));
        }
        return true;
      },
    );
  });

  it('trace only when OTEL_EXPORTER_OTLP_ENDPOINT is set, under OTEL_SERVICE_NAME or the default name', () => {
    const off = workerSettingsFromEnv({
      VCHA_TARGETS_FILE: 't.json',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      OTEL_SERVICE_NAME: 'x',
    });
    assert.equal(off.tracing, undefined);
    const on = workerSettingsFromEnv({
      VCHA_TARGETS_FILE: 't.json',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_SERVICE_NAME: '',
    });
    assert.deepEqual(on.tracing, { endpoint: 'http://collector:4318', serviceName: 'vcha-failover-worker' });
    const named = workerSettingsFromEnv({
      VCHA_TARGETS_FILE: 't.json',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com/',
      OTEL_SERVICE_NAME: 'vcha-prod',
    });
    assert.deepEqual(named.tracing, { endpoint: 'https://otel.example.com/', serviceName: 'vcha-prod' });
    assert.equal(tracesUrl('https://otel.example.com/'), 'https://otel.example.com/v1/traces');
  });
});
