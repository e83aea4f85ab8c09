/**
 * The worker process (`npm run worker`): reads the targets file, connects to Temporal the standard
 * way (`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, TLS and API keys, or a profile, through
 * envconfig), records outcomes in the audit store (SQLite by default, PostgreSQL by URL), serves
 * the task queue, and stops cleanly on SIGINT/SIGTERM.
 */
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection, type Logger } from '@temporalio/worker';
import { webhookFromEnv } from './activities';
import { openAuditStore } from './audit';
import { loadTargetsFromEnv } from './config';
import { vcenterRequestMetrics } from './observability/metrics';
import { installRuntime, redactorFor, runtimeSettingsFromEnv } from './observability/runtime';
import { createFailoverWorker } from './worker/create-worker';
import { DEFAULT_TASK_QUEUE } from './workflows/contract';

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
  const targets = await loadTargetsFromEnv();
  const taskQueue = process.env.VCHA_TASK_QUEUE ?? DEFAULT_TASK_QUEUE;
  const runtime = installRuntime(runtimeSettingsFromEnv(), redactorFor(targets));
  const recorder = await openAuditStore();

  const { connectionOptions, namespace } = loadClientConnectConfig();
  const connection = await NativeConnection.connect(connectionOptions);
  const clientConnection = await Connection.connect(connectionOptions);
  const client = new Client({ connection: clientConnection, namespace });

  const bundlePath = process.env.VCHA_WORKFLOW_BUNDLE;
  const failoverWorker = await createFailoverWorker({
    connection,
    client,
    namespace,
    taskQueue,
    targets,
    workflowBundle: bundlePath ? { codePath: bundlePath } : undefined,
    webhook: webhookFromEnv(),
    recorder,
    clientHooks: (target) => ({
      logger: withTarget(runtime.logger, target),
      onRequest: vcenterRequestMetrics(runtime.metricMeter, target),
    }),
  });
  runtime.logger.info('worker started', { taskQueue, namespace: namespace ?? 'default', targets: targets.names() });
  process.stderr.write(
    `vcha-failover worker: task queue ${taskQueue}, namespace ${namespace ?? 'default'}, targets ${targets.names().join(', ')}\n`,
  );
  try {
    await failoverWorker.worker.run();
  } finally {
    await failoverWorker.close();
    await clientConnection.close();
    await connection.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`vcha-failover worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
