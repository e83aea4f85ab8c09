/**
 * `npm run bench -- --clusters N [--server dev|cluster] [--poll 1s] [--flush 2s] [--outage 2s]
 * [--resync 2s] [--service-start 250ms] [--health-check 2s] [--stable 12s]`: N planned failovers at once against N simulated clusters on a compressed clock,
 * one worker process, and a local dev server or (`--server cluster`) the two-node Temporal cluster
 * on PostgreSQL that the cluster tests use. Prints a table and writes
 * bench/results/<time>-n<N>[-cluster].json.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { buildWorkflowBundle } from '../scripts/build-workflow-bundle';
import { resolveTemporalCli } from '../src/devtools/temporal-cli';
import { startSimulator } from '../src/simulator';
import { startDevServer, stopProcess } from '../src/devtools/dev-server';
import { parseDuration, type VchaFailoverWorkflow } from '../src/contract';
import { DEFAULT_STABLE_POLLS } from '../src/domain/stability';
import { inParallel } from '../test/harness/parallel';
import { historyLatency, historyTimeline } from './history-latency';
import { percentile, median } from './stats';
import { startTemporalCluster } from '../test/harness/temporal-cluster';
import { sampleProcess, sampleProcessTree, sampleThreads, threadCpuBetween, type ProcessSample } from './proc';
import { MEASURED_DIR } from './report';

const root = path.resolve(__dirname, '..');

/** The benchmark's settings, from the command line. */
export type BenchOptions = ReturnType<typeof options>;

function options(args: string[] = process.argv.slice(2)) {
  const { values } = parseArgs({
    args,
    options: {
      clusters: { type: 'string', default: '10' },
      poll: { type: 'string', default: '1s' },
      flush: { type: 'string', default: '2s' },
      outage: { type: 'string', default: '2s' },
      resync: { type: 'string', default: '2s' },
      // After the switch: each of the new active node's services starts in this time, one after
      // another, and the appliance's first health check comes this long after the API is back.
      'service-start': { type: 'string', default: '250ms' },
      'health-check': { type: 'string', default: '2s' },
      // The stability period (deadlines.stable); absent: the product's default, 12 poll intervals.
      stable: { type: 'string' },
      'start-concurrency': { type: 'string', default: '50' },
      server: { type: 'string', default: 'dev' },
      // Also keeps the figures as bench/measured/<name>.json, which BENCHMARKS.md's tables are written from.
      keep: { type: 'string' },
    },
  });
  const kinds = ['dev', 'cluster'] as const;
  const server = kinds.find((kind) => kind === values.server);
  if (!server) throw new Error(`--server: expected dev or cluster, not "${values.server}"`);
  const ms = (name: string, text: string) => {
    const value = parseDuration(text);
    if (value === undefined) throw new Error(`--${name}: "${text}" is not a duration`);
    return value;
  };
  const clusters = Number(values.clusters);
  if (!Number.isInteger(clusters) || clusters < 1) throw new Error(`--clusters: expected a positive whole number`);
  return {
    clusters,
    pollMs: ms('poll', values.poll),
    poll: values.poll,
    flushMs: ms('flush', values.flush),
    outageMs: ms('outage', values.outage),
    resyncMs: ms('resync', values.resync),
    serviceStartMs: ms('service-start', values['service-start']),
    healthCheckMs: ms('health-check', values['health-check']),
    stable: values.stable,
    stableMs: values.stable === undefined ? undefined : ms('stable', values.stable),
    startConcurrency: Number(values['start-concurrency']),
    server,
    keep: values.keep,
    command: benchCommand(args, process.env),
  };
}

