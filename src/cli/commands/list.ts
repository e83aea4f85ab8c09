/**
 * `vcha-failover list [--running] [--target …] [--limit N]`: recent and running failovers from
 * Temporal visibility (the `Vcha*` search attributes), newest first, as a table or JSON.
 */
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { alignedTable } from '../../audit';
import {
  readMemo,
  WORKFLOW_TYPES,
  formatDuration,
  VCHA_OUTCOME,
  VCHA_PHASE,
  VCHA_PLANNED,
  VCHA_TARGET,
} from '../../contract';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { withSession } from '../connect';
import { CONNECTION_HELP, CONNECTION_OPTIONS } from '../connection-flags';
import { EXIT_CODES } from '../exit-codes';
import { printLines, UsageError, type CliIo } from '../io';
import type { ListJson } from '../json-shapes';
import { OUTPUT_HELP, OUTPUT_OPTIONS, outputFormat, printJson } from '../output';

const OPTIONS = {
  running: { type: 'boolean' },
  target: { type: 'string' },
  limit: { type: 'string' },
  ...OUTPUT_OPTIONS,
  ...CONNECTION_OPTIONS,
} as const;

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1_000;

const HEADERS = ['TARGET', 'WORKFLOW ID', 'PHASE', 'OUTCOME', 'STARTED', 'DURATION', 'REQUESTED BY'] as const;

/** A visibility query string literal: double quotes with backslash escapes. */
const quoted = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The visibility query for the flags: vchaFailover runs, running ones only, one target only. */
export function listQuery(options: { running?: boolean; target?: string }): string {
  const parts = [`WorkflowType = '${WORKFLOW_TYPES.failover}'`];
  if (options.running) parts.push(`ExecutionStatus = 'Running'`);
  if (options.target !== undefined) parts.push(`${VCHA_TARGET.name} = ${quoted(options.target)}`);
  return parts.join(' AND ');
}

/** One run as `list -o json` documents it. */
function failoverJson(info: WorkflowExecutionInfo, now: Date): ListJson['failovers'][number] {
  const attributes = info.typedSearchAttributes;
  const { requestedBy } = readMemo(info.memo);
  const end = info.closeTime ?? now;
  return {
    target: attributes.get(VCHA_TARGET) ?? null,
    workflowId: info.workflowId,
    runId: info.runId,
    status: info.status.name,
    phase: attributes.get(VCHA_PHASE) ?? null,
    outcome: attributes.get(VCHA_OUTCOME) ?? null,
    planned: attributes.get(VCHA_PLANNED) ?? null,
    startedAt: info.startTime.toISOString(),
    closedAt: info.closeTime?.toISOString() ?? null,
    durationMs: Math.max(0, end.getTime() - info.startTime.getTime()),
    requestedBy: requestedBy ?? null,
  };
}

/** The table cells of a run; a run that ended outside the contract shows Temporal's status as its outcome. */
function cells(run: ListJson['failovers'][number]): string[] {
  return [
    run.target ?? '-',
    run.workflowId,
    run.phase ?? '-',
    run.outcome ?? (run.status === 'RUNNING' ? '-' : run.status),
    run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    `${formatDuration(run.durationMs)}${run.closedAt ? '' : ' (running)'}`,
    run.requestedBy ?? '-',
  ];
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS);
  const output = outputFormat(values);
  const limit = values.limit === undefined ? DEFAULT_LIMIT : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new UsageError(`--limit: expected a whole number from 1 to ${MAX_LIMIT}, got "${values.limit}"`);
  }
  if (values.target !== undefined && values.target.trim() === '') throw new UsageError('--target: empty name');
  const query = listQuery(values);
  return withSession(io, values, async ({ client }) => {
    const now = new Date();
    const failovers: ListJson['failovers'] = [];
    for await (const info of client.workflow.list({ query, pageSize: Math.min(limit, 100) })) {
      failovers.push(failoverJson(info, now));
      if (failovers.length >= limit) break;
    }
    if (output === 'json') printJson(io, { query, failovers } satisfies ListJson);
    else if (failovers.length === 0) printLines(io, [`No failovers match (${query}).`]);
    else printLines(io, [alignedTable(HEADERS, failovers.map(cells))]);
    return EXIT_CODES.ok;
  });
}

/** The `list` command. */
export const listCommand: Command = {
  name: 'list',
  summary: 'recent and running failovers from Temporal visibility',
  help: `Usage: vcha-failover list [--running] [--target <name>] [--limit <n>] [-o json]

Lists vchaFailover runs, newest first, from Temporal visibility (the VchaTarget, VchaPhase,
VchaOutcome and VchaPlanned search attributes): target, workflow id, phase, outcome, started
(UTC), duration, requested by. Visibility is eventually consistent: a run started a moment ago
may show up a second later.

Options:
  --running                only runs still running
  --target <name>          only this target
  --limit <n>              at most n runs, 1–${MAX_LIMIT} (default ${DEFAULT_LIMIT})
${OUTPUT_HELP}
  -h, --help               this help

${CONNECTION_HELP}`,
  run,
};
