/**
 * The worker process (`npm run worker`): reads the targets file, connects to Temporal the standard
 * way (`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, TLS and API keys, or a profile, through
 * envconfig), records outcomes in the audit store (SQLite by default, PostgreSQL by URL), serves
 * the task queue, and stops cleanly on SIGINT/SIGTERM.
 */
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection, type Logger } from '@temporalio/worker';
import { openAuditStore } from './audit';
import { loadTargetsFile } from './config';
import { vcenterRequestMetrics } from './observability/metrics';
import { installRuntime, redactorFor } from './observability/runtime';
import { installTracing } from './observability/tracing';
import { createFailoverWorker, ledgerTaskQueueFor, type FailoverWorker } from './worker/create-worker';
import { startHealthServer } from './worker/health';
import { resolveWorkflowCode } from './worker/workflow-code';
import { workerSettingsFromEnv } from './worker/settings';

/** The runtime logger with the target added to every line of that target's vCenter client. */
function withTarget(logger: Logger, target: string): Logger {
  const add = (meta?: Record<string, unknown>) => ({ ...meta, target });
  return {
    log: (level, message, meta) => {
      logger.log(level, message, add(meta));
    },
    trace: (message, meta) => {
      logger.trace(message, add(meta));
    },
    debug: (message, meta) => {
      logger.debug(message, add(meta));
    },
    info: (message, meta) => {
      logger.info(message, add(meta));
    },
    warn: (message, meta) => {
      logger.warn(message, add(meta));
    },
    error: (message, meta) => {
      logger.error(message, add(meta));
    },
  };
}

async function main(): Promise<void> {
  const settings = workerSettingsFromEnv();
  // Up before anything slow, so liveness answers (and readiness says "not ready") while connecting.
  const started: { worker?: FailoverWorker } = {};
  const health = settings.healthAddress
    ? await startHealthServer(settings.healthAddress, () => started.worker?.readiness())
    : undefined;
  const targets = await loadTargetsFile(settings.targets.file, settings.targets.env);
  const { taskQueue } = settings;
  const runtime = installRuntime(settings.runtime, redactorFor(targets));
  const recorder = await openAuditStore(settings.audit);
  const tracing = installTracing(settings.tracing);

  const { connectionOptions, namespace } = loadClientConnectConfig();
  const connection = await NativeConnection.connect(connectionOptions);
  const clientConnection = await Connection.connect(connectionOptions);
  const client = new Client({ connection: clientConnection, namespace });

  // Production runs the prebuilt bundle; a development checkout bundles the source at start.
  const code = await resolveWorkflowCode({
    configuredBundle: settings.workflowBundle,
    configuredBuildId: settings.buildId,
    versioned: settings.deploymentName !== undefined,
    distDir: __dirname,
  });
  const { buildId } = code;
  const deployment =
    settings.deploymentName !== undefined ? { deploymentName: settings.deploymentName, buildId } : undefined;
  const failoverWorker = await createFailoverWorker({
    connection,
    client,
    namespace,
    taskQueue,
    targets,
    workflowBundle: code.bundle,
    deployment,
    webhook: settings.webhook,
    recorder,
    tracing,
    clientHooks: (target) => ({
      logger: withTarget(runtime.logger, target),
      onRequest: vcenterRequestMetrics(runtime.metricMeter, target),
    }),
    workerOptions: {
      shutdownGraceTime: settings.process.shutdownGraceTimeMs,
      maxConcurrentActivityTaskExecutions: settings.process.maxConcurrentActivityTaskExecutions,
      maxConcurrentWorkflowTaskExecutions: settings.process.maxConcurrentWorkflowTaskExecutions,
      ...(settings.process.maxCachedWorkflows ? { maxCachedWorkflows: settings.process.maxCachedWorkflows } : {}),
    },
    ledgerMaxCachedWorkflows: settings.process.ledgerMaxCachedWorkflows,
  });
  started.worker = failoverWorker;
  runtime.logger.info('worker started', {
    taskQueue,
    ledgerTaskQueue: ledgerTaskQueueFor(taskQueue),
    namespace: namespace ?? 'default',
    targets: targets.names(),
    buildId,
    deployment: deployment ? `${deployment.deploymentName} (versioned, workflows pinned)` : 'unversioned',
    tracing: settings.tracing
      ? { endpoint: settings.tracing.endpoint, serviceName: settings.tracing.serviceName }
      : 'off',
    workflowCode: code.origin,
    ...(settings.versioningSource ? { versioningFrom: settings.versioningSource } : {}),
    ...(health ? { health: health.address } : {}),
    ...settings.process,
  });
  process.stderr.write(
    `vcha-failover worker: task queue ${taskQueue}, namespace ${namespace ?? 'default'}, targets ${targets.names().join(', ')}, build ${buildId}${deployment ? `, deployment ${deployment.deploymentName}` : ''}\n`,
  );
  try {
    await failoverWorker.run();
  } finally {
    await failoverWorker.close();
    await clientConnection.close();
    await connection.close();
    await health?.close();
    // The spans of the last activities and workflow tasks are exported before the process exits.
    await tracing?.shutdown();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`vcha-failover worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
