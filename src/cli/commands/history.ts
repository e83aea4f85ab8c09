/**
 * `vcha-failover history [--target …] [--limit N]`: recent outcome records from the audit store
 * (the same store the worker writes: `VCHA_AUDIT_DATABASE_URL`, else `VCHA_AUDIT_DB`). Needs no
 * Temporal connection: the records outlive the workflow histories.
 */
import { formatAuditTable, openAuditStore } from '../../audit';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { EXIT_CODES } from '../exit-codes';
import { UsageError, type CliIo } from '../io';
import type { HistoryJson } from '../json-shapes';
import { OUTPUT_HELP, OUTPUT_OPTIONS, outputFormat, printJson } from '../output';

const OPTIONS = { target: { type: 'string' }, limit: { type: 'string' }, ...OUTPUT_OPTIONS } as const;

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS);
  const output = outputFormat(values);
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new UsageError(`--limit: expected a whole number from 1 to 10000, got "${values.limit}"`);
  }
  const store = await openAuditStore(io.settings.audit);
  try {
    const rows = await store.list({ target: values.target, limit });
    if (output === 'json') printJson(io, { records: rows } satisfies HistoryJson);
    else io.out(`${formatAuditTable(rows)}\n`);
  } finally {
    await store.close();
  }
  return EXIT_CODES.ok;
}

/** The `history` command. */
export const historyCommand: Command = {
  name: 'history',
  summary: 'recent failover outcomes from the audit store',
  help: `Usage: vcha-failover history [--target <name>] [--limit <n>] [-o json]

Prints the newest outcome records (one per run that got past input validation) as a table:
finished time, target, outcome, planned or forced, dry run, active node before -> after,
duration, how the run was started, workflow id.

The store is the one the worker writes: PostgreSQL when VCHA_AUDIT_DATABASE_URL is set,
otherwise the SQLite file VCHA_AUDIT_DB (default .data/vcha-audit.sqlite).

Options:
  --target <name>          only this target
  --limit <n>              at most n rows, newest first (default 20)
${OUTPUT_HELP}
  -h, --help               this help`,
  run,
};
