/**
 * The `--calendar` syntax of `vcha-failover schedule create`, parsed to the SDK's CalendarSpec and
 * printed back from a schedule's description.
 *
 * A spec is `field=value` pairs separated by `;`. A time matches when every field matches, so
 * `dayOfWeek=SUN;dayOfMonth=8-14;hour=2;minute=0` is 02:00 on the second Sunday of each month.
 *
 * - fields: `second`, `minute`, `hour` (0 when left out), `dayOfMonth`, `month`, `dayOfWeek`,
 *   `year` (any when left out); names are case-insensitive;
 * - values: `*`, a number or name (`5`, `SUN`, `JAN`), a range (`8-14`, `MON-FRI`), a stepped
 *   range (`0-30/10`; `5/10` runs from 5 to the end by 10; a star followed by `/15` steps through
 *   the whole field), or a comma-separated list of these;
 * - `dayOfWeek`: SUN–SAT (or SUNDAY…, or 0–6 with 0 = Sunday); `month`: JAN–DEC (or 1–12).
 */
import type { CalendarSpec, CalendarSpecDescription, DayOfWeek, Month, Range } from '@temporalio/client';

const DAYS: readonly DayOfWeek[] = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
const MONTHS: readonly Month[] = [
  'JANUARY',
  'FEBRUARY',
  'MARCH',
  'APRIL',
  'MAY',
  'JUNE',
  'JULY',
  'AUGUST',
  'SEPTEMBER',
  'OCTOBER',
  'NOVEMBER',
  'DECEMBER',
];

/** A calendar field: its bounds and, for days and months, the names its numbers stand for. */
interface FieldRule {
  min: number;
  max: number;
  /** Names by number (index + `min`), for fields that have them. */
  names?: readonly string[];
  /** What a value of the field is, for error messages: "a day of the week (SUN–SAT or 0–6, 0 = Sunday)". */
  expected: string;
}

const FIELDS = {
  second: { min: 0, max: 59, expected: 'a second (0–59)' },
  minute: { min: 0, max: 59, expected: 'a minute (0–59)' },
  hour: { min: 0, max: 23, expected: 'an hour (0–23)' },
  dayOfMonth: { min: 1, max: 31, expected: 'a day of the month (1–31)' },
  month: { min: 1, max: 12, names: MONTHS, expected: 'a month (JAN–DEC or 1–12)' },
  dayOfWeek: { min: 0, max: 6, names: DAYS, expected: 'a day of the week (SUN–SAT or 0–6, 0 = Sunday)' },
  year: { min: 1970, max: 9999, expected: 'a year (such as 2030)' },
} as const satisfies Record<string, FieldRule>;

type FieldName = keyof typeof FIELDS;
const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];

/** A `--calendar` value that cannot be parsed; the message names the field at fault. */
export class CalendarSyntaxError extends Error {
  override readonly name = 'CalendarSyntaxError';
}

/** The number a value stands for: a number, or a full or three-letter name. */
function valueOf(field: FieldName, text: string): number {
  const rule: FieldRule = FIELDS[field];
  const upper = text.toUpperCase();
  let value: number | undefined;
  if (/^\d+$/.test(text)) value = Number(text);
  else if (rule.names) {
    const index = rule.names.findIndex((name) => name === upper || (upper.length === 3 && name.startsWith(upper)));
    if (index >= 0) value = index + rule.min;
  }
  if (value === undefined || value < rule.min || value > rule.max) {
    throw new CalendarSyntaxError(`${field}: "${text}" is not ${rule.expected}`);
  }
  return value;
}

