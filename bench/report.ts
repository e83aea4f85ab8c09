/**
 * `npm run bench:report`: writes BENCHMARKS.md's generated tables from the kept result files under
 * bench/measured/ (`npm run bench -- … --keep <name>` keeps one), so no row can drift from what
 * was measured. A table is a block in BENCHMARKS.md:
 *
 *     <!-- table: bench/measured/<prefix>* -->
 *     … (written by this script)
 *     <!-- end of table -->
 *
 * and holds one row per kept file whose name starts with the prefix, in name order, each with the
 * command that reproduces it. `--check` writes nothing and exits 1 when BENCHMARKS.md differs.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

/** Where kept result files live. */
export const MEASURED_DIR = path.join(root, 'bench', 'measured');

/** The figures of a kept result file that the tables show (bench/run.ts writes them all). */
export interface KeptResult {
  /** The file's name without `.json`: the row's label. */
  name: string;
  /** The command line that measured it. */
  command: string;
  /** When it was measured (ISO). */
  measuredAt: string;
  clusters: number;
  server: string;
  succeeded: number;
  failoverPosts: number;
  historyEvents: { min: number; median: number; max: number };
  overheadMs: { p50: number; p95: number; p99: number; max: number };
  healthyToCompleteMs: { p50: number; p99: number };
  requestsPerRun: { median: number; max: number };
  /** Absent from results measured before the benchmark measured the readiness gate (0.4.1 and earlier). */
  readinessGate?: { requestsPerRun: { median: number; max: number }; afterReadyMs: { p50: number; p99: number } };
  requestsPerPollInterval: { max: number; maxWhileFollowing: number };
  loginsPerRun: { max: number };
  workerPeakRssMb: number;
  workerCpuSeconds: number;
  otherCpuSeconds: { temporalServer: number };
  wallSeconds: number;
}

const HEADER = [
  'measured',
  'N',
  'succeeded',
  'POSTs',
  'history events min/med/max',
  'overhead p50 / p95 / p99 / max (ms)',
  'healthy→complete p50 / p99 (ms)',
  'requests per run med / max',
  'readiness gate: requests med / max, passed after ready p50 / p99 (ms)',
  'requests per poll interval: max / while following',
  'logins per run max',
  'worker peak RSS',
  'worker CPU s',
  'server CPU s',
  'wall s',
  'command',
];

/** One table row's cells. */
function rowOf(result: KeptResult): string[] {
  const ms = (value: number) => (Number.isFinite(value) ? String(Math.round(value)) : '–');
  return [
    result.name,
    String(result.clusters),
    String(result.succeeded),
    String(result.failoverPosts),
    `${result.historyEvents.min} / ${result.historyEvents.median} / ${result.historyEvents.max}`,
    [result.overheadMs.p50, result.overheadMs.p95, result.overheadMs.p99, result.overheadMs.max].map(ms).join(' / '),
    `${ms(result.healthyToCompleteMs.p50)} / ${ms(result.healthyToCompleteMs.p99)}`,
    `${result.requestsPerRun.median} / ${result.requestsPerRun.max}`,
    result.readinessGate
      ? `${result.readinessGate.requestsPerRun.median} / ${result.readinessGate.requestsPerRun.max}, ` +
        `${ms(result.readinessGate.afterReadyMs.p50)} / ${ms(result.readinessGate.afterReadyMs.p99)}`
      : '–',
    `${result.requestsPerPollInterval.max} / ${result.requestsPerPollInterval.maxWhileFollowing}`,
    String(result.loginsPerRun.max),
    `${result.workerPeakRssMb} MB`,
    String(result.workerCpuSeconds),
    String(result.otherCpuSeconds.temporalServer),
    String(result.wallSeconds),
    `\`${result.command}\``,
  ];
}

/** A Markdown table of the results, columns padded as prettier pads them. */
export function renderTable(results: readonly KeptResult[]): string {
  const rows = [HEADER, ...results.map(rowOf)];
  const widths = HEADER.map((_, column) => Math.max(3, ...rows.map((row) => [...row[column]!].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell + ' '.repeat(widths[column]! - [...cell].length)).join(' | ')} |`;
  return [line(HEADER), line(widths.map((width) => '-'.repeat(width))), ...rows.slice(1).map(line)].join('\n');
}

// The end marker may follow the start marker directly: a new, still empty block is written too.
// The body is optional and lazy (`??`): tried empty first, so an empty block ends at its own end
// marker instead of swallowing the text up to the next block's.
const BLOCK = /(<!-- table: bench\/measured\/([^*\s]*)\* -->\n)(?:[\s\S]*?\n)??(<!-- end of table -->)/g;

/** The document with every generated block rewritten from `results`; throws naming a block with no rows. */
export function renderDocument(document: string, results: readonly KeptResult[]): string {
  return document.replace(BLOCK, (_, open: string, prefix: string, close: string) => {
    const rows = results.filter((result) => result.name.startsWith(prefix));
    if (rows.length === 0) throw new Error(`BENCHMARKS.md: no kept result in bench/measured/ starts with "${prefix}"`);
    return `${open}\n${renderTable(rows)}\n\n${close}`;
  });
}

/** Every kept result, in name order. */
export function readKeptResults(dir: string = MEASURED_DIR): KeptResult[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      ...(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Omit<KeptResult, 'name'>),
      name: file.slice(0, -'.json'.length),
    }));
}

function main(): void {
  const file = path.join(root, 'BENCHMARKS.md');
  const before = readFileSync(file, 'utf8');
  const after = renderDocument(before, readKeptResults());
  if (process.argv.includes('--check')) {
    if (after !== before) {
      process.stderr.write('BENCHMARKS.md differs from bench/measured/: run npm run bench:report\n');
      process.exit(1);
    }
    return;
  }
  writeFileSync(file, after);
  process.stdout.write(after === before ? 'BENCHMARKS.md unchanged\n' : 'wrote BENCHMARKS.md\n');
}

if (require.main === module) main();
