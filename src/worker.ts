/**
 * The worker process (`npm run worker`): reads the targets file, connects to Temporal the standard
 * way (`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, TLS and API keys, or a profile, through
 * envconfig), serves the task queue, and stops cleanly on SIGINT/SIGTERM.
 */
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { loadTargetsFromEnv } from './config';
import { createFailoverWorker } from './worker/create-worker';
import { DEFAULT_TASK_QUEUE } from './workflows/contract';

async function main(): Promise<void> {
  const targets = await loadTargetsFromEnv();
  const taskQueue = process.env.VCHA_TASK_QUEUE ?? DEFAULT_TASK_QUEUE;

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
  });
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
