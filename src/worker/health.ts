/**
 * The worker's health endpoint for Kubernetes probes (`VCHA_HEALTH_ADDR`):
 *
 * - `GET /livez`: 200 whenever the process's event loop answers. A wedged loop cannot answer, so
 *   the probe times out and the kubelet restarts the container; nothing else is checked, because
 *   a restart cures nothing else.
 * - `GET /readyz`: 200 only while the worker is connected to Temporal and polling its task queue
 *   (the SDK's run state `RUNNING`, its workflow and activity pollers `POLLING`); 503 before that
 *   (connecting, loading the workflow code) and once it starts draining on SIGTERM, so no rollout
 *   counts a pod that does no work.
 *
 * Both answer a small JSON body naming the state, for a person running curl.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkerStatus } from '@temporalio/worker';

/** The liveness path. */
export const LIVENESS_PATH = '/livez';
/** The readiness path. */
export const READINESS_PATH = '/readyz';

/** The part of the worker's status readiness depends on. */
export type ReadinessStatus = Pick<WorkerStatus, 'runState' | 'workflowPollerState' | 'activityPollerState'>;

/** What the endpoint asks the worker: its status, or undefined before the worker exists. */
export type WorkerStatusSource = () => ReadinessStatus | undefined;

/** Whether a worker with this status polls its task queue. */
export function isReady(status: ReadinessStatus | undefined): boolean {
  return (
    status?.runState === 'RUNNING' &&
    status.workflowPollerState === 'POLLING' &&
    status.activityPollerState === 'POLLING'
  );
}

/** A listening health endpoint. */
export interface HealthServer {
  /** The bound address as host:port (the port chosen when the setting asked for port 0). */
  address: string;
  close(): Promise<void>;
}

/** Splits `host:port` or `[v6]:port`. */
function hostAndPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(at + 1)) };
}

/** Starts the endpoint on `address` (host:port); resolves once it listens. */
export async function startHealthServer(address: string, workerStatus: WorkerStatusSource): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    const reply = (status: number, body: Record<string, unknown>) => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(`${JSON.stringify(body)}\n`);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, { error: 'use GET' });
    if (path === LIVENESS_PATH) return reply(200, { status: 'live' });
    if (path === READINESS_PATH) {
      const status = workerStatus();
      const state = status
        ? {
            runState: status.runState,
            workflowPollerState: status.workflowPollerState,
            activityPollerState: status.activityPollerState,
          }
        : { runState: 'STARTING' };
      return isReady(status)
        ? reply(200, { status: 'ready', ...state })
        : reply(503, { status: 'not ready', ...state });
    }
    return reply(404, { error: `unknown path; use ${LIVENESS_PATH} or ${READINESS_PATH}` });
  });
  const { host, port } = hostAndPort(address);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`VCHA_HEALTH_ADDR ${address}: ${error.message}`)));
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  return {
    address: bound.family === 'IPv6' ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
