/** `vcha-failover schedule list`: the failover schedules of the worker's task queue, with their next times. */
import { WORKFLOW_TYPES } from '../../../contract';
import type { ScheduleDescription } from '@temporalio/client';
import { parseCommandArgs } from '../../args';
import type { Command } from '../../command';
import { taskQueueFrom, withSession, type TemporalSession } from '../../connect';
import { CONNECTION_HELP, CONNECTION_OPTIONS } from '../../connection-flags';
import { EXIT_CODES } from '../../exit-codes';
import { printLines, type CliIo } from '../../io';
import { describeSchedule } from './handle';
import { OUTPUT_HELP, OUTPUT_OPTIONS, outputFormat, printJson } from '../../output';
import { scheduleJson, scheduleLines } from './view';

const OPTIONS = { 'task-queue': { type: 'string' }, ...OUTPUT_OPTIONS, ...CONNECTION_OPTIONS } as const;

/** Every vchaFailover schedule on `taskQueue`, described afresh (the list itself may lag behind). */
async function failoverSchedules(session: TemporalSession, taskQueue: string): Promise<ScheduleDescription[]> {
  const ids: string[] = [];
  for await (const summary of session.client.schedule.list()) {
    if (
      summary.action?.workflowType === WORKFLOW_TYPES.failover ||
      summary.action?.workflowType === WORKFLOW_TYPES.maintenance
    )
      ids.push(summary.scheduleId);
  }
  // Listing is eventually consistent; describing each gives the current state and drops deleted ones.
  const found = await Promise.all(ids.map((id) => describeSchedule(session, id)));
  return found
    .map((f) => f?.description)
    .filter((d): d is ScheduleDescription => d !== undefined && d.action.taskQueue === taskQueue)
    .sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS);
  const taskQueue = taskQueueFrom(values['task-queue'], io.settings);
  const output = outputFormat(values);
  return withSession(io, values, async (session) => {
    const schedules = await failoverSchedules(session, taskQueue);
    if (output === 'json') {
      printJson(io, { taskQueue, schedules: schedules.map(scheduleJson) });
      return EXIT_CODES.ok;
    }
    if (schedules.length === 0) {
      printLines(io, [`No vchaFailover schedules on task queue ${taskQueue}.`]);
      return EXIT_CODES.ok;
    }
    printLines(
      io,
      schedules.flatMap((d, index) => [...(index > 0 ? [''] : []), ...scheduleLines(d)]),
    );
    return EXIT_CODES.ok;
  });
}

/** The `schedule list` command. */
export const scheduleListCommand: Command = {
  name: 'schedule list',
  summary: 'list the failover schedules with their next times',
  help: `Usage: vcha-failover schedule list [--task-queue <name>] [-o json]

Lists the schedules that start vchaFailover on the worker's task queue: id, target, state
(active or PAUSED, with the note), when (in the --calendar syntax and time zone), policies, the
next times (local time and UTC) and the last run.

Options:
  --task-queue <name>      the worker's task queue (default $VCHA_TASK_QUEUE or vcha-failover)
${OUTPUT_HELP}
  -h, --help               this help

${CONNECTION_HELP}`,
  run,
};
