/**
 * The fault sweep: planned and forced failovers through the outage, against the simulator on a
 * compressed clock, with one fault per case around every vCenter request the run makes (k = 1…K,
 * K from a clean run's request log), the worker SIGKILLed right after each request, the Temporal
 * dev server SIGKILLed in each phase, one of two worker replicas killed, and a vCenter that hides
 * a running failover. Every case is judged by the same oracle: at most one failover POST, and no
 * verdict the cluster does not bear out.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { decodeContractFailure, type FailoverRecord, type VchaFailoverWorkflow } from '../../src/contract';
import { startDevServer, type DevServer } from '../../src/devtools/dev-server';
import { resolveTemporalCli } from '../../src/devtools/temporal-cli';
import type { ClusterScenarioInput } from '../../src/simulator';
import { TEST_ENV } from '../harness/env';
import { inParallel } from '../harness/parallel';
import { pollUntil } from '../harness/poll';
import { uniqueTaskQueue } from '../harness/temporal';
import { FAST_TIMING, startLab, type Lab } from '../harness/lab';
import { spawnWorker, type WorkerProcess } from '../workflows/worker-process';
import {
  FAULT_KINDS,
  holdAfterProcessing,
  SWEEP_CLIENT_TIMEOUTS,
  type FaultKind,
  type Rule,
  vcenter500After,
} from './faults';

/** A planned or a forced failover. */
export type Mode = 'planned' | 'forced';

/** The families of cases. */
export type Family =
  | 'request fault'
  | 'worker SIGKILL'
  | 'server SIGKILL'
  | 'replica SIGKILL'
  | 'hidden failover'
  | 'Reset at a workflow task'
  | 'workflow retry'
  | 'alias pair'
  | 're-run of a closed id'
  | 'maintenance Reset'
  | 'two faults';

/** One case of the sweep. */
export interface SweepCase {
  family: Family;
  mode: Mode;
  /** The fault kind, the kill point or the scenario. */
  kind: string;
  /** The request the fault is aimed at (1-based), for request faults and worker kills. */
  k?: number;
  /** That request's operation in the clean run. */
  operation?: string;
  /** The run's no-sign window, when it is not the sweep's default. */
  noSign?: string;
  /** The run's failover deadline, when it is not the sweep's default. */
  failover?: string;
}

/** A judged case. */
export interface CaseResult extends SweepCase {
  outcome: string;
  message: string;
  /** Failover POSTs that reached vCenter's API. */
  posts: number;
  /** Failover POSTs vCenter processed (started or refused). */
  processed: number;
  /** Whether the cluster switched. */
  switched: boolean;
  /** What the oracle found untrue or unsafe; empty when the case passed. */
  violations: string[];
  durationMs: number;
}

/** A clean run's requests, in order: the points the faults are aimed at. */
export interface CleanRun {
  mode: Mode;
  operations: string[];
}

/** The sweep's deadlines, in seconds: short, so a run that can prove nothing still ends in about a minute. */
// The stability period is short: three reads of the roles after the cluster is back, each a place
// for a fault, instead of the default twelve.
const SWEEP_DEADLINES_S = { failover: 30, healthy: 30, noSign: 8, stable: 3 };

/** The run's input, with the sweep's deadlines. */
export function sweepInput(
  target: string,
  mode: Mode,
  noSign = `${SWEEP_DEADLINES_S.noSign}s`,
  failover = `${SWEEP_DEADLINES_S.failover}s`,
): Record<string, unknown> {
  return {
    target,
    planned: mode === 'planned',
    ...(mode === 'forced' ? { acceptDataLoss: true } : {}),
    pollInterval: '1s',
    deadlines: { failover, healthy: `${SWEEP_DEADLINES_S.healthy}s`, noSign, stable: `${SWEEP_DEADLINES_S.stable}s` },
    reason: 'fault sweep',
  };
}

