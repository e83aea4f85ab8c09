/**
 * The lab for CLI tests: the simulator and a failover worker on their own task queue, plus the
 * environment that points a `vcha-failover` process at them. The worker flushes heartbeats every
 * second (instead of 80% of the 15 s heartbeat timeout), so the live observation a follow activity
 * heartbeats reaches the server within a short simulated failover.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadTargetsFile } from '../../src/config';
import type { ClusterScenarioInput } from '../../src/simulator';
import { testEnv } from '../harness/temporal';
import { runFailoverWorker, startLab, type Lab } from '../harness/lab';

/** A lab and the environment of CLI processes that use it. */
export interface CliLab {
  lab: Lab;
  /** TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and VCHA_TASK_QUEUE for the CLI. */
  cliEnv: Record<string, string>;
}

/**
 * Starts the lab with a worker that heartbeats promptly; both stop when the test file ends.
 * `headersTimeoutMs` gives targets a short vCenter response timeout: a request the simulator
 * leaves hanging then fails soon (and is retried) instead of holding the worker's shutdown.
 */
export async function startCliLab(
  clusters: Record<string, ClusterScenarioInput>,
  options: {
    headersTimeoutMs?: Record<string, number>;
    /** Per-target policies of the targets file (the file-wide one allows forced failovers). */
    targetPolicies?: Record<string, Record<string, unknown>>;
  } = {},
): Promise<CliLab> {
  const env = await testEnv();
  const lab = await startLab({ clusters, runWorker: false, targetPolicies: options.targetPolicies });
  const file = JSON.parse(readFileSync(lab.targetsFile, 'utf8')) as { targets: Record<string, object> };
  for (const [name, headersMs] of Object.entries(options.headersTimeoutMs ?? {})) {
    file.targets[name] = { ...file.targets[name], timeouts: { headersMs } };
  }
  writeFileSync(lab.targetsFile, JSON.stringify(file, null, 2));
  await runFailoverWorker({
    taskQueue: lab.taskQueue,
    targets: await loadTargetsFile(lab.targetsFile, { ...process.env, ...lab.targetsEnv }),
    recorder: lab.recorder,
    workerOptions: { maxHeartbeatThrottleInterval: '1s' },
  });
  return {
    lab,
    cliEnv: {
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: env.namespace ?? 'default',
      VCHA_TASK_QUEUE: lab.taskQueue,
    },
  };
}
