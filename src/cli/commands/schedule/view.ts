/** A failover schedule in words, as `schedule create` and `schedule list` print it. */
import type { ScheduleDescription } from '@temporalio/client';
import { formatDuration } from '../../../contract';
import { formatCalendarSpec } from './calendar-spec';
import type { ScheduleListJson } from '../../json-shapes';
import { formatZoned } from './timezone';

/** How many upcoming times are shown. */
const NEXT_TIMES_SHOWN = 5;

/** The target a schedule fails over (from its action's input). */
function scheduleTarget(description: ScheduleDescription): string | undefined {
  const input = description.action.args?.[0] as { target?: unknown } | undefined;
  return typeof input?.target === 'string' ? input.target : undefined;
}

/** When the schedule acts, in the `--calendar` syntax (cron expressions are described as calendars). */
function whenText(description: ScheduleDescription): string {
  const { calendars = [], intervals = [] } = description.spec;
  const parts = [
    ...calendars.map(formatCalendarSpec),
    ...intervals.map((i) => `every ${formatDuration(i.every)}${i.offset ? ` offset ${formatDuration(i.offset)}` : ''}`),
  ];
  return `${parts.join(' | ') || 'never'} (${description.spec.timezone || 'UTC'})`;
}

/** The schedule as `schedule list -o json` documents it. */
export function scheduleJson(description: ScheduleDescription): ScheduleListJson['schedules'][number] {
  const { state, info, policies } = description;
  const last = info.recentActions.at(-1);
  return {
    scheduleId: description.scheduleId,
    target: scheduleTarget(description) ?? null,
    paused: state.paused,
    note: state.note || null,
    when: whenText(description),
    timezone: description.spec.timezone || 'UTC',
    overlap: String(policies.overlap),
    catchupWindowMs: policies.catchupWindow,
    nextTimes: info.nextActionTimes.slice(0, NEXT_TIMES_SHOWN).map((time) => time.toISOString()),
    lastRun: last ? { workflowId: last.action.workflow.workflowId, at: last.takenAt.toISOString() } : null,
  };
}

/** The schedule as an indented block: id, target, state, timing, policies, next times, last run. */
export function scheduleLines(description: ScheduleDescription): string[] {
  const timeZone = description.spec.timezone || 'UTC';
  const { state, info, policies } = description;
  const lines = [
    description.scheduleId,
    `  target:   ${scheduleTarget(description) ?? '?'} (planned failover, task queue ${description.action.taskQueue})`,
    `  state:    ${state.paused ? 'PAUSED' : 'active'}${state.note ? ` (note: ${state.note})` : ''}`,
    `  when:     ${whenText(description)}`,
    `  policy:   overlap ${policies.overlap}, catch-up window ${formatDuration(policies.catchupWindow)}`,
  ];
  const next = info.nextActionTimes.slice(0, NEXT_TIMES_SHOWN);
  if (next.length === 0) lines.push(`  next:     none${state.paused ? ' (paused)' : ''}`);
  next.forEach((time, index) => {
    lines.push(`  ${index === 0 ? 'next:    ' : '         '} ${formatZoned(time, timeZone)} (${time.toISOString()})`);
  });
  const last = info.recentActions.at(-1);
  if (last) {
    lines.push(`  last run: ${last.action.workflow.workflowId} at ${last.takenAt.toISOString()}`);
  }
  return lines;
}
