/**
 * Assembles the failover worker from its parts: Temporal connections, the targets registry, the
 * vCenter client cache and the outcome recorder. Used by `src/worker.ts` and by tests.
 */
import type { Client } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import path from 'node:path';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, VcenterClientCache, type WebhookConfig } from '../activities';
import type { OutcomeRecorder } from '../contract';
import type { ClientHooks } from '../activities/vcenter-clients';
import type { TargetRegistry } from '../config';
import { projectRoot } from '../paths';
import { targetLogInterceptor } from '../observability/activity-log-interceptor';
import type { Tracing } from '../observability/tracing';
import { vchaNexusServiceHandler } from '../nexus/vcha-service';
import { tracingActivityInterceptors, workflowSpanSinks } from '../observability/worker-tracing';

/** Workflow interceptor modules: registered on the worker and baked into every prebuilt bundle. */
export const WORKFLOW_INTERCEPTOR_MODULES: readonly string[] = [
  require.resolve('../workflows/log-interceptors'),
  require.resolve('../workflows/tracing-interceptors'),
];

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
  /** Extra worker options (concurrency limits, shutdown grace time, build id...). */
  workerOptions?: Partial<WorkerOptions>;
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

/** A created worker plus the resources to release after it stops. */
export interface FailoverWorker {
  worker: Worker;
  clients: VcenterClientCache;
  /** Closes vCenter sessions and the recorder; call after `worker.run()` resolves. */
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
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES],
  });
  return { code };
}

/** Creates (but does not run) the worker. */
export async function createFailoverWorker(options: FailoverWorkerOptions): Promise<FailoverWorker> {
  const clients = new VcenterClientCache(options.targets, options.clientHooks);
  const { recorder } = options;
  let replayCode: ReturnType<typeof workflowCodeFor> | undefined;
  const activities = createActivities({
    clientFor: (name) => clients.get(name),
    policyFor: (name) => options.targets.get(name).policy,
    ...(options.targets.allowedSignersFile ? { allowedSignersFile: options.targets.allowedSignersFile } : {}),
    targetNames: () => options.targets.names(),
    temporal: options.client,
    versionedDeployment: options.deployment !== undefined,
    recorder,
    webhook: options.webhook,
    replay: {
      historiesDir: options.historiesDir ?? path.join(projectRoot(), 'test', 'histories'),
      workflowCode: () => (replayCode ??= workflowCodeFor(options.workflowBundle)),
    },
  });
  const activityInterceptors = [targetLogInterceptor, ...tracingActivityInterceptors(options.tracing)];
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    activities,
    nexusServices: [vchaNexusServiceHandler()],
    // A prebuilt bundle carries its workflow interceptors already (see WORKFLOW_INTERCEPTOR_MODULES).
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle, interceptors: { activity: activityInterceptors } }
      : {
          workflowsPath: require.resolve('../workflows'),
          interceptors: { activity: activityInterceptors, workflowModules: [...WORKFLOW_INTERCEPTOR_MODULES] },
        }),
    sinks: workflowSpanSinks(options.tracing),
    // The live observation the CLI and the Web UI show comes from heartbeats; without this they
    // would reach the server only every 0.8 x the heartbeat timeout (12 s).
    maxHeartbeatThrottleInterval: '5s',
    ...(options.deployment ? { workerDeploymentOptions: deploymentOptions(options.deployment) } : {}),
    ...options.workerOptions,
  });
  return {
    worker,
    clients,
    close: async () => {
      await clients.closeAll();
      if (recorder.close) await recorder.close();
    },
  };
}
