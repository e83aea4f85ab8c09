/**
 * `vcha-failover maintenance start|done`: a `vchaMaintenance` run (fail over, patch the old
 * active node, fail back) and the end of its maintenance window. Its input from the flags and its
 * view are shared with `schedule create`, `status` and the demo (`../maintenance-run.ts`).
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import {
  WORKFLOW_TYPES,
  maintenanceDoneUpdate,
  maintenanceStatusQuery,
  maintenanceUserMetadata,
  memoFields,
  type MaintenanceStatus,
} from '../../contract';
import { parseCommandArgs } from '../args';
import type { Command, CommandGroup } from '../command';
import { taskQueueFrom, webUiLink, withSession } from '../connect';
import { CONNECTION_HELP, CONNECTION_OPTIONS } from '../connection-flags';
import { OUTPUT_HELP, OUTPUT_OPTIONS, outputFormat, printJson, silentOut } from '../output';
import { EXIT_CODES, exitCodeForOutcome } from '../exit-codes';
import { CliFailure, printLines, UsageError, type CliIo } from '../io';
import { describeRun } from '../run-handle';
import { defaultMaintenanceId, endingOf, maintenanceInputFrom, maintenanceLines } from '../maintenance-run';
import { RUN_START_OPTIONS } from '../run-options';

/** How often `start --wait` reads the run's status. */
const WAIT_POLL_MS = 1_000;

const DONE_OPTIONS = {
  note: { type: 'string' },
  by: { type: 'string' },
  ...OUTPUT_OPTIONS,
  ...CONNECTION_OPTIONS,
} as const;

const START_OPTIONS = {
  ...RUN_START_OPTIONS,
  'no-failback': { type: 'boolean' },
  'max-duration': { type: 'string' },
  'on-max-duration': { type: 'string' },
} as const;

/** Reads the status until the run ends, printing each new phase; then its record. */
async function waitForEnd(handle: WorkflowHandle, io: CliIo, json?: Record<string, unknown>): Promise<number> {
  if (json) {
    // JSON: no progress lines, one document once the run ended.
    await waitForEnd(handle, silentOut(io));
    const { record, type, message } = await endingOf(handle);
    printJson(io, { ...json, ending: { outcome: type, message, record: record ?? null } });
    return exitCodeForOutcome(type);
  }
  let shown = '';
  for (;;) {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') break;
    const status = await handle.query(maintenanceStatusQuery).catch(() => undefined);
    const line = status ? `[${status.phase}] ${status.observation}` : '';
    if (line && line !== shown) printLines(io, [line]);
    shown = line || shown;
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
  }
  const { record, type, message } = await endingOf(handle);
  if (record) printLines(io, maintenanceLines(record));
  else printLines(io, [`  ${type}: ${message}`]);
  return exitCodeForOutcome(type);
}

async function start(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, START_OPTIONS);
  const input = maintenanceInputFrom(values, io.settings);
  const workflowId = values['workflow-id'] || defaultMaintenanceId(input.target, new Date());
  const taskQueue = taskQueueFrom(values['task-queue'], io.settings);
  const output = outputFormat(values);
  return withSession(io, values, async ({ client, namespace }) => {
    let handle;
    try {
      handle = await client.workflow.start(WORKFLOW_TYPES.maintenance, {
        taskQueue,
        workflowId,
        args: [input],
        memo: memoFields({ startedBy: 'cli', reason: input.reason, requestedBy: input.requestedBy || undefined }),
        ...maintenanceUserMetadata(input, 'the vcha-failover CLI'),
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw new CliFailure(`a run with workflow id ${workflowId} is already running; pick another --workflow-id`);
      }
      throw error;
    }
    const webUiUrl = webUiLink(io.settings, namespace, handle.workflowId, handle.firstExecutionRunId);
    if (output === 'json') {
      const document = {
        workflowId: handle.workflowId,
        runId: handle.firstExecutionRunId,
        target: input.target,
        taskQueue,
        webUiUrl,
      };
      if (!values.wait) {
        printJson(io, { ...document, ending: null });
        return EXIT_CODES.ok;
      }
      return waitForEnd(handle, io, document);
    }
    printLines(io, [
      `Started maintenance of ${input.target} on task queue ${taskQueue}`,
      `  workflow id: ${handle.workflowId}`,
      `  Web UI:      ${webUiUrl}`,
      `End the maintenance with: vcha-failover maintenance done ${handle.workflowId}`,
    ]);
    if (!values.wait) return EXIT_CODES.ok;
    return waitForEnd(handle, io);
  });
}