/**
 * The longest a case may take, start to end: the two follow deadlines and the stability period, one follow heartbeat
 * timeout (15 s) for a lost attempt to be noticed, and a minute for everything before the follow
 * (preflight's retries, the check, the send's attempts) and for the oracle's wait.
 */
function caseBoundMs(spec: SweepCase): number {
  const failoverS = spec.failover ? Number.parseInt(spec.failover, 10) : SWEEP_DEADLINES_S.failover;
  return (failoverS + SWEEP_DEADLINES_S.healthy + SWEEP_DEADLINES_S.stable + 15 + 60) * 1_000;
}

/** A no-sign verdict comes this long after its window at the most: preflight, the send, the final reads. */
const NO_SIGN_SLACK_MS = 25_000;

/** The simulator clusters of a lab for the given names, each on its own port (refusals need one). */
export function clustersOf(names: string[], scenario: ClusterScenarioInput = {}): Record<string, ClusterScenarioInput> {
  return Object.fromEntries(names.map((name) => [name, scenario]));
}

/** A lab of the sweep: its clusters, short client timeouts, and (optionally) an in-process worker. */
export function sweepLab(names: string[], runWorker = true, scenario: ClusterScenarioInput = {}): Promise<Lab> {
  return startLab({
    clusters: clustersOf(names, scenario),
    timing: FAST_TIMING,
    timeouts: SWEEP_CLIENT_TIMEOUTS,
    runWorker,
  });
}

/** How a run ended: its outcome, message and record. */
export async function endOf(
  handle: WorkflowHandle<VchaFailoverWorkflow>,
): Promise<{ outcome: string; message: string; record?: FailoverRecord }> {
  try {
    const result = await handle.result();
    return { outcome: result.outcome, message: result.message, record: result };
  } catch (error) {
    if (error instanceof WorkflowFailedError && error.cause instanceof ApplicationFailure) {
      return {
        outcome: error.cause.type ?? 'unknown failure',
        message: error.cause.message,
        record: decodeContractFailure<FailoverRecord>(error.cause)?.record,
      };
    }
    return { outcome: 'ended outside the contract', message: error instanceof Error ? error.message : String(error) };
  }
}

const NEVER_SWITCHED_VERDICTS = new Set(['FailoverFailed', 'PreflightRejected', 'NotAuthorized']);
const CONTRACT_ENDS = new Set([
  'SUCCEEDED',
  'FailoverFailed',
  'PreflightRejected',
  'NotAuthorized',
  'FailoverOutcomeUnknown',
  'FailoverNotHealthy',
  'AlreadySent',
  'UnresolvedFailover',
  'TargetBusy',
]);

/** Ends that say this run sent nothing, because another run of the cluster holds or owns the failover. */
const SENT_NOTHING_ENDS = new Set(['UnresolvedFailover', 'TargetBusy']);

/** What a run is judged against besides its cluster, when other runs of the id or the cluster came first or beside it. */
export interface RunContext {
  /** The cluster's failover POSTs before this run could send, when that count is exact (earlier runs closed). */
  postsBefore?: number;
  /** The POSTs other runs beside this one say they sent. */
  postsBeside?: number;
  /** The end the case must reach. */
  expected?: string;
}

/**
 * Judges a finished case from the run's end and what the simulated vCenter saw, once any failover
 * it started has run its course.
 */
