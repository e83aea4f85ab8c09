/**
 * Assembles the failover worker from its parts: Temporal connections, the targets registry, the
 * vCenter client cache and the outcome recorder. Used by `src/worker.ts` and by tests.
 */
import type { Client } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import path from 'node:path';
import {
  bundleWorkflowCode,
  Worker,
  type BundleOptions,
  type NativeConnection,
  type WorkerOptions,
} from '@temporalio/worker';
import { createActivities, VcenterClientCache, type WebhookConfig } from '../activities';
import type { OutcomeRecorder } from '../contract';
import type { ClientHooks } from '../activities/vcenter-clients';
import type { TargetRegistry } from '../config';
import { projectRoot } from '../paths';
import { DEFAULT_LEDGER_MAX_CACHED_WORKFLOWS } from './settings';
import { targetLogInterceptor } from '../observability/activity-log-interceptor';
import type { Tracing } from '../observability/tracing';
import { vchaNexusServiceHandler } from '../nexus/vcha-service';
import type { ReadinessStatus } from './health';
import { tracingActivityInterceptors, workflowSpanSinks } from '../observability/worker-tracing';

/** Workflow interceptor modules: registered on the worker and baked into every prebuilt bundle. */
const WORKFLOW_INTERCEPTOR_MODULES: readonly string[] = [
  require.resolve('../workflows/log-interceptors'),
  require.resolve('../workflows/tracing-interceptors'),
];

/**
 * Modules the reusable V8 context evaluates once, when it starts, and shares frozen between runs:
 * the product's workflows (with the contract and domain modules they import) and the interceptors.
 * Any other module is evaluated again for every run and kept while the run is cached, which at
 * 1000 cached runs cost hundreds of MB. Sharing is safe because these modules keep no state at
 * module scope (a lint rule forbids `let` and `var` there): a run's state lives in its own objects.
 */
export const WORKFLOW_PRELOAD_MODULES: readonly string[] = [
  require.resolve('../workflows'),
  ...WORKFLOW_INTERCEPTOR_MODULES,
];

/**
 * How every bundle of workflow code is built: the entry, its interceptors and the shared modules.
 * Its source map keeps the lines of the TypeScript sources, for workflow stack traces, but not
 * the sources themselves: the worker parses the map in every thread that runs workflows, and the
 * sources tripled the bundle (4.1 MB) for a view (`showStackTraceSources`) the worker leaves off.
 */
export function workflowBundleOptions(
  workflowsPath: string,
): Pick<BundleOptions, 'workflowsPath' | 'workflowInterceptorModules' | 'preloadModules' | 'webpackConfigHook'> {
  return {
    workflowsPath,
    workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES],
    preloadModules: [...WORKFLOW_PRELOAD_MODULES],
    webpackConfigHook: (config) => ({ ...config, devtool: 'inline-nosources-cheap-module-source-map' }),
  };
}

/** Everything a failover worker needs. */
export interface FailoverWorkerOptions {
  connection: NativeConnection;
  /** Client on the same cluster, used to name the holder of a busy target. */
  client: Client;
  namespace?: string;
  taskQueue: string;
  targets: TargetRegistry;
  /** Where finished runs are recorded (the audit store in production). */
  recorder: OutcomeRecorder;
  /** Completion webhook; none when omitted. */
  webhook?: WebhookConfig;
  clientHooks?: ClientHooks | ((target: string) => ClientHooks);
  /** Prebuilt workflow bundle; without it the workflows are bundled from source at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /**
   * The Worker Deployment version this worker serves; unversioned when omitted. With it, every
   * workflow the worker runs is PINNED to this version: see {@link deploymentOptions}.
   */
  deployment?: WorkerDeploymentVersion;
  /** OpenTelemetry tracing of workflows and activities; off when omitted. */
  tracing?: Tracing;
  /** The saved histories the gate replays; `test/histories` of the checkout (or image) by default. */
  historiesDir?: string;
  /** Extra worker options (concurrency limits, shutdown grace time, build id...), for both workers. */
  workerOptions?: Partial<WorkerOptions>;
  /** The ledgers' worker's cache size; {@link DEFAULT_LEDGER_MAX_CACHED_WORKFLOWS} when omitted. */
  ledgerMaxCachedWorkflows?: number;
}

/**
 * Worker Deployment Versioning for a versioned worker. PINNED is the worker-level default rather
 * than a per-workflow annotation, so it covers every workflow type the worker registers
 * (`vchaFailover`, `vchaMaintenance`, `fleetFailover`, the `vchaTargetLock` child, and any
 * workflow added later) without anyone remembering to annotate it: a run, and the children
 * it starts, finishes on the build that started it, however long it takes, and a new build only
 * takes runs started after it became the deployment's current version. AUTO_UPGRADE would move
 * a failover mid-outage onto code that may not replay its history.
 */
export function deploymentOptions(version: WorkerDeploymentVersion): WorkerOptions['workerDeploymentOptions'] {
  return { useWorkerVersioning: true, version, defaultVersioningBehavior: 'PINNED' };
}

/**
 * The task queue of the clusters' ledgers (`vchaClusterLedger`) for a worker on `taskQueue`. The
 * ledgers get their own queue and their own worker in the same process because failover and
 * maintenance runs reach them from local activities, which keep the run's workflow task, and its
 * slot, until the ledger answers: with the ledgers on the runs' queue, as many runs waiting as
 * there are slots would leave no slot for the ledger that has to answer them, and every run would
 * wait for its local activity's timeout.
 */
