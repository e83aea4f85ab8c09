/**
 * What `schedule create` asks Temporal for, built from its flags: always a planned failover (or,
 * with `--maintenance`, a vchaMaintenance run: failover, window, failback), overlap
 * policy SKIP and an explicit catch-up window, so a window missed by more than that is not run late.
 */
import type { CalendarSpec, ScheduleOptions } from '@temporalio/client';
import { WORKFLOW_TYPES, failoverUserMetadata, maintenanceUserMetadata } from '../../../contract';
import { parseFailoverInput, type VchaFailoverInput } from '../../../contract/input/failover';
import type { VchaMaintenanceInput } from '../../../contract/input/maintenance';
import { maintenanceInputFrom } from '../../maintenance-run';
import { durationOption, parseCommandArgs, requireOption } from '../../args';
import { CalendarSyntaxError, parseCalendarSpec } from './calendar-spec';
import { taskQueueFrom } from '../../connect';
import { CONNECTION_OPTIONS, type ConnectionValues } from '../../connection-flags';
import type { CliSettings } from '../../settings';
import { UsageError } from '../../io';
import { isKnownTimeZone } from './timezone';

/** The flags of `schedule create`. */
const SCHEDULE_CREATE_OPTIONS = {
  target: { type: 'string' },
  calendar: { type: 'string', multiple: true },
  cron: { type: 'string', multiple: true },
  timezone: { type: 'string' },
  id: { type: 'string' },
  note: { type: 'string' },
  paused: { type: 'boolean' },
  'catchup-window': { type: 'string' },
  reason: { type: 'string' },
  'task-queue': { type: 'string' },
  ...CONNECTION_OPTIONS,
  maintenance: { type: 'boolean' },
  'max-duration': { type: 'string' },
  'on-max-duration': { type: 'string' },
  'no-failback': { type: 'boolean' },
} as const;

/** How late a missed action may still run unless `--catchup-window` says otherwise. */
const DEFAULT_CATCHUP_WINDOW = '10m';

/** Temporal does not accept catch-up windows under 10 s. */
const MIN_CATCHUP_MS = 10_000;
const MAX_CATCHUP_MS = 7 * 24 * 3_600_000;

/** `vcha-failover-<target>`: one schedule per target unless `--id` says otherwise. */
function defaultScheduleId(target: string): string {
  return `vcha-failover-${target}`;
}

function parseCron(expression: string): string {
  const trimmed = expression.trim();
  if (/^(CRON_)?TZ=/i.test(trimmed)) throw new UsageError('--cron: give the time zone with --timezone, not TZ=');
  const fields = trimmed.split(/\s+/).length;
  if (!trimmed.startsWith('@') && (fields < 5 || fields > 7)) {
    throw new UsageError(`--cron "${expression}": expected 5 to 7 fields (minute hour day-of-month month day-of-week)`);
  }
  return trimmed;
}

/** A checked schedule and the connection flags it came with. */
export interface ScheduleRequest {
  options: ScheduleOptions;
  connection: ConnectionValues;
}

/** Checks the flags and builds the schedule; throws UsageError naming the bad flag or calendar field. */
export function parseScheduleCreateArgs(argv: readonly string[], settings: CliSettings): ScheduleRequest {
  const { values } = parseCommandArgs(argv, SCHEDULE_CREATE_OPTIONS);
  const target = requireOption(values.target, '--target');
  const calendars = values.calendar ?? [];
  const crons = values.cron ?? [];
  if (calendars.length > 0 && crons.length > 0) throw new UsageError('use either --calendar or --cron, not both');
  if (calendars.length === 0 && crons.length === 0) {
    throw new UsageError('say when: --calendar "dayOfWeek=SUN;dayOfMonth=8-14;hour=2;minute=0" or --cron "<expr>"');
  }
  const timezone = requireOption(values.timezone, '--timezone');
  if (!isKnownTimeZone(timezone)) {
    throw new UsageError(`--timezone: "${timezone}" is not a known time zone (use an IANA name such as Europe/Berlin)`);
  }
  const calendarSpecs: CalendarSpec[] = calendars.map((text) => {
    try {
      return parseCalendarSpec(text);
    } catch (error) {
      if (error instanceof CalendarSyntaxError) throw new UsageError(`--calendar "${text}": ${error.message}`);
      throw error;
    }
  });
  const cronExpressions = crons.map(parseCron);
  const catchupWindow = durationOption(
    values['catchup-window'] ?? DEFAULT_CATCHUP_WINDOW,
    '--catchup-window',
    MIN_CATCHUP_MS,
    MAX_CATCHUP_MS,
  );
  const maintenance = values.maintenance === true;
  const maintenanceOnly = (['max-duration', 'on-max-duration', 'no-failback'] as const).find(
    (f) => values[f] !== undefined,
  );
  if (!maintenance && maintenanceOnly) throw new UsageError(`--${maintenanceOnly} applies to --maintenance only`);
  const scheduleId = values.id || (maintenance ? `vcha-maintenance-${target}` : defaultScheduleId(target));
  let input: VchaFailoverInput | VchaMaintenanceInput;
  if (maintenance) {
    input = maintenanceInputFrom(values, settings, `scheduled maintenance (schedule ${scheduleId})`);
  } else {
    input = { target, planned: true, reason: values.reason ?? `scheduled failover (schedule ${scheduleId})` };
    const validation = parseFailoverInput(input);
    if (!validation.ok) throw new UsageError(validation.problems.map((p) => `--${p}`).join('; '));
  }
  const options: ScheduleOptions = {
    scheduleId,
    spec: {
      ...(calendarSpecs.length > 0 ? { calendars: calendarSpecs } : { cronExpressions }),
      timezone,
    },
    action: {
      type: 'startWorkflow',
      workflowType: maintenance ? WORKFLOW_TYPES.maintenance : WORKFLOW_TYPES.failover,
      taskQueue: taskQueueFrom(values['task-queue'], settings),
      // The server appends the scheduled time: vcha-failover-<target>-2025-03-09T01:00:00Z.
      workflowId: scheduleId,
      args: [input],
      ...(maintenance
        ? maintenanceUserMetadata(input as VchaMaintenanceInput, `schedule ${scheduleId}`)
        : failoverUserMetadata(input as VchaFailoverInput, `schedule ${scheduleId}`)),
    },
    policies: { overlap: 'SKIP', catchupWindow },
    state: {
      paused: values.paused === true,
      ...(values.note !== undefined ? { note: values.note } : {}),
    },
  };
  return { options, connection: values };
}

/** The schedule {@link parseScheduleCreateArgs} builds. */
export function buildScheduleOptions(argv: readonly string[], settings: CliSettings): ScheduleOptions {
  return parseScheduleCreateArgs(argv, settings).options;
}
