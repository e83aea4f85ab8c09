/**
 * The test lab every test that runs real failovers uses: the vCenter simulator with some
 * clusters, a targets file pointing at it, and a failover worker (started only by
 * {@link runFailoverWorker}) on the shared Temporal dev server with its own task queue.
 */
import { randomInt } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { loadTargetsFile, type TargetRegistry } from '../../src/config';
import { startSimulator, type ClusterScenarioInput, type Simulator, type SimTiming } from '../../src/simulator';
import type { WebhookConfig } from '../../src/activities';
import { createFailoverWorker, type FailoverWorker, type FailoverWorkerOptions } from '../../src/worker/create-worker';
import {
  clusterIdentityOf,
  clusterLedgerWorkflowId,
  WORKFLOW_TYPES,
  type VchaFailoverWorkflow,
  type VchaFailoverInput,
} from '../../src/contract';
import { MemoryRecorder } from './recorder';
import { onTeardown, testEnv, uniqueTaskQueue, workflowBundle } from './temporal';

/** Simulated durations that keep a whole failover within a few seconds. */
export const FAST_TIMING: Partial<SimTiming> = {
  taskStartMs: 200,
  flushMs: 1_500,
  switchOutageMs: 2_500,
  resyncMs: 1_500,
  refusalTaskMs: 300,
  modeChangeMs: 300,
  // The new active node's services (eight start after the API: 1.6 s) and its first appliance
  // health check come within the stability period, as on a vCenter that is ready when the cluster is.
  serviceStartMs: 200,
  healthCheckMs: 1_000,
};

/**
 * This test process's VCHA network: the worker keys each cluster's lock and send ledger by its
 * members' `ha_ip`, and the ledger outlives the test file that started it on the shared dev server.
 * Two test files writing the same addresses would share (and wait on) one ledger, so each process
 * moves the addresses its scenarios write (`10.X.0.Z`) into a network of its own.
 */
const PROCESS_HA_NETWORK = { first: 11 + randomInt(240), third: randomInt(256) };

/** The address a scenario's `10.X.0.Z` becomes in this process (what the worker and the records see). */
export function ha(address: string): string {
  const octets = address.split('.');
  if (octets.length !== 4 || octets[0] !== '10' || octets[2] !== '0')
    throw new Error(`ha() takes 10.X.0.Z, got ${address}`);
  return `${PROCESS_HA_NETWORK.first}.${octets[1]}.${PROCESS_HA_NETWORK.third}.${octets[3]}`;
}

/** {@link ha}'s address as a regular-expression fragment, for assertions on messages. */
export function haRe(address: string): string {
  return ha(address).replace(/\./g, '\\.');
}

/** A cluster member for a scenario: its VCHA address (`10.X.0.Z`, moved by {@link ha}), role and state. */
export function member(haIp: string, role: 'ACTIVE' | 'PASSIVE' | 'WITNESS', state: 'UP' | 'DOWN' = 'UP') {
  return { haIp: ha(haIp), role, state };
}

/** The workflow id of a simulated cluster's ledger: its identity, as the worker reads it from vCenter. */
export function ledgerIdOf(sim: Simulator, cluster: string): string {
  const { members } = sim.cluster(cluster).snapshot();
  return clusterLedgerWorkflowId(clusterIdentityOf([members.node1.haIp, members.node2.haIp, members.witness.haIp])!);
}

/** A healthy three-node cluster for a scenario, its addresses 10.<n>.0.1–3 (moved by {@link ha}): node1 ACTIVE, node2 PASSIVE. */
export function healthyNodes(n: number) {
  return {
    node1: member(`10.${n}.0.1`, 'ACTIVE'),
    node2: member(`10.${n}.0.2`, 'PASSIVE'),
    witness: member(`10.${n}.0.3`, 'WITNESS'),
  };
}

/**
 * Starts a failover worker with the shared workflow bundle and runs it until `stopWith` runs its
 * stop (by default the test file's teardown): the one way tests start the product's worker.
 * Connection and client default to the shared dev server's.
 */
export async function runFailoverWorker(
  options: Omit<FailoverWorkerOptions, 'connection' | 'client' | 'workflowBundle'> &
    Partial<Pick<FailoverWorkerOptions, 'connection' | 'client'>>,
  stopWith: (stop: () => Promise<void>) => void = onTeardown,
): Promise<FailoverWorker> {
  const env = options.connection && options.client ? undefined : await testEnv();
  const failoverWorker = await createFailoverWorker({
    ...options,
    connection: options.connection ?? env!.nativeConnection,
    client: options.client ?? env!.client,
    workflowBundle: await workflowBundle(),
  });
  const running = failoverWorker.run();
  stopWith(async () => {
    failoverWorker.shutdown();
    await running;
    await failoverWorker.close();
  });
  return failoverWorker;
}