export async function judge(
  spec: SweepCase,
  lab: Lab,
  cluster: string,
  end: { outcome: string; message: string; record?: FailoverRecord },
  startedAt: number,
  context: RunContext = {},
): Promise<CaseResult> {
  const model = lab.sim.cluster(cluster);
  // A failover that started must finish before the cluster's state can be compared with the verdict.
  await model.waitFor((view) => view.stage === 'idle', 30_000).catch(() => undefined);
  const counters = model.counters();
  const switched = counters.failoversSucceeded > 0;
  const violations: string[] = [];
  if (counters.failoverPosts > 1) violations.push(`${counters.failoverPosts} failover POSTs`);
  if (counters.failoversStarted + counters.failoversRefused > 1) violations.push('more than one failover processed');
  if (!CONTRACT_ENDS.has(end.outcome)) violations.push(`ended ${end.outcome}: ${end.message}`);
  if (end.outcome === 'SUCCEEDED') {
    const view = model.snapshot();
    const activeNow = view.activeNode ? view.members[view.activeNode].haIp : undefined;
    // A run that followed an earlier run's request of its id (a retry, a reset run) read the
    // cluster after that request: its "before" may already show the switch, so its verdict is
    // checked against the node ACTIVE now (the one failover vCenter processed made it so).
    const verified =
      end.record?.activeAfter !== undefined &&
      (end.record.activeAfter === end.record.before?.passiveNode || end.record.activeAfter === activeNow);
    if (!switched || !verified) violations.push('SUCCEEDED without a verified switch');
  }
  if (end.outcome === 'AlreadySent') {
    // An earlier run of the id sent: the cluster saw a POST, and none since this run started.
    if (counters.failoverPosts === 0) violations.push('AlreadySent, but no run of this id sent');
    if (context.postsBefore !== undefined && counters.failoverPosts > context.postsBefore)
      violations.push('AlreadySent, but a POST came after the run started');
    if (end.record?.triggered === 'yes') violations.push('AlreadySent, but the record says this run sent');
  }
  if (SENT_NOTHING_ENDS.has(end.outcome)) {
    const unaccounted = counters.failoverPosts - (context.postsBefore ?? 0) - (context.postsBeside ?? 0);
    if (unaccounted > 0 || end.record?.triggered === 'yes')
      violations.push(`${end.outcome}, but this run sent a failover POST`);
  }
  if (context.expected !== undefined && end.outcome !== context.expected)
    violations.push(`ended ${end.outcome}, not ${context.expected}`);
  if (NEVER_SWITCHED_VERDICTS.has(end.outcome) && (switched || counters.failoversStarted > 0)) {
    violations.push(`${end.outcome}, but the cluster failed over`);
  }
  if (end.outcome === 'FailoverNotHealthy' && !switched)
    violations.push('FailoverNotHealthy, but the cluster never switched');
  for (const unproven of ['FailoverOutcomeUnknown', 'FailoverNotHealthy']) {
    if (end.outcome === unproven && (end.record?.observations.length ?? 0) === 0) {
      violations.push(`${unproven} without the observations it was based on`);
    }
  }
  const durationMs = Date.now() - startedAt;
  if (durationMs > caseBoundMs(spec)) violations.push(`took ${Math.round(durationMs / 1_000)} s`);
  const noSignMs = Number.parseInt(spec.noSign ?? `${SWEEP_DEADLINES_S.noSign}`, 10) * 1_000;
  if (/showed no sign of a failover/.test(end.message) && durationMs > noSignMs + NO_SIGN_SLACK_MS) {
    violations.push(
      `a no-sign verdict ${Math.round(durationMs / 1_000)} s after the start, the window being ${noSignMs / 1_000} s`,
    );
  }
  return {
    ...spec,
    outcome: end.outcome,
    message: end.message,
    posts: counters.failoverPosts,
    processed: counters.failoversStarted + counters.failoversRefused,
    switched,
    violations,
    durationMs,
  };
}

/** Runs a clean planned and forced failover and returns their request logs. */
export async function cleanRuns(): Promise<CleanRun[]> {
  const lab = await sweepLab(['clean-planned', 'clean-forced']);
  return Promise.all(
    (['planned', 'forced'] as const).map(async (mode) => {
      const cluster = `clean-${mode}`;
      const end = await endOf(await lab.start(sweepInput(cluster, mode)));
      if (end.outcome !== 'SUCCEEDED') throw new Error(`the clean ${mode} run ended ${end.outcome}: ${end.message}`);
      return { mode, operations: lab.sim.requestLog(cluster).map((record) => record.operation ?? '?') };
    }),
  );
}