async function done(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, DONE_OPTIONS, ['workflow-id']);
  const by = values.by ?? io.settings.osUser;
  if (by === undefined || by.trim() === '') throw new UsageError('--by is required (no OS user name to default to)');
  const output = outputFormat(values);
  return withSession(io, values, async (session) => {
    const { handle, description } = await describeRun(session, positionals[0]!);
    if (description.type !== WORKFLOW_TYPES.maintenance) {
      throw new CliFailure(`${positionals[0]} is a ${description.type} workflow, not a vchaMaintenance run`);
    }
    if (description.status.name !== 'RUNNING') {
      throw new CliFailure(`run ${handle.workflowId} has already ended (${description.status.name})`);
    }
    let status: MaintenanceStatus;
    try {
      status = await handle.executeUpdate(maintenanceDoneUpdate, {
        args: [{ by, ...(values.note !== undefined ? { note: values.note } : {}) }],
      });
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        throw new CliFailure(
          `maintenanceDone refused by ${handle.workflowId}: ${error.cause?.message ?? error.message}`,
        );
      }
      throw error;
    }
    if (output === 'json') {
      printJson(io, { workflowId: handle.workflowId, doneBy: by, status });
      return EXIT_CODES.ok;
    }
    printLines(io, [
      `Maintenance of ${status.target} marked done by ${by}.`,
      status.failback === false
        ? 'No failback configured: the run ends with the cluster on the new node.'
        : `The run now checks the cluster and fails back to ${status.originalActive} if it is fit.`,
      `Follow it with: vcha-failover status ${handle.workflowId}`,
    ]);
    return EXIT_CODES.ok;
  });
}

const startCommand: Command = {
  name: 'maintenance start',
  summary: 'fail a target over for maintenance, wait for "done", fail back',
  help: `Usage: vcha-failover maintenance start --target <name> --reason <text> [options]

Starts vchaMaintenance: a planned failover (the target's policy and approval apply), then
IN_MAINTENANCE with the target held (no other failover of it), until \`maintenance done\` or
--max-duration; then a planned failover back once the cluster is HEALTHY with every member UP
and the patched node PASSIVE. An unfit cluster gets no failback (exit code 21).

Options:
  --target <name>            vCenter target configured on the worker (required)
  --reason <text>            why (required; recorded with both legs)
  --requested-by <name>      who asks (default: the OS user name)
  --no-failback              stay on the new node when the maintenance ends
  --max-duration <dur>       longest maintenance window, 1s–168h (default 4h)
  --on-max-duration <what>   failback or leave (default leave: exit code 22)
  --poll-interval <dur>      vCenter polling during each failover (default 5s)
  --workflow-id <id>         workflow id (default vcha-maintenance-<target>-<UTC time>)
  --task-queue <name>        the worker's task queue (default $VCHA_TASK_QUEUE or vcha-failover)
    --wait                     show each phase until the run ends and exit with its outcome's code
${OUTPUT_HELP}
  -h, --help                 this help

${CONNECTION_HELP}`,
  run: start,
};

const doneCommand: Command = {
  name: 'maintenance done',
  summary: 'end the maintenance window of a run; it fails back if configured',
  help: `Usage: vcha-failover maintenance done <workflow-id> [--note <text>] [--by <name>]

Sends the maintenanceDone Update to a vchaMaintenance run in IN_MAINTENANCE. Refused (exit 1)
before the first failover has finished or once the window has ended.

Options:
  --note <text>   recorded with the maintenance (at most 500 characters)
    --by <name>     who says it is done (default: the OS user name)
${OUTPUT_HELP}
  -h, --help      this help

${CONNECTION_HELP}`,
  run: done,
};

/** The `maintenance` command group. */
export const maintenanceGroup: CommandGroup = {
  name: 'maintenance',
  summary: 'fail over, patch, fail back in one run (start, done)',
  help: `Usage: vcha-failover maintenance <start|done> [options]

  start   ${startCommand.summary}
  done    ${doneCommand.summary}

Run vcha-failover maintenance <command> --help for its options.`,
  subcommands: [startCommand, doneCommand],
};
