/**
 * `vcha-failover schedule …`: the group, and its small subcommands (pause, unpause, trigger,
 * delete); `create` and `list` have files of their own.
 */
import { parseCommandArgs } from '../../args';
import type { Command, CommandGroup } from '../../command';
import { webUiLink, withSession } from '../../connect';
import { CONNECTION_HELP, CONNECTION_OPTIONS } from '../../connection-flags';
import { EXIT_CODES } from '../../exit-codes';
import { CliFailure, printLines, type CliIo } from '../../io';
import { findFailoverSchedule } from './handle';
import { scheduleCreateCommand } from './create';
import { scheduleListCommand } from './list';

/** How long `trigger` waits for the started run to show in the schedule. */
const TRIGGER_REPORT_TIMEOUT_MS = 10_000;

const NOTE_OPTION = { note: { type: 'string' }, ...CONNECTION_OPTIONS } as const;

async function pause(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, NOTE_OPTION, ['schedule-id']);
  return withSession(io, values, async (session) => {
    const { handle } = await findFailoverSchedule(session, positionals[0]!);
    await handle.pause(values.note ?? 'paused with the vcha-failover CLI');
    printLines(io, [`Paused schedule ${handle.scheduleId}: it starts no failovers until unpaused.`]);
    return EXIT_CODES.ok;
  });
}

async function unpause(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, NOTE_OPTION, ['schedule-id']);
  return withSession(io, values, async (session) => {
    const { handle } = await findFailoverSchedule(session, positionals[0]!);
    await handle.unpause(values.note ?? 'unpaused with the vcha-failover CLI');
    const next = (await handle.describe()).info.nextActionTimes[0];
    printLines(io, [`Unpaused schedule ${handle.scheduleId}; next time ${next ? next.toISOString() : 'none'}.`]);
    return EXIT_CODES.ok;
  });
}

async function trigger(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, CONNECTION_OPTIONS, ['schedule-id']);
  return withSession(io, values, async (session) => {
    const { handle, description } = await findFailoverSchedule(session, positionals[0]!);
    const earlier = new Set(description.info.recentActions.map((a) => a.action.workflow.workflowId));
    const skippedBefore = description.info.numActionsSkippedOverlap;
    // The schedule's own overlap policy: a trigger while its previous run still runs is skipped.
    await handle.trigger('SKIP');
    const deadline = Date.now() + TRIGGER_REPORT_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const info = (await handle.describe()).info;
      const started = info.recentActions.find((a) => !earlier.has(a.action.workflow.workflowId));
      if (started) {
        const { workflowId, firstExecutionRunId } = started.action.workflow;
        printLines(io, [
          `Triggered schedule ${handle.scheduleId}: started run ${workflowId}`,
          `  Web UI: ${webUiLink(io.settings, session.namespace, workflowId, firstExecutionRunId)}`,
          `Follow it with: vcha-failover status ${workflowId}`,
        ]);
        return EXIT_CODES.ok;
      }
      if (info.numActionsSkippedOverlap > skippedBefore) {
        throw new CliFailure(
          `schedule ${handle.scheduleId} skipped the trigger: a run it started is still running (overlap policy SKIP)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    printLines(io, [
      `Triggered schedule ${handle.scheduleId}; its run has not shown up yet (see vcha-failover schedule list).`,
    ]);
    return EXIT_CODES.ok;
  });
}

async function remove(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, CONNECTION_OPTIONS, ['schedule-id']);
  return withSession(io, values, async (session) => {
    const { handle } = await findFailoverSchedule(session, positionals[0]!);
    await handle.delete();
    printLines(io, [`Deleted schedule ${handle.scheduleId}; runs it already started go on.`]);
    return EXIT_CODES.ok;
  });
}

const idHelp = (usage: string, what: string, extra = '') => `Usage: vcha-failover schedule ${usage}

${what}

Options:${extra}
  -h, --help      this help

${CONNECTION_HELP}`;

/** The `schedule` group. */
export const scheduleGroup: CommandGroup = {
  name: 'schedule',
  summary: 'create, list, pause, unpause, trigger and delete recurring planned failovers',
  help: `Usage: vcha-failover schedule <command> [options]

Recurring planned failovers as Temporal schedules of vchaFailover on the worker's task queue.

Commands:
  create      create a schedule (--target, --calendar or --cron, --timezone)
  list        list the failover schedules with their next times
  pause       pause a schedule (--note says why)
  unpause     resume a paused schedule
  trigger     start one run now
  delete      delete a schedule (runs already started go on)

Run vcha-failover schedule <command> --help for its options.`,
  subcommands: [
    scheduleCreateCommand,
    scheduleListCommand,
    {
      name: 'schedule pause',
      summary: 'pause a schedule',
      help: idHelp(
        'pause <schedule-id> [--note <text>]',
        'Pauses the schedule: it starts no failovers until unpaused. The note is shown by list.',
        '\n  --note <text>   why it is paused (default: "paused with the vcha-failover CLI")',
      ),
      run: pause,
    },
    {
      name: 'schedule unpause',
      summary: 'resume a paused schedule',
      help: idHelp(
        'unpause <schedule-id> [--note <text>]',
        'Resumes the schedule and prints its next time.',
        '\n  --note <text>   a new note (default: "unpaused with the vcha-failover CLI")',
      ),
      run: unpause,
    },
    {
      name: 'schedule trigger',
      summary: 'start one run now',
      help: idHelp(
        'trigger <schedule-id>',
        `Starts one run of the schedule now and prints its workflow id. Like scheduled times, the
trigger is skipped while a run the schedule started still runs (overlap policy SKIP).`,
      ),
      run: trigger,
    },
    {
      name: 'schedule delete',
      summary: 'delete a schedule',
      help: idHelp('delete <schedule-id>', 'Deletes the schedule. Runs it already started go on.'),
      run: remove,
    },
  ] satisfies Command[],
};
