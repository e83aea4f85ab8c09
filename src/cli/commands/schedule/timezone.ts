/** Time zones for schedules: checking an IANA name and showing an instant as that zone's wall-clock time. */

/** Whether `name` is a time zone this runtime knows (IANA names such as `Europe/Berlin`, or `UTC`). */
export function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of an instant in a zone. */
interface ZonedTime {
  weekday: string;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall-clock time of `instant` in `timeZone`. */
function zonedTime(instant: Date, timeZone: string): ZonedTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    weekday: part('weekday'),
    year: Number(part('year')),
    month: Number(part('month')),
    day: Number(part('day')),
    hour: Number(part('hour')),
    minute: Number(part('minute')),
  };
}

/** e.g. `Sun 2025-03-09 02:00 Europe/Berlin`. */
export function formatZoned(instant: Date, timeZone: string): string {
  const t = zonedTime(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.weekday} ${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)} ${timeZone}`;
}