/** Writes a targets file for the simulator's clusters and loads it. */
export async function targetsFor(
  sim: Simulator,
  options: {
    username?: string;
    password?: string;
    extraTargets?: Record<string, unknown>;
    /** The client's timeouts for every target (the defaults are 10 s, 30 s, 30 s, and 60 s in all). */
    timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number; totalMs?: number };
    /** The file-wide policy (default: forced failovers allowed, since most tests are about something else). */
    policy?: Record<string, unknown>;
    /** Per-target policies by cluster name. */
    targetPolicies?: Record<string, Record<string, unknown>>;
    /** The file's `allowedSignersFile` (signed approvals). */
    allowedSignersFile?: string;
    /** Per-target `nodes` (node to URL) by cluster name. */
    targetNodes?: Record<string, Record<string, string>>;
  } = {},
): Promise<{ file: string; registry: TargetRegistry; env: Record<string, string> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vcha-targets-'));
  const targets: Record<string, unknown> = {};
  for (const name of sim.clusterNames()) {
    targets[name] = {
      url: sim.urlFor(name),
      username: options.username ?? sim.username,
      passwordEnv: 'VCHA_LAB_PASSWORD',
      ...(options.timeouts ? { timeouts: options.timeouts } : {}),
      ...(options.targetPolicies?.[name] ? { policy: options.targetPolicies[name] } : {}),
      ...(options.targetNodes?.[name] ? { nodes: options.targetNodes[name] } : {}),
    };
  }
  Object.assign(targets, options.extraTargets);
  const file = path.join(dir, 'targets.json');
  const policy = options.policy ?? { forced: 'allow' };
  const signers = options.allowedSignersFile ? { allowedSignersFile: options.allowedSignersFile } : {};
  writeFileSync(file, JSON.stringify({ policy, ...signers, targets }, null, 2));
  const env = { VCHA_LAB_PASSWORD: options.password ?? sim.password };
  return { file, registry: await loadTargetsFile(file, { ...process.env, ...env }), env };
}

/** A running lab. */
export interface Lab {
  sim: Simulator;
  taskQueue: string;
  recorder: MemoryRecorder;
  targetsFile: string;
  targetsEnv: Record<string, string>;
  start(
    input: VchaFailoverInput | Record<string, unknown>,
    workflowId?: string,
    taskQueue?: string,
  ): Promise<WorkflowHandle<VchaFailoverWorkflow>>;
  failoverPosts(cluster: string): number;
}

let sequence = 0;

/** Starts a lab whose worker runs until the test file ends. */
export async function startLab(options: {
  clusters: Record<string, ClusterScenarioInput>;
  timing?: Partial<SimTiming>;
  username?: string;
  users?: Record<string, { password: string; privileges?: string[] }>;
  runWorker?: boolean;
  webhook?: WebhookConfig;
  /** Serve this task queue instead of a unique one (only one test file may use a given name). */
  taskQueue?: string;
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number; totalMs?: number };
  /** The targets file's file-wide and per-target policies (see {@link targetsFor}). */
  policy?: Record<string, unknown>;
  targetPolicies?: Record<string, Record<string, unknown>>;
  allowedSignersFile?: string;
  /** More targets, each another name of a cluster: target name to cluster name (its first alias address). */
  aliasTargets?: Record<string, string>;
  /** Per-target `nodes` of the targets file by cluster name, given the simulator (its ports are known once it runs). */
  targetNodes?: (sim: Simulator) => Record<string, Record<string, string>>;
}): Promise<Lab> {
  const env = await testEnv();
  const sim = await startSimulator({
    clusters: options.clusters,
    timing: { ...FAST_TIMING, ...options.timing },
    users: options.users,
  });
  const targets = await targetsFor(sim, {
    username: options.username,
    password: options.users?.[options.username ?? '']?.password,
    timeouts: options.timeouts,
    policy: options.policy,
    targetPolicies: options.targetPolicies,
    allowedSignersFile: options.allowedSignersFile,
    ...(options.targetNodes ? { targetNodes: options.targetNodes(sim) } : {}),
    extraTargets: Object.fromEntries(
      Object.entries(options.aliasTargets ?? {}).map(([alias, cluster]) => [
        alias,
        { url: sim.aliasUrlsFor(cluster)[0], username: sim.username, passwordEnv: 'VCHA_LAB_PASSWORD' },
      ]),
    ),
  });
  const taskQueue = options.taskQueue ?? uniqueTaskQueue('failover');
  const recorder = new MemoryRecorder();
  onTeardown(() => sim.close());
  if (options.runWorker ?? true) {
    await runFailoverWorker({ taskQueue, targets: targets.registry, recorder, webhook: options.webhook });
  }
  return {
    sim,
    taskQueue,
    recorder,
    targetsFile: targets.file,
    targetsEnv: targets.env,
    start: (input, workflowId, queue) =>
      env.client.workflow.start<VchaFailoverWorkflow>(WORKFLOW_TYPES.failover, {
        taskQueue: queue ?? taskQueue,
        workflowId: workflowId ?? `failover-test-${process.pid}-${++sequence}-${Date.now()}`,
        args: [input as VchaFailoverInput],
      }),
    failoverPosts: (cluster) => sim.counters(cluster).failoverPosts,
  };
}
