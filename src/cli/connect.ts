/**
 * Connects to Temporal the way the `temporal` CLI does (its connection flags over `TEMPORAL_*`
 * variables over the config-file profile, see `connection-flags.ts`) and knows where the worker
 * listens and where the Web UI is.
 */
import type { Client } from '@temporalio/client';
import { resolveConnectConfig, type ConnectionValues } from './connection-flags';
import { CliFailure, type CliIo } from './io';
import { clientSdk } from './sdk';
import type { CliSettings } from './settings';
import { startCliTracing } from './tracing';

/** A connected client plus what commands need to know about the deployment. */
export interface TemporalSession {
  client: Client;
  namespace: string;
  /** The server address, for messages. */
  address: string;
  close(): Promise<void>;
}

/** The task queue of the failover worker: `--task-queue`, else `VCHA_TASK_QUEUE`, else the default. */
export function taskQueueFrom(flag: string | undefined, settings: CliSettings): string {
  return flag || settings.taskQueue;
}

/** Link to a run's history in the Temporal Web UI (base from `VCHA_UI_URL`). */
export function webUiLink(settings: CliSettings, namespace: string, workflowId: string, runId: string): string {
  const part = encodeURIComponent;
  return `${settings.uiUrl}/namespaces/${part(namespace)}/workflows/${part(workflowId)}/${part(runId)}/history`;
}

/** Opens a connection from the flags and the environment; a failure to connect is exit code 1 with the address in the message. */
async function connect(values: ConnectionValues, settings: CliSettings): Promise<TemporalSession> {
  const [{ Client, Connection }, config] = await Promise.all([clientSdk(), resolveConnectConfig(values, settings)]);
  const namespace = config.namespace ?? 'default';
  const address = config.connectionOptions.address ?? 'localhost:7233';
  const tracing = await startCliTracing(settings);
  let connection;
  try {
    connection = await Connection.connect(config.connectionOptions);
  } catch (error) {
    await tracing?.shutdown();
    throw new CliFailure(
      `cannot connect to Temporal at ${address}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return {
    client: new Client({
      connection,
      namespace,
      ...(tracing ? { interceptors: { workflow: tracing.workflowInterceptors } } : {}),
    }),
    namespace,
    address,
    close: async () => {
      await connection.close();
      // The start span is exported before the process exits.
      await tracing?.shutdown();
    },
  };
}

/** Runs `work` with a session from the command's connection flags (`values`) and always closes it. */
export async function withSession<T>(
  io: CliIo,
  values: ConnectionValues,
  work: (session: TemporalSession) => Promise<T>,
): Promise<T> {
  const session = await connect(values, io.settings);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}
