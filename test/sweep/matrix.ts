/** The sweep's matrix as Markdown: a summary per case kind, and the outcome of every request fault. */
import type { CaseResult, Mode } from './sweep';
import type { FaultKind } from './faults';

/** One letter per end, for the grid. */
const LETTER: Record<string, string> = {
  SUCCEEDED: 'S',
  FailoverOutcomeUnknown: 'U',
  FailoverFailed: 'F',
  PreflightRejected: 'P',
  NotAuthorized: 'A',
  FailoverNotHealthy: 'H',
};

const count = (results: CaseResult[], keep: (result: CaseResult) => boolean) => results.filter(keep).length;

/** The longest case of `results`, in whole seconds. */
const longest = (results: CaseResult[]) => `${Math.round(Math.max(...results.map((r) => r.durationMs)) / 1_000)} s`;

/** `SUCCEEDED 12, FailoverOutcomeUnknown 3` for the outcomes of `results`. */
function outcomes(results: CaseResult[]): string {
  const by = new Map<string, number>();
  for (const result of results) by.set(result.outcome, (by.get(result.outcome) ?? 0) + 1);
  return [...by.entries()].map(([outcome, n]) => `${outcome} ${n}`).join(', ');
}

/** The summary table: one row per family and kind. */
export function summaryTable(results: CaseResult[]): string {
  const groups = new Map<string, CaseResult[]>();
  for (const result of results) {
    const key = `${result.family}\u0000${result.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  const rows = [...groups.values()].map((group) => {
    const { family, kind } = group[0]!;
    const posts = [0, 1].map((n) => count(group, (r) => r.posts === n));
    const processed = [0, 1].map((n) => count(group, (r) => r.processed === n));
    return `| ${family} | ${kind} | ${group.length} | ${count(group, (r) => r.violations.length === 0)} | ${posts[0]} / ${posts[1]} / ${count(group, (r) => r.posts > 1)} | ${processed[0]} / ${processed[1]} | ${outcomes(group)} | ${longest(group)} |`;
  });
  const total = `| **all** | | **${results.length}** | **${count(results, (r) => r.violations.length === 0)}** | ${count(results, (r) => r.posts === 0)} / ${count(results, (r) => r.posts === 1)} / **${count(results, (r) => r.posts > 1)}** | ${count(results, (r) => r.processed === 0)} / ${count(results, (r) => r.processed === 1)} | ${outcomes(results)} | ${longest(results)} |`;
  return [
    '| family | case kind | cases | passed | POSTs reaching vCenter 0 / 1 / 2+ | processed by vCenter 0 / 1 | outcomes | longest case |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    total,
  ].join('\n');
}

/** The grid of one mode's request faults and worker kills: a row per request k, a column per fault kind. */
export function requestGrid(results: CaseResult[], mode: Mode, kinds: FaultKind[]): string {
  const faults = results.filter(
    (r) => (r.family === 'request fault' || r.family === 'worker SIGKILL') && r.mode === mode,
  );
  const places = [...new Set(faults.map((r) => r.k!))].sort((a, b) => a - b);
  if (places.length === 0) return '';
  const columns: { title: string; kind: string }[] = [
    ...kinds.map((kind) => ({ title: kind, kind })),
    { title: 'worker SIGKILL after it', kind: 'after request k' },
  ];
  const cell = (k: number, kind: string) => {
    const result = faults.find((r) => r.k === k && r.kind === kind);
    if (!result) return '';
    return `${LETTER[result.outcome] ?? '?'}${result.posts}${result.violations.length > 0 ? ' **!**' : ''}`;
  };
  return [
    `| k | request (${mode}) | ${columns.map((c) => c.title).join(' | ')} |`,
    `| --- | --- | ${columns.map(() => '---').join(' | ')} |`,
    ...places.map((k) => {
      const operation = faults.find((r) => r.k === k)?.operation ?? '';
      return `| ${k} | ${operation} | ${columns.map((c) => cell(k, c.kind)).join(' | ')} |`;
    }),
  ].join('\n');
}

/** Every violation, one line each. */
export function violationLines(results: CaseResult[]): string[] {
  return results
    .filter((r) => r.violations.length > 0)
    .map(
      (r) =>
        `${r.family} / ${r.mode} / ${r.kind}${r.k ? ` at request ${r.k} (${r.operation})` : ''}: ${r.violations.join('; ')} — ended ${r.outcome}: ${r.message}`,
    );
}

/** The legend of the grid's cells. */
export const GRID_LEGEND =
  'Cell: the outcome (S SUCCEEDED, U FailoverOutcomeUnknown, F FailoverFailed, P PreflightRejected, A NotAuthorized, H FailoverNotHealthy) and the number of failover POSTs that reached vCenter; **!** marks a violation.';
