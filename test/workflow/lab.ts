/**
 * A test lab: the vCenter simulator with some clusters, a targets file pointing at it, and a
 * failover worker on the shared Temporal dev server with its own task queue.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { loadTargetsFile, type TargetRegistry } from '../../src/config';
import { startSimulator, type ClusterScenarioInput, type Simulator, type SimTiming } from '../../src/simulator';
import type { OutcomeRecord, OutcomeRecorder, WebhookConfig } from '../../src/activities';
import { createFailoverWorker, type FailoverWorker } from '../../src/worker/create-worker';
import type { VchaFailoverWorkflow, VchaFailoverInput } from '../../src/contract';
import { onTeardown, testEnv, uniqueTaskQueue, workflowBundle } from '../harness/temporal';

/** Simulated durations that keep a whole failover within a few seconds. */
export const FAST_TIMING: Partial<SimTiming> = {
  taskStartMs: 200,
  flushMs: 1_500,
  switchOutageMs: 2_500,
  resyncMs: 1_500,
  refusalTaskMs: 300,
  modeChangeMs: 300,
};

/** A cluster member for a scenario: its VCHA address, role and state. */
export function member(haIp: string, role: 'ACTIVE' | 'PASSIVE' | 'WITNESS', state: 'UP' | 'DOWN' = 'UP') {
  return { haIp, role, state };
}

/** Records outcomes in memory so tests can read them. */
export class MemoryRecorder implements OutcomeRecorder {
  readonly records: OutcomeRecord[] = [];
  private failures = 0;
  /** How many record calls were made, failed ones included. */
  calls = 0;

  /** Makes the next `count` record calls fail, like a store that is down. */
  failNext(count: number): void {
    this.failures = count;
  }

  record(outcome: OutcomeRecord): Promise<void> {
    this.calls += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('outcome store unavailable'));
    }
    const index = this.records.findIndex((r) => r.workflowId === outcome.workflowId && r.runId === outcome.runId);
    if (index >= 0) this.records[index] = outcome;
    else this.records.push(outcome);
    return Promise.resolve();
  }
}

/** Writes a targets file for the simulator's clusters and loads it. */
export async function targetsFor(
  sim: Simulator,
  options: {
    username?: string;
    password?: string;
    extraTargets?: Record<string, unknown>;
    /** The client's timeouts for every target (the defaults are 10 s, 30 s, 30 s). */
    timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
    /** The file-wide policy (default: forced failovers allowed, since most tests are about something else). */
    policy?: Record<string, unknown>;
    /** Per-target policies by cluster name. */
    targetPolicies?: Record<string, Record<string, unknown>>;
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
    };
  }
  Object.assign(targets, options.extraTargets);
  const file = path.join(dir, 'targets.json');
  const policy = options.policy ?? { forced: 'allow' };
  writeFileSync(file, JSON.stringify({ policy, targets }, null, 2));
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
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
  /** The targets file's file-wide and per-target policies (see {@link targetsFor}). */
  policy?: Record<string, unknown>;
  targetPolicies?: Record<string, Record<string, unknown>>;
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
  });
  const taskQueue = options.taskQueue ?? uniqueTaskQueue('failover');
  const recorder = new MemoryRecorder();
  let failoverWorker: FailoverWorker | undefined;
  let running: Promise<void> | undefined;
  if (options.runWorker ?? true) {
    failoverWorker = await createFailoverWorker({
      connection: env.nativeConnection,
      client: env.client,
      taskQueue,
      targets: targets.registry,
      recorder,
      webhook: options.webhook,
      workflowBundle: await workflowBundle(),
    });
    running = failoverWorker.worker.run();
  }
  onTeardown(async () => {
    failoverWorker?.worker.shutdown();
    await running;
    await failoverWorker?.close();
    await sim.close();
  });
  return {
    sim,
    taskQueue,
    recorder,
    targetsFile: targets.file,
    targetsEnv: targets.env,
    start: (input, workflowId, queue) =>
      env.client.workflow.start<VchaFailoverWorkflow>('vchaFailover', {
        taskQueue: queue ?? taskQueue,
        workflowId: workflowId ?? `failover-test-${process.pid}-${++sequence}-${Date.now()}`,
        args: [input as VchaFailoverInput],
      }),
    failoverPosts: (cluster) => sim.counters(cluster).failoverPosts,
  };
}
