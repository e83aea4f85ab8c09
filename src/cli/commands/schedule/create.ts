/** `vcha-failover schedule create`: a recurring planned failover of one target. */
import type { Command } from '../../command';
import { withSession } from '../../connect';
import { CONNECTION_HELP } from '../../connection-flags';
import { EXIT_CODES } from '../../exit-codes';
import { CliFailure, printLines, type CliIo } from '../../io';
import { parseScheduleCreateArgs } from './request';
import { scheduleLines } from './view';
import { clientSdk } from '../../sdk';

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { options, connection } = parseScheduleCreateArgs(argv, io.settings);
  const { ScheduleAlreadyRunning } = await clientSdk();
  return withSession(io, connection, async ({ client }) => {
    let handle;
    try {
      handle = await client.schedule.create(options);
    } catch (error) {
      if (error instanceof ScheduleAlreadyRunning) {
        throw new CliFailure(`schedule ${options.scheduleId} already exists; delete it first or pass another --id`);
      }
      throw error;
    }
    printLines(io, ['Created schedule:', ...scheduleLines(await handle.describe())]);
    return EXIT_CODES.ok;
  });
}

/** The `schedule create` command. */
export const scheduleCreateCommand: Command = {
  name: 'schedule create',
  summary: 'create a recurring planned failover of one target',
  help: `Usage: vcha-failover schedule create --target <name> (--calendar <spec>... | --cron <expr>...)
                                --timezone <tz> [options]

Creates a Temporal schedule that starts vchaFailover with {target, planned: true, reason}.
Scheduled runs are always planned. Overlap policy SKIP: a time that comes while the previous
run still runs is skipped. A time missed (server down) by more than the catch-up window is not
run late.

Options:
  --target <name>          vCenter target configured on the worker (required)
  --calendar <spec>        when, as field=value pairs separated by ";" (repeatable), e.g.
                           "dayOfWeek=SUN;dayOfMonth=8-14;hour=2;minute=0" = 02:00 on the
                           second Sunday of each month
  --cron <expr>            when, as a cron expression (repeatable; instead of --calendar)
  --timezone <tz>          IANA time zone of the times, e.g. Europe/Berlin (required)
  --id <id>                schedule id (default vcha-failover-<target>)
  --note <text>            note shown with the schedule
  --paused                 create it paused
  --catchup-window <dur>   how late a missed time may still run, 10s–168h (default 10m)
  --reason <text>          reason recorded with each run (default names the schedule)
  --task-queue <name>      the worker's task queue (default $VCHA_TASK_QUEUE or vcha-failover)
  --maintenance            start vchaMaintenance instead: fail over, hold the target until
                           \`maintenance done\` or --max-duration, fail back (id default
                           vcha-maintenance-<target>; the CLI user is its requester)
  --max-duration <dur>     with --maintenance: longest window, 1s–168h (default 4h)
  --on-max-duration <what> with --maintenance: failback or leave (default leave)
  --no-failback            with --maintenance: stay on the new node
  -h, --help               this help

${CONNECTION_HELP}

Calendar fields: second, minute, hour (0 when left out), dayOfMonth (1-31), month (JAN-DEC or
1-12), dayOfWeek (SUN-SAT or 0-6, 0 = Sunday), year (any when left out). A time matches when
every field matches. Values: *, 5, a range 8-14 or MON-FRI, a step 0-30/10 (or a star followed
by /15), or a comma-separated list of these.`,
  run,
};