/** The Temporal server under the benchmark and what it costs: its processes' CPU and memory. */
interface BenchServer {
  kind: 'dev' | 'cluster';
  address: string;
  /** CPU seconds so far, summed over the server's processes (both nodes for a cluster). */
  cpuSeconds(): number;
  /** Peak RSS so far, summed over the server's processes, KiB. */
  peakRssKb(): number;
  /** PostgreSQL's postmaster and backends, for a cluster. */
  postgres?: () => { cpuSeconds: number; pssKb: number } | undefined;
  stop(): Promise<void>;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

async function startServer(kind: 'dev' | 'cluster'): Promise<BenchServer> {
  if (kind === 'cluster') {
    const cluster = await startTemporalCluster({ log: (line) => process.stderr.write(`${line}\n`) });
    const pids = () => cluster.nodes.map((node) => node.pid() ?? -1);
    return {
      kind,
      address: cluster.address,
      cpuSeconds: () => sum(pids().map((pid) => sampleProcess(pid)?.cpuSeconds ?? NaN)),
      peakRssKb: () => sum(pids().map((pid) => sampleProcess(pid)?.peakRssKb ?? NaN)),
      postgres: () => sampleProcessTree(cluster.postgresPid() ?? -1),
      stop: () => cluster.stop(),
    };
  }
  const cli = resolveTemporalCli({ allowSdkDownload: false, log: () => {} });
  const server = await startDevServer({
    executable: cli.executable!,
    // BENCH_EAGER=0 measures without eager activity execution.
    eagerActivityExecution: process.env.BENCH_EAGER !== '0',
  });
  return {
    kind,
    address: server.address,
    cpuSeconds: () => sampleProcess(server.pid)?.cpuSeconds ?? NaN,
    peakRssKb: () => sampleProcess(server.pid)?.peakRssKb ?? NaN,
    stop: () => server.stop(),
  };
}

/** What a benchmark run measured, as written to its result file. */
export type BenchSummary = Awaited<ReturnType<typeof runBenchmark>>['summary'];

/**
 * Variables that change what the benchmark measures: its own (`BENCH_WORKER_NODE_ARGS`, …), the
 * worker's settings, which the worker inherits, and glibc's allocator's. They lead the command a
 * result keeps, so the command reproduces the row.
 */
const MEASURED_ENV = /^(BENCH_|VCHA_|MALLOC_)/;

/** The command line that reproduces a run: the variables that shape it, then `npm run bench -- <args>`. */
export function benchCommand(args: string[], env: Readonly<Record<string, string | undefined>>): string {
  const quoted = (value: string) => (/^[\w./:=,@+-]*$/.test(value) ? value : JSON.stringify(value));
  const vars = Object.keys(env)
    .filter((name) => MEASURED_ENV.test(name) && env[name] !== undefined)
    .sort()
    .map((name) => `${name}=${quoted(env[name]!)}`);
  return [...vars, 'npm run bench --', ...args.map(quoted)].join(' ');
}

/** Parses benchmark arguments (as on the command line), e.g. `['--clusters', '100']`. */
export function benchOptions(args: string[]): BenchOptions {
  return options(args);
}

/** Runs one benchmark: the fleet, the figures, the result file (its path relative to the project). */
export async function runBenchmark(opts: BenchOptions) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'vcha-bench-'));
  const server = await startServer(opts.server);
  const names = Array.from({ length: opts.clusters }, (_, i) => `bench-${String(i + 1).padStart(4, '0')}`);
  const sim = await startSimulator({
    layout: 'shared-port',
    clusters: names,
    timing: {
      taskStartMs: 200,
      flushMs: opts.flushMs,
      switchOutageMs: opts.outageMs,
      resyncMs: opts.resyncMs,
      serviceStartMs: opts.serviceStartMs,
      healthCheckMs: opts.healthCheckMs,
    },
  });
  const bundlePath = path.join(scratch, 'workflow-bundle.js');
  await buildWorkflowBundle(bundlePath);
  const targetsFile = path.join(scratch, 'targets.json');
  const targets = Object.fromEntries(
    names.map((name) => [name, { url: sim.urlFor(name), username: sim.username, passwordEnv: 'VCHA_BENCH_PASSWORD' }]),
  );
  writeFileSync(targetsFile, JSON.stringify({ targets }));

  const taskQueue = `bench-${Date.now()}`;
  // The worker as production runs it: compiled JavaScript with the prebuilt bundle.
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
  // Profiling hook, e.g. BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const worker = spawn(process.execPath, [...nodeArgs, 'dist/worker.js'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: server.address,
      VCHA_TASK_QUEUE: taskQueue,
      VCHA_TARGETS_FILE: targetsFile,
      VCHA_BENCH_PASSWORD: sim.password,
      VCHA_WORKFLOW_BUNDLE: bundlePath,
      VCHA_AUDIT_DB: path.join(scratch, 'audit.sqlite'),
      VCHA_LOG_LEVEL: 'WARN',
      // One follow activity per running failover: the fleet needs a slot for each.
      VCHA_MAX_CONCURRENT_ACTIVITIES: process.env.VCHA_MAX_CONCURRENT_ACTIVITIES ?? String(opts.clusters + 50),
    },
  });
  let workerLog = '';
  worker.stderr?.on('data', (chunk: Buffer) => (workerLog += chunk.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (workerLog.includes('vcha-failover worker: task queue')) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    worker.once('exit', () => reject(new Error(`worker exited:\n${workerLog}`)));
  });

  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const samples: ProcessSample[] = [];
  const sampler = setInterval(() => {
    const sample = sampleProcess(worker.pid!);
    if (sample) samples.push(sample);
  }, 250);
  const cpuBefore = sampleProcess(worker.pid!)!;
  const threadsBefore = sampleThreads(worker.pid!);
  const serverCpuBefore = server.cpuSeconds();
  const postgresBefore = server.postgres?.();
  let postgresPeakPssKb = 0;
  const postgresSampler = setInterval(() => {
    postgresPeakPssKb = Math.max(postgresPeakPssKb, server.postgres?.()?.pssKb ?? 0);
  }, 1_000);
  const benchCpuBefore = process.cpuUsage();
  const started = Date.now();
  const handles = await inParallel(names, opts.startConcurrency, (name) =>
    client.workflow.start<VchaFailoverWorkflow>('vchaFailover', {
      taskQueue,
      workflowId: `bench-${name}-${started}`,
      args: [
        {
          target: name,
          planned: true,
          pollInterval: opts.poll,
          reason: 'benchmark',
          ...(opts.stable !== undefined ? { deadlines: { stable: opts.stable } } : {}),
        },
      ],
    }),
  );
  // Waits through visibility rather than 1000 long polls on the runs' histories: the server would
  // wake every poll on every event, and the harness's load is not the worker's. Each run's timing
  // comes from its own record, so the wait's granularity does not change the figures.
  await waitUntilAllClosed(client, taskQueue, handles.length);
  const wallSeconds = (Date.now() - started) / 1_000;
  const results = await inParallel(handles, 20, async (handle) => {
    try {
      return { handle, result: await handle.result() };
    } catch (error) {
      return { handle, error: String(error) };
    }
  });
  clearInterval(sampler);
  const cpuAfter = sampleProcess(worker.pid!)!;
  const threadsAfter = sampleThreads(worker.pid!);
  clearInterval(postgresSampler);
  const serverCpuSeconds = server.cpuSeconds() - serverCpuBefore;
  const postgresAfter = server.postgres?.();
  const benchCpu = process.cpuUsage(benchCpuBefore);

  const medianIndex = medianRunIndex(results);
  const histories = await inParallel([...handles.keys()], 20, async (index) => {
    const events = (await handles[index]!.fetchHistory()).events ?? [];
    return {
      count: events.length,
      latency: historyLatency(events),
      timeline: index === medianIndex ? historyTimeline(events) : undefined,
    };
  });
  const historyEvents = histories.map((h) => h.count);
  // The run holds the result for the stability period after the cluster is back, by design: overhead
  // and healthy→complete count the time beyond it.
  const stablePeriodMs = opts.stableMs ?? DEFAULT_STABLE_POLLS * opts.pollMs;
  const perRun = results.map(({ handle, result }, index) => {
    const name = names[index]!;
    const timeline = sim.cluster(name).lastFailover();
    const startMs = result ? Date.parse(result.startedAt) : NaN;
    const endMs = result ? Date.parse(result.finishedAt) : NaN;
    const requests = sim.requestLog(name).filter((r) => {
      const at = Date.parse(r.time);
      return at >= startMs - 1_000 && at <= endMs + 1_000;
    });
    const byOperation: Record<string, number> = {};
    for (const r of requests) byOperation[r.operation ?? 'other'] = (byOperation[r.operation ?? 'other'] ?? 0) + 1;
    const times = requests.map((r) => Date.parse(r.time));
    // While following: windows of one poll interval from the failover request on, logins apart.
    const postAt = Date.parse(requests.find((r) => r.operation === 'cluster.failover')?.time ?? '');
    const followTimes = times.filter((at, i) => at > postAt && requests[i]!.operation !== 'session.create');
    return {
      workflowId: handle.workflowId,
      startedOffsetMs: startMs - started,
      succeeded: result?.outcome === 'SUCCEEDED',
      overheadMs:
        result && timeline?.durationMs !== undefined ? result.durationMs - timeline.durationMs - stablePeriodMs : NaN,
      healthyToCompleteMs:
        result && timeline?.healthyAt !== undefined ? endMs - timeline.healthyAt - stablePeriodMs : NaN,
      readinessRequests: requests.filter((r) => READINESS_OPERATIONS.has(r.operation ?? '')).length,
      // The gate passes with its last request (it asks nothing more once every gate passed); how long
      // after vCenter served in full, by the simulator's own state. Negative would be a gate passed too early.
      gateAfterReadyMs: gatePassedAfterReady(requests, timeline?.readyAt),
      requests: requests.length,
      byOperation,
      maxPerPollInterval: maxPerWindow(times, startMs, opts.pollMs),
      maxPerPollIntervalFollowing: maxPerWindow(followTimes, postAt, opts.pollMs),
      untilTriggered: times.filter((at) => at <= postAt).length,
      // Sessions created; a login attempt answered 503 during the outage creates none.
      logins: requests.filter((r) => r.operation === 'session.create' && r.status !== null && r.status < 300).length,
      requestLines:
        index === medianIndex
          ? requests.map((r, i) => `+${times[i]! - startMs} ${r.operation ?? r.path} ${r.status ?? r.outcome}`)
          : undefined,
    };
  });

  const finite = (values: number[]) => values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const spread = (values: number[]) => {
    const sorted = finite(values);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  };
  const overhead = finite(perRun.map((r) => r.overheadMs));
  const healthyToComplete = finite(perRun.map((r) => r.healthyToCompleteMs));
  const requestsPerRun = finite(perRun.map((r) => r.requests));
  const readinessRequests = finite(perRun.map((r) => r.readinessRequests));
  const gateAfterReady = finite(perRun.map((r) => r.gateAfterReadyMs));
  const events = [...historyEvents].sort((a, b) => a - b);
  const operations: Record<string, number> = {};
  for (const run of perRun)
    for (const [op, n] of Object.entries(run.byOperation)) operations[op] = (operations[op] ?? 0) + n;
  const summary = {
    clusters: opts.clusters,
    server: server.kind === 'cluster' ? 'two-node cluster on PostgreSQL' : 'dev server',
    succeeded: perRun.filter((r) => r.succeeded).length,
    failoverPosts: names.reduce((sum, name) => sum + sim.counters(name).failoverPosts, 0),
    pollIntervalMs: opts.pollMs,
    stablePeriodMs,
    timing: {
      flushMs: opts.flushMs,
      outageMs: opts.outageMs,
      resyncMs: opts.resyncMs,
      serviceStartMs: opts.serviceStartMs,
      healthCheckMs: opts.healthCheckMs,
    },
    historyEvents: { min: events[0] ?? 0, median: median(events), max: events.at(-1) ?? 0 },
    overheadMs: {
      p50: percentile(overhead, 50),
      p95: percentile(overhead, 95),
      p99: percentile(overhead, 99),
      max: overhead.at(-1) ?? NaN,
    },
    healthyToCompleteMs: { p50: percentile(healthyToComplete, 50), p99: percentile(healthyToComplete, 99) },
    requestsPerRun: { median: median(requestsPerRun), max: requestsPerRun.at(-1) ?? 0 },
    // The readiness gate: its requests per run (the vpxd read, the services, the appliance's last
    // check and color), and when its last one came after the simulator's vCenter served in full.
    readinessGate: {
      requestsPerRun: { median: median(readinessRequests), max: readinessRequests.at(-1) ?? 0 },
      afterReadyMs: {
        min: gateAfterReady[0] ?? NaN,
        p50: percentile(gateAfterReady, 50),
        p99: percentile(gateAfterReady, 99),
        runs: gateAfterReady.length,
      },
    },
    requestsPerRunByOperation: Object.fromEntries(
      Object.entries(operations).map(([op, n]) => [op, Math.round((n / opts.clusters) * 10) / 10]),
    ),
    requestsPerPollInterval: {
      max: Math.max(...perRun.map((r) => r.maxPerPollInterval)),
      // From the failover request on, logins apart.
      maxWhileFollowing: Math.max(...perRun.map((r) => r.maxPerPollIntervalFollowing)),
    },
    // Login, preflight reads, the trigger's safety re-read and the request itself.
    requestsUntilTriggered: { max: Math.max(...perRun.map((r) => r.untilTriggered)) },
    loginsPerRun: { max: Math.max(...perRun.map((r) => r.logins)) },
    // Where the time goes (from the histories): task-queue waits, worker time per workflow task, time to the request.
    latencyBreakdownMs: {
      workflowTaskQueue: spread(histories.flatMap((h) => h.latency.workflowTaskQueueMs)),
      workflowTaskRun: spread(histories.flatMap((h) => h.latency.workflowTaskRunMs)),
      activityQueue: spread(histories.flatMap((h) => h.latency.activityQueueMs)),
      startToTriggered: spread(histories.flatMap((h) => h.latency.startToTriggeredMs ?? [])),
    },
    // The median-duration run's history, event by event.
    medianRunTimeline: histories[medianIndex]?.timeline,
    medianRunRequests: perRun[medianIndex]?.requestLines,
    workerPeakRssMb: Math.round(Math.max(...samples.map((s) => s.peakRssKb), 0) / 1024),
    workerCpuSeconds: Math.round((cpuAfter.cpuSeconds - cpuBefore.cpuSeconds) * 10) / 10,
    // The same CPU by thread, from the kernel's accounting (see ThreadCpu).
    ...(threadsBefore && threadsAfter
      ? { workerCpuByThread: threadCpuBetween(worker.pid!, threadsBefore, threadsAfter) }
      : {}),
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    // The server's own memory: peak RSS summed over its processes (both nodes for a cluster), and
    // PostgreSQL's peak proportional set size over the postmaster and its backends.
    serverPeakRssMb: Math.round(server.peakRssKb() / 1024),
    ...(server.postgres ? { postgresPeakPssMb: Math.round(postgresPeakPssKb / 1024) } : {}),
    // Who else used the cores meanwhile: the server (both nodes), PostgreSQL, and this process
    // (simulator, client and, for a cluster, the balancer in front of the frontends).
    otherCpuSeconds: {
      temporalServer: Math.round(serverCpuSeconds * 10) / 10,
      ...(postgresBefore && postgresAfter
        ? { postgres: Math.round((postgresAfter.cpuSeconds - postgresBefore.cpuSeconds) * 10) / 10 }
        : {}),
      simulatorAndClient: Math.round((benchCpu.user + benchCpu.system) / 1e5) / 10,
    },
    cores: availableParallelism(),
    // Every run, for plots: when it started (relative to the first start) and its figures.
    runs: perRun.map(({ workflowId, startedOffsetMs, overheadMs, healthyToCompleteMs, requests }) => ({
      workflowId,
      startedOffsetMs,
      overheadMs,
      healthyToCompleteMs,
      requests,
    })),
    failures: results
      .filter((r) => r.error)
      .map((r) => r.error)
      .slice(0, 5),
  };

  const resultsDir = path.join(root, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const suffix = server.kind === 'cluster' ? '-cluster' : '';
  const file = path.join(
    resultsDir,
    `${new Date().toISOString().replace(/[:.]/g, '-')}-n${opts.clusters}${suffix}.json`,
  );
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(renderTable(summary) + `\nwrote ${path.relative(root, file)}\n`);

  await connection.close();
  await stopProcess(worker, 15_000);
  await sim.close();
  await server.stop();
  if (opts.keep !== undefined) keepResult(opts.keep, opts.command, summary);
  return { summary, file: path.relative(root, file) };
}