export function ledgerTaskQueueFor(taskQueue: string): string {
  return `${taskQueue}-ledger`;
}

/**
 * The process's two workers and the resources to release after they stop: `worker` runs the
 * failover, maintenance, fleet and gate workflows and every activity on the configured task queue;
 * `ledgerWorker` runs only the clusters' ledgers on {@link ledgerTaskQueueFor}'s queue.
 */
export interface FailoverWorker {
  worker: Worker;
  ledgerWorker: Worker;
  clients: VcenterClientCache;
  /** Runs both workers until both have stopped; when one fails, stops the other and rethrows. */
  run(): Promise<void>;
  /** Asks both workers to stop (graceful: running activities get the shutdown grace time). */
  shutdown(): void;
  /** What readiness depends on, over both workers: ready only while both poll. */
  readiness(): ReadinessStatus;
  /** Closes vCenter sessions and the recorder; call after `run()` resolves. */
  close(): Promise<void>;
}

/**
 * The code the worker runs, as replay takes it: the prebuilt bundle, or the source bundled the way
 * the worker bundles it (same entry, same interceptor modules).
 */
async function workflowCodeFor(
  bundle: WorkerOptions['workflowBundle'],
): Promise<NonNullable<WorkerOptions['workflowBundle']>> {
  if (bundle) return bundle;
  const { code } = await bundleWorkflowCode(workflowBundleOptions(require.resolve('../workflows')));
  return { code };
}

/** Stops a worker that is still running; a worker that stopped or failed is left as it is. */
function shutdownIfRunning(worker: Worker): void {
  if (worker.getState() === 'RUNNING') worker.shutdown();
}

/** Creates (but does not run) the process's workers. */
export async function createFailoverWorker(options: FailoverWorkerOptions): Promise<FailoverWorker> {
  const clients = new VcenterClientCache(options.targets, options.clientHooks);
  const { recorder } = options;
  const ledgerTaskQueue = ledgerTaskQueueFor(options.taskQueue);
  // Both workers and the gate's replay run the same code, bundled once.
  const workflowCode = workflowCodeFor(options.workflowBundle);
  const activities = createActivities({
    clientFor: (name) => clients.get(name),
    addresses: clients,
    policyFor: (name) => options.targets.get(name).policy,
    ...(options.targets.allowedSignersFile ? { allowedSignersFile: options.targets.allowedSignersFile } : {}),
    targetNames: () => options.targets.names(),
    temporal: options.client,
    versionedDeployment: options.deployment !== undefined,
    ledgerTaskQueue,
    recorder,
    webhook: options.webhook,
    replay: {
      historiesDir: options.historiesDir ?? path.join(projectRoot(), 'test', 'histories'),
      workflowCode: () => workflowCode,
    },
  });
  const activityInterceptors = [targetLogInterceptor, ...tracingActivityInterceptors(options.tracing)];
  const common = {
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    // The bundle carries its workflow interceptors (see WORKFLOW_INTERCEPTOR_MODULES).
    workflowBundle: await workflowCode,
    sinks: workflowSpanSinks(options.tracing),
    ...(options.deployment ? { workerDeploymentOptions: deploymentOptions(options.deployment) } : {}),
  } satisfies Partial<WorkerOptions>;
  const worker = await Worker.create({
    ...common,
    taskQueue: options.taskQueue,
    activities,
    nexusServices: [vchaNexusServiceHandler()],
    interceptors: { activity: activityInterceptors },
    // The live observation the CLI and the Web UI show comes from heartbeats; without this they
    // would reach the server only every 0.8 x the heartbeat timeout (12 s).
    maxHeartbeatThrottleInterval: '5s',
    ...options.workerOptions,
  });
  const ledgerCache = options.ledgerMaxCachedWorkflows ?? DEFAULT_LEDGER_MAX_CACHED_WORKFLOWS;
  const ledgerWorker = await Worker.create({
    ...common,
    taskQueue: ledgerTaskQueue,
    ...options.workerOptions,
    maxCachedWorkflows: ledgerCache,
    // The SDK allows no more task slots than cached workflows (and says so in a warning).
    ...(options.workerOptions?.maxConcurrentWorkflowTaskExecutions !== undefined
      ? {
          maxConcurrentWorkflowTaskExecutions: Math.min(
            options.workerOptions.maxConcurrentWorkflowTaskExecutions,
            ledgerCache,
          ),
        }
      : {}),
  });
  const workers = [worker, ledgerWorker];
  return {
    worker,
    ledgerWorker,
    clients,
    run: async () => {
      const runs = workers.map((each) => each.run());
      try {
        await Promise.all(runs);
      } catch (error) {
        workers.forEach(shutdownIfRunning);
        await Promise.allSettled(runs);
        throw error;
      }
    },
    shutdown: () => workers.forEach(shutdownIfRunning),
    readiness: () => {
      const main = worker.getStatus();
      const ledgers = ledgerWorker.getStatus();
      return {
        runState: ledgers.runState === 'RUNNING' ? main.runState : ledgers.runState,
        workflowPollerState:
          ledgers.workflowPollerState === 'POLLING' ? main.workflowPollerState : ledgers.workflowPollerState,
        activityPollerState: main.activityPollerState,
      };
    },
    close: async () => {
      await clients.closeAll();
      if (recorder.close) await recorder.close();
    },
  };
}
