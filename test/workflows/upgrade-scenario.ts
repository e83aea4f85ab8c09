/**
 * The upgrade-with-a-run-in-flight scenario on Worker Deployment Versioning, shared by the dev
 * server test (test/workflows/upgrade.test.ts) and the two-node cluster test
 * (test/cluster/upgrade.test.ts): build A (the current workflow code) serves a deployment and is
 * its current version; a planned failover starts on it and is mid-outage when build B — whose
 * workflow code fails replay of A's histories — starts as a second worker process and becomes the
 * current version through the `temporal` CLI. The run in flight stays pinned to A and finishes
 * there with exactly one failover request; a new run goes to B; A's version then reports DRAINED
 * and its worker stops cleanly. Both builds are the real worker process, told apart only by
 * VCHA_BUILD_ID and their workflow bundles.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import type { VchaFailoverInput, VchaFailoverWorkflow } from '../../src/contract';
import { workflowBundleOptions } from '../../src/worker/create-worker';
import { pollUntil } from '../harness/poll';
import { onTeardown, uniqueTaskQueue, workflowBundle } from '../harness/temporal';
import { NEXT_BUILD_TIMER_SUMMARY } from '../harness/bundle/next-build';
import { startLab } from '../harness/lab';
import { spawnWorker, type WorkerProcess } from './worker-process';

const run = promisify(execFile);

/**
 * A version that stops being current reports drained only after a visibility grace period and at
 * a refresh interval, 3 minutes each by default (server 1.29.1, common/dynamicconfig/constants.go:
 * matching.wv.VersionDrainageStatusVisibilityGracePeriod and ...RefreshInterval). The upgrade
 * tests give their own server these short values so DRAINED shows up in seconds; the shared test
 * server and the other cluster tests keep the project's file only (on the shared dev server these
 * values slowed every other test's runs).
 */
export const FAST_DRAINAGE: Readonly<Record<string, string>> = {
  'matching.wv.VersionDrainageStatusVisibilityGracePeriod': '2s',
  'matching.wv.VersionDrainageStatusRefreshInterval': '1s',
};

/** FAST_DRAINAGE as a dev server's `KEY=JSON` dynamic config values. */
export const FAST_DRAINAGE_VALUES: readonly string[] = Object.entries(FAST_DRAINAGE).map(
  ([key, value]) => `${key}=${JSON.stringify(value)}`,
);

/** Where the scenario runs: the server, a client on it, and the `temporal` CLI for the operator's commands. */
export interface UpgradeScenarioServer {
  /** The one address the workers and the CLI use (the dev server's, or the cluster's balancer). */
  address: string;
  client: Client;
  cli: string;
}

/** What the scenario measured, for the test's diagnostics. */
export interface UpgradeScenarioFigures {
  totalMs: number;
  /** From build B's start to build A's clean stop. */
  upgradeToStopMs: number;
  /** From both runs ending to A reporting drained. */
  drainedAfterMs: number;
  inFlightPosts: number;
  newRunPosts: number;
}

/** Build B's workflow code, bundled to a file the way a release pipeline would ship it. */
async function bundleNextBuild(): Promise<string> {
  const { code } = await bundleWorkflowCode({
    ...workflowBundleOptions(require.resolve('../harness/bundle/next-build')),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
  });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'vcha-next-build-')), 'workflow-bundle.js');
  writeFileSync(file, code);
  return file;
}

/** `temporal worker deployment …` for one deployment on one server, its JSON output parsed. */
class Deployment {
  constructor(
    private readonly server: UpgradeScenarioServer,
    readonly name: string,
  ) {}

  async command(args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await run(this.server.cli, [
      'worker',
      'deployment',
      ...args,
      '--address',
      this.server.address,
      '--output',
      'json',
    ]);
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  }

  /**
   * Makes a build the deployment's current version, as an operator would. A worker registers its
   * version with its first polls, a moment after it starts: until then the server answers that the
   * version does not exist, so this retries for a while.
   */
  async setCurrentVersion(buildId: string): Promise<void> {
    let lastError = '';
    await pollUntil(
      () =>
        this.command(['set-current-version', '--deployment-name', this.name, '--build-id', buildId, '--yes']).then(
          () => true,
          (error: { stderr?: string; message: string }) => {
            lastError = error.stderr ?? error.message;
            return false;
          },
        ),
      (done) => done,
      30_000,
      500,
      `set-current-version ${buildId} (last error: ${lastError})`,
    );
  }