/** The request-fault cases for the given kinds and request places. */
export function requestFaultCases(
  clean: CleanRun[],
  kinds: FaultKind[],
  places?: (run: CleanRun) => number[],
): SweepCase[] {
  return clean.flatMap((run) =>
    (places?.(run) ?? run.operations.map((_, i) => i + 1)).flatMap((k) =>
      kinds.map((kind) => ({
        family: 'request fault' as const,
        mode: run.mode,
        kind,
        k,
        operation: run.operations[k - 1],
      })),
    ),
  );
}

const clusterName = (spec: SweepCase, index: number) =>
  `${spec.mode[0]}-${spec.kind.replace(/[^a-z0-9]+/gi, '-')}-${spec.k ?? 0}-${index}`;

/** Runs request-fault cases on one lab and worker, `concurrency` at a time. */
export async function runRequestFaults(cases: SweepCase[], concurrency: number): Promise<CaseResult[]> {
  const names = cases.map(clusterName);
  const lab = await sweepLab(names);
  return inParallel(
    cases.map((spec, i) => ({ spec, cluster: names[i]! })),
    concurrency,
    async ({ spec, cluster }) => {
      lab.sim.cluster(cluster).configure({ faults: { rules: [FAULT_KINDS[spec.kind as FaultKind](spec.k!)] } });
      const startedAt = Date.now();
      const end = await endOf(await lab.start(sweepInput(cluster, spec.mode)));
      return judge(spec, lab, cluster, end, startedAt);
    },
  );
}

/** Kills a worker process and starts another on the same queue; returns the new one. */
async function replaceWorker(
  lab: Lab,
  dead: WorkerProcess,
  taskQueue: string,
  address?: string,
): Promise<WorkerProcess> {
  await dead.kill('SIGKILL');
  const next = await spawnWorker({ taskQueue, targetsFile: lab.targetsFile, env: lab.targetsEnv, address });
  await next.ready;
  return next;
}

/**
 * Worker SIGKILL cases: for each request k, the k-th request is held unanswered after vCenter
 * processed it, the worker is killed at that moment, and a new worker finishes the run.
 */
export async function runWorkerKills(
  clean: CleanRun[],
  places: (run: CleanRun) => number[],
  concurrency: number,
): Promise<CaseResult[]> {
  const cases: SweepCase[] = clean.flatMap((run) =>
    places(run).map((k) => ({
      family: 'worker SIGKILL' as const,
      mode: run.mode,
      kind: 'after request k',
      k,
      operation: run.operations[k - 1],
    })),
  );
  const names = cases.map(clusterName);
  const lab = await sweepLab(names, false);
  return inParallel(
    cases.map((spec, i) => ({ spec, cluster: names[i]! })),
    concurrency,
    async ({ spec, cluster }) => {
      const taskQueue = uniqueTaskQueue('sweep-kill');
      lab.sim.cluster(cluster).configure({ faults: { rules: [holdAfterProcessing(spec.k!)] } });
      let worker: WorkerProcess = await spawnWorker({ taskQueue, targetsFile: lab.targetsFile, env: lab.targetsEnv });
      try {
        await worker.ready;
        const startedAt = Date.now();
        const handle = await lab.start(sweepInput(cluster, spec.mode), `${cluster}-${Date.now()}`, taskQueue);
        const held = await pollUntil(
          () => lab.sim.requestLog(cluster).some((r) => r.index === spec.k && r.outcome === 'hang'),
          (seen) => seen,
          60_000,
          20,
          `request ${spec.k} held`,
        ).catch(() => false);
        if (held) worker = await replaceWorker(lab, worker, taskQueue);
        const end = held
          ? await endOf(handle)
          : { outcome: 'kill point not reached', message: `request ${spec.k} never came` };
        return judge(spec, lab, cluster, end, startedAt);
      } finally {
        await worker.kill('SIGKILL');
      }
    },
  );
}

