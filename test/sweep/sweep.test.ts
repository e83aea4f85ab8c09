/**
 * The fault sweep (see ./sweep.ts). `npm test` runs a fixed subset that covers every fault kind
 * and every phase of a run; `npm run sweep` (VCHA_SWEEP=full) runs all of it. Either prints the
 * matrix and writes it to sweep-results/; every case must pass the oracle: at most one failover
 * POST per workflow id and per cluster, and no verdict the cluster does not bear out.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ALL_FAULT_KINDS, type FaultKind } from './faults';
import { runLedgerFamilies } from './ledger-families';
import { GRID_LEGEND, requestGrid, summaryTable, violationLines } from './matrix';
import {
  cleanRuns,
  requestFaultCases,
  runHiddenFailover,
  runReplicaKills,
  runRequestFaults,
  runServerKills,
  runWorkerKills,
  type CaseResult,
  type CleanRun,
  type SweepCase,
} from './sweep';

const FULL = process.env.VCHA_SWEEP === 'full';

/** The k of the n-th request of `operation` in a clean run (1-based both). */
function placeOf(run: CleanRun, operation: string, nth = 1): number {
  let seen = 0;
  const index = run.operations.findIndex((op) => op === operation && ++seen === nth);
  if (index < 0) throw new Error(`the clean ${run.mode} run has no request ${nth} of ${operation}`);
  return index + 1;
}

/** The request of each phase of a run: preflight, the check, the POST, the follow, after the outage, verification. */
function phasePlaces(
  run: CleanRun,
): Record<'preflight' | 'check' | 'post' | 'follow' | 'after the outage' | 'verification', number> {
  const post = placeOf(run, 'cluster.failover');
  return {
    preflight: placeOf(run, 'cluster.get'),
    check: placeOf(run, 'cluster.get', 2),
    post,
    follow: post + 1,
    'after the outage': placeOf(run, 'session.create', 2),
    verification: run.operations.length,
  };
}

/**
 * The subset: every fault kind on the failover POST, planned and forced, and in every other
 * phase a different kind per mode, so that each kind also meets a read.
 */
const SUBSET_BY_PHASE: Record<
  'planned' | 'forced',
  Partial<Record<keyof ReturnType<typeof phasePlaces>, FaultKind>>
> = {
  planned: {
    preflight: 'reset-before',
    check: 'html-502-after',
    follow: 'late-answer',
    'after the outage': 'refused',
    verification: 'malformed-types',
  },
  forced: {
    preflight: 'vapi-500',
    check: 'refused',
    follow: '503',
    'after the outage': 'reset-after',
    verification: 'malformed-html',
  },
};

function subsetCases(clean: CleanRun[]): SweepCase[] {
  return clean.flatMap((run) => {
    const places = phasePlaces(run);
    const onPost = requestFaultCases([run], ALL_FAULT_KINDS, () => [places.post]);
    const perPhase = (Object.entries(SUBSET_BY_PHASE[run.mode]) as [keyof typeof places, FaultKind][]).flatMap(
      ([phase, kind]) => requestFaultCases([run], [kind], () => [places[phase]]),
    );
    return [...onPost, ...perPhase];
  });
}

/** Prints the matrix and writes it to sweep-results/<time>.md. */
function report(results: CaseResult[], clean: CleanRun[], elapsedMs: number): void {
  const sections = [
    `# Fault sweep (${FULL ? 'full' : 'npm test subset'}): ${results.length} cases in ${Math.round(elapsedMs / 1000)} s`,
    '',
    ...clean.map(
      (run) => `Clean ${run.mode} run: K = ${run.operations.length} requests: ${run.operations.join(', ')}.`,
    ),
    '',
    summaryTable(results),
    '',
    GRID_LEGEND,
    '',
    requestGrid(results, 'planned', ALL_FAULT_KINDS),
    '',
    requestGrid(results, 'forced', ALL_FAULT_KINDS),
    '',
    ...violationLines(results),
  ];
  const text = `${sections.join('\n')}\n`;
  const dir = path.resolve(__dirname, '..', '..', 'sweep-results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${FULL ? 'full' : 'subset'}.md`);
  writeFileSync(file, text);
  process.stderr.write(`\n${text}\n(written to ${path.relative(process.cwd(), file)})\n`);
}

describe(`fault sweep (${FULL ? 'full' : 'subset'})`, () => {
  it(
    'keeps every failover POST to at most one and every verdict true',
    { timeout: FULL ? 60 * 60_000 : 15 * 60_000 },
    async () => {
      const started = Date.now();
      const clean = await cleanRuns();
      const cases = FULL ? requestFaultCases(clean, ALL_FAULT_KINDS) : subsetCases(clean);
      const killPlaces = (run: CleanRun) => {
        const places = phasePlaces(run);
        if (FULL) return run.operations.map((_, i) => i + 1);
        return run.mode === 'planned' ? [places.preflight, places.post, places.follow] : [places.post];
      };
      // One family after the other: kills on a loaded two-core machine would otherwise turn timing into luck.
      const results = [
        ...(await runRequestFaults(cases, FULL ? 24 : 12)),
        ...(await runWorkerKills(clean, killPlaces, FULL ? 4 : 2)),
        ...(await (FULL ? runServerKills(['planned', 'forced']) : runServerKills(['planned'], ['FAILING_OVER']))),
        ...(await runReplicaKills(FULL ? ['planned', 'forced'] : ['planned'])),
        // The hidden-failover cases are also test/workflows/at-most-once.test.ts, which npm test runs.
        ...(FULL ? await runHiddenFailover() : []),
        // What operators and starters do in Temporal: Resets, retries, aliases, re-runs, two faults.
        ...(await runLedgerFamilies(clean, FULL)),
      ];
      report(results, clean, Date.now() - started);
      assert.deepEqual(violationLines(results), []);
      for (const kind of ALL_FAULT_KINDS)
        assert.ok(
          results.some((r) => r.kind === kind),
          `fault kind ${kind} covered`,
        );
    },
  );
});
