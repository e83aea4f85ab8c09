/** Renders audit rows as a plain-text table for terminals and change tickets (`vcha-failover history`). */
import { formatDuration } from '../contract';
import type { AuditRow } from './audit-store';

const HEADERS = [
  'FINISHED',
  'TARGET',
  'OUTCOME',
  'KIND',
  'DRY RUN',
  'ACTIVE BEFORE → AFTER',
  'DURATION',
  'STARTED BY',
  'WORKFLOW ID',
] as const;

/** `2024-05-01 10:04:12Z`: second precision is enough to find a change window and stays narrow. */
function finishedText(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function cells(row: AuditRow): string[] {
  return [
    finishedText(row.finishedAt),
    row.target,
    row.outcome,
    row.planned ? 'planned' : 'forced',
    row.dryRun ? 'yes' : 'no',
    `${row.activeBefore ?? '-'} → ${row.activeAfter ?? '-'}`,
    formatDuration(row.durationMs),
    row.startedBy,
    row.workflowId,
  ];
}

/** Keeps a cell on its line: a newline in a stored value would break the table's columns. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** Cells under headers as aligned columns (two spaces apart, each cell kept on one line). */
export function alignedTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const table = [[...headers], ...rows.map((row) => row.map(oneLine))];
  const widths = headers.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
  return table
    .map((line) =>
      line
        .map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The rows as an aligned table with a header, in the order given; a sentence when there are none. */
export function formatAuditTable(rows: readonly AuditRow[]): string {
  if (rows.length === 0) return 'No failover outcomes recorded.';
  return alignedTable(HEADERS, rows.map(cells));
}
