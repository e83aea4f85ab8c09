/**
 * `vcha-failover check [--all | --target a --target b …]`: the fleet readiness check. Runs
 * `fleetFailover` as a dry run (preflight only, nothing sent), a bounded number of targets at a
 * time, and prints one line per target: active and passive node, mode, health, and ready, the
 * failed checks, or busy when another run holds the target. `checkLines` is the one renderer.
 */
import { memoFields, WORKFLOW_TYPES } from '../../contract';
import type { FleetFailoverInput, FleetFailoverResult, FleetTargetOutcome } from '../../contract';
import { parseFleetInput } from '../../contract/input/fleet';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import type { CheckJson } from '../json-shapes';
import { taskQueueFrom, withSession } from '../connect';
import { CONNECTION_HELP, CONNECTION_OPTIONS, type ConnectionValues } from '../connection-flags';
import { OUTPUT_HELP, OUTPUT_OPTIONS, outputFormat, printJson, type OutputFormat } from '../output';
import { EXIT_CODES } from '../exit-codes';
import { printLines, UsageError, type CliIo } from '../io';
import { formatDuration } from '../../contract/duration';

const OPTIONS = {
  all: { type: 'boolean' },
  target: { type: 'string', multiple: true },
  concurrency: { type: 'string' },
  'task-queue': { type: 'string' },
  ...OUTPUT_OPTIONS,
  ...CONNECTION_OPTIONS,
} as const;

/** How many targets are checked at once unless `--concurrency` says otherwise. */
const DEFAULT_CONCURRENCY = 10;

/**
 * A role change this recent is flagged: a VCHA cluster can fail back by itself (Broadcom KB 430364),
 * and one that just switched, or switched back, may switch again.
 */
export const RECENT_ROLE_CHANGE_MS = 60 * 60_000;

/** The flag of a target whose roles changed within {@link RECENT_ROLE_CHANGE_MS}, or undefined. */
function recentRoleChange(outcome: FleetTargetOutcome): string | undefined {
  const last = outcome.cluster?.lastFailover;
  if (!last || last.agoMs > RECENT_ROLE_CHANGE_MS) return undefined;
  const by = last.automatic ? 'by VCHA itself' : `by ${last.user ?? 'an unknown user'}`;
  return `ROLES CHANGED ${formatDuration(last.agoMs)} ago (failover task ${last.taskId} ${by}, ended ${last.endedAt})`;
}

/** One target's verdict in words. */
function verdict(outcome: FleetTargetOutcome): string {
  const recent = recentRoleChange(outcome);
  const plain = plainVerdict(outcome);
  return recent ? `${plain}; ${recent}` : plain;
}

function plainVerdict(outcome: FleetTargetOutcome): string {
  if (outcome.outcome === 'DRY_RUN_PASSED') return 'ready';
  if (outcome.outcome === 'TargetBusy')
    return `busy: ${outcome.heldBy ? `held by ${outcome.heldBy.workflowId}` : outcome.message}`;
  if (outcome.failedChecks?.length) return `NOT READY: ${outcome.failedChecks.join(', ')} (${outcome.message})`;
  return `NOT READY: ${outcome.outcome}: ${outcome.message}`;
}

