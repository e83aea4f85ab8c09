/** The `--calendar` syntax: parsing to the SDK's CalendarSpec, errors naming the field, printing it back. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeOptionalStructuredCalendarSpecs,
  encodeOptionalStructuredCalendarSpecs,
} from '@temporalio/client/lib/schedule-helpers';
import {
  CalendarSyntaxError,
  formatCalendarSpec,
  parseCalendarSpec,
} from '../../src/cli/commands/schedule/calendar-spec';
import { formatZoned, isKnownTimeZone } from '../../src/cli/commands/schedule/timezone';

const SECOND_SUNDAY = 'dayOfWeek=SUN;dayOfMonth=8-14;hour=2;minute=0';

/** What the server hands back for a spec: the SDK's own encoding and decoding of it. */
function described(text: string) {
  const [description] = decodeOptionalStructuredCalendarSpecs(
    encodeOptionalStructuredCalendarSpecs([parseCalendarSpec(text)]),
  );
  return description!;
}

describe('parseCalendarSpec', () => {
  it('parses the second Sunday of each month at 02:00', () => {
    assert.deepEqual(parseCalendarSpec(SECOND_SUNDAY), {
      dayOfWeek: [{ start: 'SUNDAY', end: 'SUNDAY', step: 1 }],
      dayOfMonth: [{ start: 8, end: 14, step: 1 }],
      hour: [{ start: 2, end: 2, step: 1 }],
      minute: [{ start: 0, end: 0, step: 1 }],
    });
  });

  it('takes names, numbers, lists, steps and stars, with field names in any case', () => {
    assert.deepEqual(
      parseCalendarSpec(' DAYOFWEEK = mon-FRI,0 ; month=jan,Jul-DEC/2; minute=*/15; hour=9/4; year=2030 '),
      {
        dayOfWeek: [
          { start: 'MONDAY', end: 'FRIDAY', step: 1 },
          { start: 'SUNDAY', end: 'SUNDAY', step: 1 },
        ],
        month: [
          { start: 'JANUARY', end: 'JANUARY', step: 1 },
          { start: 'JULY', end: 'DECEMBER', step: 2 },
        ],
        minute: [{ start: 0, end: 59, step: 15 }],
        hour: [{ start: 9, end: 23, step: 4 }],
        year: [{ start: 2030, end: 2030, step: 1 }],
      },
    );
    assert.deepEqual(parseCalendarSpec('dayOfWeek=saturday;hour=*'), {
      dayOfWeek: [{ start: 'SATURDAY', end: 'SATURDAY', step: 1 }],
      hour: [{ start: 0, end: 23, step: 1 }],
    });
  });

  const errors: [string, RegExp][] = [
    ['', /^empty spec/],
    ['hour', /^"hour" is not field=value/],
    [
      'dayOfWeak=SUN',
      /^unknown field "dayOfWeak" \(fields: second, minute, hour, dayOfMonth, month, dayOfWeek, year\)/,
    ],
    ['dayOfWeek=SUX', /^dayOfWeek: "SUX" is not a day of the week \(SUN–SAT or 0–6, 0 = Sunday\)/],
    ['dayOfWeek=7', /^dayOfWeek: "7" is not a day of the week/],
    ['dayOfMonth=8-32', /^dayOfMonth: "32" is not a day of the month \(1–31\)/],
    ['dayOfMonth=0', /^dayOfMonth: "0" is not a day of the month/],
    ['hour=24', /^hour: "24" is not an hour \(0–23\)/],
    ['minute=60', /^minute: "60" is not a minute/],
    ['month=13', /^month: "13" is not a month \(JAN–DEC or 1–12\)/],
    ['dayOfWeek=FRI-MON', /^dayOfWeek: range "FRI-MON" runs backwards/],
    ['minute=*/0', /^minute: step "0" in "\*\/0" must be a whole number of at least 1/],
    ['minute=1-2-3', /^minute: "1-2-3" is not a value or range/],
    ['hour=', /^hour: missing value/],
    ['hour=2;hour=3', /^hour: given twice/],
    ['hour=2,,3', /^hour: "" is not a value or range/],
  ];
  for (const [text, expected] of errors) {
    it(`rejects ${JSON.stringify(text)}, naming the field`, () => {
      assert.throws(
        () => parseCalendarSpec(text),
        (error: unknown) => error instanceof CalendarSyntaxError && expected.test(error.message),
      );
    });
  }
});

describe('formatCalendarSpec', () => {
  it('prints a described spec back in the same syntax, leaving out what matches everything', () => {
    assert.equal(formatCalendarSpec(described(SECOND_SUNDAY)), SECOND_SUNDAY);
    assert.equal(formatCalendarSpec(described('hour=9')), 'hour=9;minute=0');
    assert.equal(formatCalendarSpec(described('minute=*/15;hour=*')), 'hour=*;minute=0-59/15');
    assert.equal(
      formatCalendarSpec(described('month=jan,jul-dec/2;dayOfWeek=MON-FRI;year=2030;second=30;hour=1;minute=5')),
      'dayOfWeek=MON-FRI;month=JAN,JUL-DEC/2;year=2030;hour=1;minute=5;second=30',
    );
  });
});

describe('time zones', () => {
  it('knows IANA names and UTC, and refuses anything else', () => {
    assert.equal(isKnownTimeZone('Europe/Berlin'), true);
    assert.equal(isKnownTimeZone('UTC'), true);
    assert.equal(isKnownTimeZone('Mars/Olympus_Mons'), false);
    assert.equal(isKnownTimeZone(''), false);
  });

  it('shows an instant as wall-clock time in a zone, summer time included', () => {
    assert.equal(formatZoned(new Date('2025-03-09T01:00:00Z'), 'Europe/Berlin'), 'Sun 2025-03-09 02:00 Europe/Berlin');
    assert.equal(formatZoned(new Date('2025-06-08T00:00:00Z'), 'Europe/Berlin'), 'Sun 2025-06-08 02:00 Europe/Berlin');
  });
});