  /** A version's drainage status as `describe-version` shows it: draining, drained, or none while current. */
  async drainageOf(buildId: string): Promise<string | undefined> {
    let version: Record<string, unknown>;
    try {
      version = await this.command(['describe-version', '--deployment-name', this.name, '--build-id', buildId]);
    } catch (error) {
      // On a loaded machine the server has answered "Worker Deployment Version not found" for a
      // version that was current a moment before (its deployment's internal workflows were busy
      // with the switch): read as "no status yet", so the caller's poll asks again.
      if (/Worker Deployment Version not found/.test(String((error as { stderr?: unknown }).stderr ?? error))) {
        return undefined;
      }
      throw error;
    }
    return (version.drainageInfo as { drainageStatus?: string } | undefined)?.drainageStatus;
  }

  async currentBuildId(): Promise<string | undefined> {
    const described = (await this.command(['describe', '--name', this.name])) as {
      routingConfig?: { currentVersionBuildID?: string };
    };
    return described.routingConfig?.currentVersionBuildID;
  }
}

/** The deployment version the server pinned a run to, and the behaviour it pinned it with. */
async function versioningOf(handle: WorkflowHandle<VchaFailoverWorkflow>) {
  const info = (await handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
  return { buildId: info?.deploymentVersion?.buildId, behavior: info?.behavior };
}

const { EventType, VersioningBehavior } = temporal.api.enums.v1;

/** Events of a run's history of one type. */
async function eventsOf(handle: WorkflowHandle<VchaFailoverWorkflow>, type: temporal.api.enums.v1.EventType) {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter((event) => event.eventType === type);
}

function summaryOf(event: temporal.api.history.v1.IHistoryEvent): string | undefined {
  const data = event.userMetadata?.summary?.data;
  return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as string) : undefined;
}