/** The phases of a planned failover a test can see from the simulator, in order. */
const SERVER_KILL_POINTS: { phase: string; reached: (lab: Lab, cluster: string) => boolean }[] = [
  { phase: 'PREFLIGHT', reached: (lab, c) => lab.sim.requestLog(c).some((r) => r.operation === 'cluster.get') },
  { phase: 'TRIGGERING', reached: (lab, c) => lab.sim.counters(c).failoverPosts > 0 },
  { phase: 'FAILING_OVER', reached: (lab, c) => !lab.sim.cluster(c).apiAvailable },
  { phase: 'VERIFYING', reached: (lab, c) => lab.sim.cluster(c).stage === 'resyncing' },
];

/**
 * Temporal dev server SIGKILL cases: a server of their own with its SQLite file, killed in each
 * phase and started again on the same port and file; the worker process rides it out.
 */
export async function runServerKills(
  modes: Mode[],
  phases = SERVER_KILL_POINTS.map(({ phase }) => phase),
): Promise<CaseResult[]> {
  const cases: SweepCase[] = modes.flatMap((mode) =>
    phases.map((phase) => ({ family: 'server SIGKILL' as const, mode, kind: `in ${phase}` })),
  );
  const names = cases.map(clusterName);
  // Slower here than elsewhere: each phase must last long enough to be seen before the kill.
  const lab = await startLab({
    clusters: clustersOf(names),
    timing: { ...FAST_TIMING, flushMs: 3_000, switchOutageMs: 4_000, resyncMs: 6_000 },
    timeouts: SWEEP_CLIENT_TIMEOUTS,
    runWorker: false,
  });
  const executable =
    process.env[TEST_ENV.cli] ?? resolveTemporalCli({ allowSdkDownload: false, log: () => {} }).executable!;
  const results: CaseResult[] = [];
  for (const [i, spec] of cases.entries()) {
    const cluster = names[i]!;
    const dbFilename = path.join(mkdtempSync(path.join(tmpdir(), 'sweep-server-')), 'temporal.sqlite');
    let server: DevServer = await startDevServer({ executable, dbFilename });
    const port = Number(server.address.split(':')[1]);
    const taskQueue = uniqueTaskQueue('sweep-server');
    const worker = await spawnWorker({
      taskQueue,
      targetsFile: lab.targetsFile,
      env: lab.targetsEnv,
      address: server.address,
    });
    const connection = await Connection.connect({ address: server.address });
    try {
      await worker.ready;
      const client = new Client({ connection });
      const startedAt = Date.now();
      const handle = await client.workflow.start<VchaFailoverWorkflow>('vchaFailover', {
        taskQueue,
        workflowId: `${cluster}-${Date.now()}`,
        args: [sweepInput(cluster, spec.mode) as never],
      });
      const point = SERVER_KILL_POINTS.find(({ phase }) => spec.kind === `in ${phase}`)!;
      await pollUntil(
        () => point.reached(lab, cluster),
        (seen) => seen,
        60_000,
        20,
        `${point.phase} reached`,
      );
      process.kill(server.pid, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      server = await startDevServer({ executable, dbFilename, port });
      const end = await endOf(handle);
      results.push(await judge(spec, lab, cluster, end, startedAt));
    } finally {
      await worker.kill('SIGKILL');
      await connection.close();
      await server.stop();
    }
  }
  return results;
}

/** Two worker replicas on one queue; one of them is killed mid-failover, the other finishes the run. */
export async function runReplicaKills(modes: Mode[]): Promise<CaseResult[]> {
  const cases: SweepCase[] = modes.flatMap((mode) =>
    (['first', 'second'] as const).map((which) => ({
      family: 'replica SIGKILL' as const,
      mode,
      kind: `${which} replica, once the failover started`,
    })),
  );
  const names = cases.map(clusterName);
  const lab = await sweepLab(names, false);
  return inParallel(
    cases.map((spec, i) => ({ spec, cluster: names[i]! })),
    2,
    async ({ spec, cluster }) => {
      const taskQueue = uniqueTaskQueue('sweep-replicas');
      const replicas = [
        await spawnWorker({ taskQueue, targetsFile: lab.targetsFile, env: lab.targetsEnv }),
        await spawnWorker({ taskQueue, targetsFile: lab.targetsFile, env: lab.targetsEnv }),
      ];
      try {
        await Promise.all(replicas.map((replica) => replica.ready));
        const startedAt = Date.now();
        const handle = await lab.start(sweepInput(cluster, spec.mode), `${cluster}-${Date.now()}`, taskQueue);
        // Mid-failover: vCenter has accepted the request, and the run is following it.
        await pollUntil(
          () => lab.sim.counters(cluster).failoversStarted,
          (started) => started > 0,
          120_000,
          20,
          'the failover started',
        );
        await replicas[spec.kind.startsWith('first') ? 0 : 1]!.kill('SIGKILL');
        return await judge(spec, lab, cluster, await endOf(handle), startedAt);
      } finally {
        for (const replica of replicas) await replica.kill('SIGKILL');
      }
    },
  );
}

/**
 * A vCenter that shows nothing of a running failover during a long flush (no active operation,
 * no listed task, roles unchanged): the worker is killed with the POST in flight, the POST's answer
 * is lost, vCenter answers its own 500 after starting the failover, or the POST never arrives.
 */
export async function runHiddenFailover(): Promise<CaseResult[]> {
  // A window longer than the hidden flush where the failover did start: nothing is visible until the
  // switch. The switch comes after the 25 s flush and the outage, so the failover deadline is 60 s.
  const hidden = { family: 'hidden failover', mode: 'planned', failover: '60s' } as const;
  const cases: SweepCase[] = [
    { ...hidden, kind: 'worker SIGKILL during the POST', noSign: '60s' },
    { ...hidden, kind: 'answer to the POST lost', noSign: '60s' },
    { ...hidden, kind: "vCenter's 500 after processing", noSign: '60s' },
    { ...hidden, kind: 'POST lost before vCenter', noSign: '10s' },
  ];
  const rules: Record<string, Rule> = {
    'worker SIGKILL during the POST': { operation: 'cluster.failover', when: 'after', action: 'hang' },
    'answer to the POST lost': { operation: 'cluster.failover', when: 'after', action: 'reset' },
    "vCenter's 500 after processing": vcenter500After({ operation: 'cluster.failover' }),
    'POST lost before vCenter': { operation: 'cluster.failover', action: 'reset' },
  };
  const names = cases.map(clusterName);
  // The flush outlasts the send's heartbeat timeout, so the run follows while nothing is visible.
  const lab = await startLab({
    clusters: clustersOf(names, { faults: { hideRunningFailover: true } }),
    timing: { ...FAST_TIMING, flushMs: 25_000 },
    timeouts: SWEEP_CLIENT_TIMEOUTS,
    runWorker: false,
  });
  return inParallel(
    cases.map((spec, i) => ({ spec, cluster: names[i]! })),
    4,
    async ({ spec, cluster }) => {
      const taskQueue = uniqueTaskQueue('sweep-hidden');
      lab.sim.cluster(cluster).configure({ faults: { rules: [rules[spec.kind]!] } });
      let worker: WorkerProcess = await spawnWorker({ taskQueue, targetsFile: lab.targetsFile, env: lab.targetsEnv });
      try {
        await worker.ready;
        const startedAt = Date.now();
        const handle = await lab.start(
          sweepInput(cluster, spec.mode, spec.noSign, spec.failover),
          `${cluster}-${Date.now()}`,
          taskQueue,
        );
        if (spec.kind === 'worker SIGKILL during the POST') {
          await pollUntil(
            () => lab.sim.counters(cluster).hangs > 0,
            (held) => held,
            60_000,
            20,
            'the POST held',
          );
          worker = await replaceWorker(lab, worker, taskQueue);
        }
        return await judge(spec, lab, cluster, await endOf(handle), startedAt);
      } finally {
        await worker.kill('SIGKILL');
      }
    },
  );
}