/** The readiness table: a header and one line per target, in input order. */
export function checkLines(result: FleetFailoverResult): string[] {
  const rows = result.outcomes.map((o) => [
    o.target,
    o.cluster?.activeNode ?? '-',
    o.cluster?.passiveNode ?? '-',
    o.cluster?.mode ?? '-',
    o.cluster?.healthState ?? '-',
    verdict(o),
  ]);
  const header = ['TARGET', 'ACTIVE', 'PASSIVE', 'MODE', 'HEALTH', 'READINESS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const ready = result.outcomes.filter((o) => o.outcome === 'DRY_RUN_PASSED').length;
  return [line(header), ...rows.map(line), `${ready} of ${result.outcomes.length} targets ready`];
}

/** The readiness as one JSON document (`check -o json`), in input order. */
export function checkJson(result: FleetFailoverResult): CheckJson {
  return {
    allReady: result.outcomes.every((o) => o.outcome === 'DRY_RUN_PASSED'),
    targets: result.outcomes.map((o) => ({
      target: o.target,
      ready: o.outcome === 'DRY_RUN_PASSED',
      busy: o.outcome === 'TargetBusy',
      outcome: o.outcome,
      message: o.message,
      activeNode: o.cluster?.activeNode ?? null,
      passiveNode: o.cluster?.passiveNode ?? null,
      mode: o.cluster?.mode ?? null,
      healthState: o.cluster?.healthState ?? null,
      failedChecks: o.failedChecks ?? [],
      heldBy: o.heldBy?.workflowId ?? null,
      lastFailover: o.cluster?.lastFailover
        ? { ...o.cluster.lastFailover, user: o.cluster.lastFailover.user ?? null }
        : null,
      rolesChangedRecently: recentRoleChange(o) !== undefined,
    })),
  };
}

/** The fleet input of a check, from the flags; throws UsageError. */
export function checkInput(argv: readonly string[]): {
  input: FleetFailoverInput;
  taskQueueFlag?: string;
  output: OutputFormat;
  connection: ConnectionValues;
} {
  const { values } = parseCommandArgs(argv, OPTIONS);
  const named = values.target ?? [];
  if (values.all && named.length > 0) throw new UsageError('use either --all or --target, not both');
  if (!values.all && named.length === 0)
    throw new UsageError('say which targets: --all or --target <name> (repeatable)');
  const concurrency = values.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(values.concurrency);
  const input: FleetFailoverInput = {
    targets: values.all ? 'all' : named,
    planned: true,
    dryRun: true,
    stopOnFailure: false,
    concurrency,
    reason: 'readiness check',
  };
  const validation = parseFleetInput(input);
  if (!validation.ok) {
    throw new UsageError(validation.problems.map((p) => p.replace(/^concurrency:/, '--concurrency:')).join('; '));
  }
  return {
    input,
    ...(values['task-queue'] !== undefined ? { taskQueueFlag: values['task-queue'] } : {}),
    output: outputFormat(values),
    connection: values,
  };
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { input, taskQueueFlag, output, connection } = checkInput(argv);
  return withSession(io, connection, async ({ client }) => {
    const handle = await client.workflow.start(WORKFLOW_TYPES.fleet, {
      taskQueue: taskQueueFrom(taskQueueFlag, io.settings),
      workflowId: `vcha-check-${new Date().toISOString().replace(/[-:]/g, '')}`,
      args: [{ ...input, ...(io.settings.osUser ? { requestedBy: io.settings.osUser } : {}) }],
      memo: memoFields({ startedBy: 'cli' }),
    });
    const result = (await handle.result()) as FleetFailoverResult;
    const allReady = result.outcomes.every((o) => o.outcome === 'DRY_RUN_PASSED');
    if (output === 'json') printJson(io, checkJson(result));
    else printLines(io, checkLines(result));
    return allReady ? EXIT_CODES.ok : EXIT_CODES.notReady;
  });
}

/** The `check` command. */
export const checkCommand: Command = {
  name: 'check',
  summary: 'check that targets are ready to fail over (dry run, nothing sent)',
  help: `Usage: vcha-failover check (--all | --target <name>...) [--concurrency <n>]

Runs the preflight of a planned failover for each target (fleetFailover as a dry run: nothing is
sent to vCenter) and prints one line per target: active node, passive node, mode, health, and
"ready", the failed checks, or "busy" when another run (a failover or a maintenance) holds it.
A target whose roles changed within the last hour is flagged "ROLES CHANGED <age> ago": vCenter
gives no time of the last role change, so this is its latest SUCCEEDED failover task (a request's,
or VCHA's own fail back); a fail back without a task does not show.

Options:
  --all                every target configured on the worker
  --target <name>      a target to check (repeatable)
  --concurrency <n>    how many targets are checked at once, 1–100 (default 10)
    --task-queue <name>  the worker's task queue (default $VCHA_TASK_QUEUE or vcha-failover)
${OUTPUT_HELP}
  -h, --help           this help

${CONNECTION_HELP}

Exits 0 only when every target is ready, 3 otherwise.`,
  run,
};