/** The simulator's operations of the readiness gate (the vAPI session is the follow's login, counted apart). */
const READINESS_OPERATIONS: ReadonlySet<string> = new Set([
  'datacenter.list',
  'services.list',
  'health.lastcheck',
  'health.system',
]);

/**
 * Milliseconds from `readyAt` (the simulator's vCenter served in full) to the run's last readiness
 * request, the one that passed the gate; NaN when the run made none or vCenter never became ready.
 */
export function gatePassedAfterReady(
  requests: readonly { time: string; operation?: string }[],
  readyAt?: number,
): number {
  const last = requests.filter((r) => READINESS_OPERATIONS.has(r.operation ?? '')).at(-1);
  if (last === undefined || readyAt === undefined) return NaN;
  return Date.parse(last.time) - readyAt;
}

/**
 * Keeps a result's figures, without the per-run lists, as bench/measured/<name>.json with the command
 * that measured them: `npm run bench:report` writes BENCHMARKS.md's tables from these files.
 */
function keepResult(name: string, command: string, summary: Record<string, unknown>): void {
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(name)) {
    throw new Error(`--keep: "${name}" is not a file name of lower-case letters, digits, dots and dashes`);
  }
  const { runs: _runs, medianRunTimeline: _timeline, medianRunRequests: _requests, ...figures } = summary;
  const kept = { command: command.replace(/ --keep \S+/, ''), measuredAt: new Date().toISOString(), ...figures };
  mkdirSync(MEASURED_DIR, { recursive: true });
  writeFileSync(path.join(MEASURED_DIR, `${name}.json`), `${JSON.stringify(kept, null, 2)}\n`);
  process.stdout.write(`kept bench/measured/${name}.json (npm run bench:report writes BENCHMARKS.md)\n`);
}