/** Runs the whole upgrade on `server` and asserts every step; resolves with what it measured. */
export async function runUpgradeScenario(server: UpgradeScenarioServer): Promise<UpgradeScenarioFigures> {
  const started = Date.now();
  const taskQueue = uniqueTaskQueue('upgrade');
  const start = (input: VchaFailoverInput, workflowId: string) =>
    server.client.workflow.start<VchaFailoverWorkflow>('vchaFailover', { taskQueue, workflowId, args: [input] });
  const lab = await startLab({
    runWorker: false,
    // A long outage keeps the first run mid-follow while the upgrade happens.
    clusters: { inFlight: { timing: { switchOutageMs: 12_000 } }, afterUpgrade: {} },
  });
  const nextBuildBundle = bundleNextBuild();
  const deployment = new Deployment(server, `vcha-upgrade-${randomUUID().slice(0, 8)}`);
  const workers: WorkerProcess[] = [];
  onTeardown(async () => {
    for (const worker of workers) await worker.kill('SIGTERM');
  });
  const startBuild = async (buildId: string, bundle?: string) => {
    const worker = await spawnWorker({
      taskQueue,
      targetsFile: lab.targetsFile,
      address: server.address,
      env: {
        ...lab.targetsEnv,
        VCHA_DEPLOYMENT_NAME: deployment.name,
        VCHA_BUILD_ID: buildId,
        ...(bundle ? { VCHA_WORKFLOW_BUNDLE: bundle } : {}),
      },
    });
    workers.push(worker);
    await worker.ready;
    return worker;
  };

  // Build A: the current workflow code, the deployment's first current version.
  const buildA = await startBuild('build-a');
  await deployment.setCurrentVersion('build-a');
  const inFlight = await start(
    { target: 'inFlight', planned: true, pollInterval: '1s' },
    `upgrade-in-flight-${Date.now()}`,
  );
  await pollUntil(
    () => lab.failoverPosts('inFlight') === 1 && !lab.sim.cluster('inFlight').apiAvailable,
    (inOutage) => inOutage,
    60_000,
    100,
    'the first run in the outage its failover causes',
  );
  const upgradeStarted = Date.now();

  // Build B starts and becomes current while the first run is still in the outage.
  await startBuild('build-b', await nextBuildBundle);
  await deployment.setCurrentVersion('build-b');
  assert.equal(lab.sim.cluster('inFlight').apiAvailable, false, 'the upgrade finished inside the outage');
  assert.equal(await deployment.currentBuildId(), 'build-b');
  // While its run is open, A is draining, not drained: it must keep running.
  await pollUntil(
    () => deployment.drainageOf('build-a'),
    (status) => status === 'draining',
    10_000,
    250,
    'A draining',
  );
  assert.equal((await inFlight.describe()).status.name, 'RUNNING');

  const afterUpgrade = await start(
    { target: 'afterUpgrade', planned: true, pollInterval: '1s' },
    `upgrade-new-run-${Date.now()}`,
  );
  const [first, second] = await Promise.all([inFlight.result(), afterUpgrade.result()]);
  const runsEnded = Date.now();

  // The run in flight: finished on build A, once, with the right verdict, and never offered to B.
  assert.equal(first.outcome, 'SUCCEEDED');
  assert.equal(first.activeAfter, first.before?.passiveNode);
  assert.equal(lab.failoverPosts('inFlight'), 1);
  assert.deepEqual(await versioningOf(inFlight), {
    buildId: 'build-a',
    behavior: VersioningBehavior.VERSIONING_BEHAVIOR_PINNED,
  });
  assert.deepEqual(
    await eventsOf(inFlight, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED),
    [],
    'no workflow task of the first run failed',
  );
  assert.deepEqual(
    (await eventsOf(inFlight, EventType.EVENT_TYPE_TIMER_STARTED))
      .map(summaryOf)
      .filter((s) => s === NEXT_BUILD_TIMER_SUMMARY),
    [],
  );

  // The new run: on build B, which its history shows (B's own timer) as well as its versioning info.
  assert.equal(second.outcome, 'SUCCEEDED');
  assert.equal(lab.failoverPosts('afterUpgrade'), 1);
  assert.deepEqual(await versioningOf(afterUpgrade), {
    buildId: 'build-b',
    behavior: VersioningBehavior.VERSIONING_BEHAVIOR_PINNED,
  });
  assert.deepEqual((await eventsOf(afterUpgrade, EventType.EVENT_TYPE_TIMER_STARTED)).map(summaryOf), [
    NEXT_BUILD_TIMER_SUMMARY,
  ]);

  // Only pinning kept the first run safe: B's code cannot replay the history A recorded.
  const history = await inFlight.fetchHistory();
  await assert.rejects(
    Worker.runReplayHistory({ workflowBundle: { codePath: await nextBuildBundle } }, history, inFlight.workflowId),
    DeterminismViolationError,
  );
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, inFlight.workflowId);

  // Build A drains (no open run pinned to it) and can then be stopped.
  await pollUntil(
    () => deployment.drainageOf('build-a'),
    (status) => status === 'drained',
    60_000,
    1_000,
    'build A reporting drained',
  );
  const drainedAfterMs = Date.now() - runsEnded;
  await buildA.kill('SIGTERM');
  assert.equal(buildA.child.exitCode, 0, `build A stopped cleanly:\n${buildA.output()}`);
  return {
    totalMs: Date.now() - started,
    upgradeToStopMs: Date.now() - upgradeStarted,
    drainedAfterMs,
    inFlightPosts: lab.failoverPosts('inFlight'),
    newRunPosts: lab.failoverPosts('afterUpgrade'),
  };
}

/** One line of the scenario's figures for a test's diagnostics. */
export function describeFigures(figures: UpgradeScenarioFigures): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return (
    `upgrade test: ${s(figures.totalMs)} in all, upgrade to B ${s(figures.upgradeToStopMs)} before A stopped, ` +
    `A drained ${s(figures.drainedAfterMs)} after the runs ended; failover POSTs: in flight ${figures.inFlightPosts}, ` +
    `new run ${figures.newRunPosts}`
  );
}