/** One list item (a star, a value, a range, each with an optional `/step`) as a numeric range. */
function rangeOf(field: FieldName, item: string): Range<number> {
  const rule: FieldRule = FIELDS[field];
  const [span = '', stepText, extra] = item.split('/');
  if (extra !== undefined || span === '') throw new CalendarSyntaxError(`${field}: "${item}" is not a value or range`);
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) < 1) {
      throw new CalendarSyntaxError(`${field}: step "${stepText}" in "${item}" must be a whole number of at least 1`);
    }
    step = Number(stepText);
  }
  if (span === '*') return { start: rule.min, end: rule.max, step };
  const [startText = '', endText, more] = span.split('-');
  if (more !== undefined) throw new CalendarSyntaxError(`${field}: "${item}" is not a value or range`);
  const start = valueOf(field, startText);
  const end = endText !== undefined ? valueOf(field, endText) : stepText !== undefined ? rule.max : start;
  if (end < start) throw new CalendarSyntaxError(`${field}: range "${span}" runs backwards (write it low-high)`);
  return { start, end, step };
}

/** Ranges with their values converted, e.g. numbers to the day and month names the SDK wants. */
function typed<F, T>(ranges: readonly Range<F>[], convert: (value: F) => T): Range<T>[] {
  return ranges.map((r) => ({ start: convert(r.start), end: convert(r.end), step: r.step }));
}

/** Parses one `--calendar` value. */
export function parseCalendarSpec(text: string): CalendarSpec {
  const spec: CalendarSpec = {};
  const seen = new Set<FieldName>();
  const parts = text
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) throw new CalendarSyntaxError('empty spec (e.g. "dayOfWeek=SUN;hour=2;minute=0")');
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new CalendarSyntaxError(`"${part}" is not field=value`);
    const rawName = part.slice(0, eq).trim();
    const field = FIELD_NAMES.find((name) => name.toLowerCase() === rawName.toLowerCase());
    if (!field) throw new CalendarSyntaxError(`unknown field "${rawName}" (fields: ${FIELD_NAMES.join(', ')})`);
    if (seen.has(field)) throw new CalendarSyntaxError(`${field}: given twice`);
    seen.add(field);
    const value = part.slice(eq + 1).trim();
    if (value === '') throw new CalendarSyntaxError(`${field}: missing value`);
    const ranges = value.split(',').map((item) => rangeOf(field, item.trim()));
    if (field === 'dayOfWeek') spec.dayOfWeek = typed(ranges, (n) => DAYS[n]!);
    else if (field === 'month') spec.month = typed(ranges, (n) => MONTHS[n - 1]!);
    else spec[field] = ranges;
  }
  return spec;
}

/** A field's ranges in the `--calendar` syntax, or undefined when it matches everything. */
function formatField(field: FieldName, ranges: readonly Range<number>[]): string | undefined {
  const rule: FieldRule = FIELDS[field];
  if (ranges.length === 0) return undefined;
  if (ranges.length === 1 && ranges[0]!.start <= rule.min && ranges[0]!.end >= rule.max && ranges[0]!.step <= 1) {
    return undefined;
  }
  const name = (n: number) => (rule.names ? rule.names[n - rule.min]!.slice(0, 3) : String(n));
  return ranges
    .map(({ start, end, step }) => {
      const span = end > start ? `${name(start)}-${name(end)}` : name(start);
      return step > 1 ? `${span}/${step}` : span;
    })
    .join(',');
}

/** A schedule's calendar (as described by the server) in the `--calendar` syntax. */
export function formatCalendarSpec(calendar: CalendarSpecDescription): string {
  const numeric: Record<FieldName, Range<number>[]> = {
    second: calendar.second,
    minute: calendar.minute,
    hour: calendar.hour,
    dayOfMonth: calendar.dayOfMonth,
    month: typed(calendar.month, (m) => MONTHS.indexOf(m) + 1),
    dayOfWeek: typed(calendar.dayOfWeek, (d) => DAYS.indexOf(d)),
    year: calendar.year,
  };
  const parts: string[] = [];
  for (const field of ['dayOfWeek', 'dayOfMonth', 'month', 'year', 'hour', 'minute', 'second'] as const) {
    const text = formatField(field, numeric[field]);
    const isZero = text === '0';
    // Hour and minute always show; a zero second is the default and says nothing.
    if (field === 'hour' || field === 'minute') parts.push(`${field}=${text ?? '*'}`);
    else if (text !== undefined && !(field === 'second' && isZero)) parts.push(`${field}=${text}`);
  }
  return parts.join(';');
}