/** Polls visibility until no run of the task queue is open (and all `started` are visible). */
async function waitUntilAllClosed(client: Client, taskQueue: string, started: number): Promise<void> {
  for (;;) {
    const [open, total] = await Promise.all([
      client.workflow.count(
        `TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running" AND WorkflowType = "vchaFailover"`,
      ),
      client.workflow.count(`TaskQueue = "${taskQueue}" AND WorkflowType = "vchaFailover"`),
    ]);
    if (open.count === 0 && total.count >= started) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The index of the run whose duration is the median (-1 when none finished). */
function medianRunIndex(results: { result?: { durationMs: number } }[]): number {
  const order = results
    .map((r, index) => ({ index, ms: r.result?.durationMs ?? NaN }))
    .filter((r) => Number.isFinite(r.ms))
    .sort((a, b) => a.ms - b.ms);
  return order[Math.floor(order.length / 2)]?.index ?? -1;
}

/** The most of `times` that fall in one window of `windowMs`, windows counted from `origin`. */
function maxPerWindow(times: readonly number[], origin: number, windowMs: number): number {
  const counts = new Map<number, number>();
  for (const at of times) {
    const window = Math.floor((at - origin) / windowMs);
    counts.set(window, (counts.get(window) ?? 0) + 1);
  }
  return Math.max(0, ...counts.values());
}

function renderTable(s: Record<string, unknown>): string {
  const rows: [string, string][] = [];
  const add = (label: string, value: unknown) => rows.push([label, JSON.stringify(value)]);
  for (const [key, value] of Object.entries(s))
    if (!['failures', 'runs'].includes(key) && !key.startsWith('medianRun')) add(key, value);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

if (require.main === module) {
  runBenchmark(options()).catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
