/**
 * Worker replicas for the cluster tests: separate `src/worker.ts` processes on one task queue,
 * connected through the cluster's one address, started with whatever extra environment a test
 * needs (a deployment name, a build id), and all stopped when the test file ends.
 */
import { onTeardown } from '../harness/temporal';
import { spawnWorker, type WorkerProcess } from '../workflows/worker-process';

/** What replicas share: their queue, their targets and the server address. */
export interface ReplicaOptions {
  taskQueue: string;
  targetsFile: string;
  /** Variables for every replica (the targets' password variable, settings under test). */
  env?: Record<string, string>;
  /** The Temporal address; the test environment's (the cluster's balancer) by default. */
  address?: string;
}

/** Starts `count` replicas and resolves once every one has connected and created its worker. */
export async function startReplicas(count: number, options: ReplicaOptions): Promise<WorkerProcess[]> {
  const replicas: WorkerProcess[] = [];
  onTeardown(async () => {
    for (const replica of replicas) await replica.kill('SIGTERM');
  });
  for (let i = 0; i < count; i++) replicas.push(await spawnWorker(options));
  await Promise.all(replicas.map((replica) => replica.ready));
  return replicas;
}
