/**
 * `npm run bench:gate`: the benchmark at the gate's size (bench/limits.ts), then every gated figure
 * against its limit, one line each; exits 1 when any is crossed. `VCHA_BENCH_RSS_LIMIT_MB` lowers
 * (or raises) the RSS limit for one run, to see the gate fail. Timings are printed, not gated.
 */
import { BENCH_LIMITS, type BenchLimits } from './limits';
import { benchOptions, runBenchmark } from './run';

/** The figures of a result file the gate reads (a subset of what bench/run.ts writes). */
export interface GatedFigures {
  clusters: number;
  succeeded: number;
  failoverPosts: number;
  historyEvents: { min: number; median: number; max: number };
  requestsPerPollInterval: { max: number; maxWhileFollowing: number };
  loginsPerRun: { max: number };
  readinessGate: { requestsPerRun: { max: number }; afterReadyMs: { min: number; runs: number } };
  workerPeakRssMb: number;
}

/** One gated figure: what was measured, the limit, and whether it holds. */
export interface GateCheck {
  figure: string;
  measured: number;
  limit: string;
  ok: boolean;
}

/** Every gated figure of a benchmark's result against the limits (pure: tested without a fleet). */
export function gateChecks(figures: GatedFigures, limits: BenchLimits): GateCheck[] {
  const atMost = (figure: string, measured: number, limit: number): GateCheck => ({
    figure,
    measured,
    limit: `≤ ${limit}`,
    ok: Number.isFinite(measured) && measured <= limit,
  });
  const atLeast = (figure: string, measured: number, limit: number): GateCheck => ({
    figure,
    measured,
    limit: `≥ ${limit}`,
    ok: Number.isFinite(measured) && measured >= limit,
  });
  const exactly = (figure: string, measured: number, expected: number): GateCheck => ({
    figure,
    measured,
    limit: `= ${expected}`,
    ok: measured === expected,
  });
  return [
    exactly('failovers started', figures.clusters, limits.clusters),
    exactly('runs SUCCEEDED', figures.succeeded, limits.clusters),
    exactly('failover POSTs', figures.failoverPosts, limits.clusters),
    atMost('history events (max of any run)', figures.historyEvents.max, limits.historyEventsMax),
    atMost(
      'requests per poll interval while following (max)',
      figures.requestsPerPollInterval.maxWhileFollowing,
      limits.requestsPerPollIntervalWhileFollowingMax,
    ),
    atMost('logins per run (max)', figures.loginsPerRun.max, limits.loginsPerRunMax),
    atMost(
      'readiness gate requests per run (max)',
      figures.readinessGate.requestsPerRun.max,
      limits.readinessRequestsPerRunMax,
    ),
    // Correctness, not speed: every run's gate passed, and none before the simulator's vCenter served in full.
    exactly('runs whose readiness gate passed', figures.readinessGate.afterReadyMs.runs, limits.clusters),
    atLeast('readiness gate passed after vCenter served (ms, earliest)', figures.readinessGate.afterReadyMs.min, 0),
    atMost('worker peak RSS (MB)', figures.workerPeakRssMb, limits.workerPeakRssMb),
  ];
}

/** The limits of this run: the committed ones, with the RSS limit from the environment when set. */
export function limitsFromEnv(env: NodeJS.ProcessEnv, limits: BenchLimits = BENCH_LIMITS): BenchLimits {
  const text = env.VCHA_BENCH_RSS_LIMIT_MB;
  if (text === undefined || text === '') return limits;
  const rss = Number(text);
  if (!Number.isInteger(rss) || rss <= 0) {
    throw new Error(`VCHA_BENCH_RSS_LIMIT_MB: expected a whole number of megabytes, not "${text}"`);
  }
  return { ...limits, workerPeakRssMb: rss };
}

/** The checks as lines for a log. */
export function renderGate(checks: readonly GateCheck[]): string {
  const width = Math.max(...checks.map((check) => check.figure.length));
  return checks
    .map((check) => `${check.ok ? 'ok  ' : 'FAIL'}  ${check.figure.padEnd(width)}  ${check.measured} (${check.limit})`)
    .join('\n');
}

async function main(): Promise<void> {
  const limits = limitsFromEnv(process.env);
  const { summary, file } = await runBenchmark(benchOptions(['--clusters', String(limits.clusters)]));
  const checks = gateChecks(summary, limits);
  process.stdout.write(`\nbenchmark gate (${file}):\n${renderGate(checks)}\n`);
  if (checks.some((check) => !check.ok)) {
    process.stderr.write('bench:gate: a gated figure crossed its limit (bench/limits.ts)\n');
    process.exit(1);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench:gate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
