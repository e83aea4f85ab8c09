/** The workflow input contract: defaults, conversions and a clear message for every problem. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFailoverInput } from '../../src/contract/input/failover';
import { parseFleetInput } from '../../src/contract/input/fleet';
import { formatDuration, parseDuration } from '../../src/contract';

describe('failover input validation', () => {
  it('applies the documented defaults', () => {
    const result = parseFailoverInput({ target: 'lab-01', planned: true });
    assert.deepEqual(result, {
      ok: true,
      input: {
        target: 'lab-01',
        planned: true,
        dryRun: false,
        pollInterval: 5_000,
        deadlines: { failover: 1_800_000, healthy: 1_800_000, noSign: 600_000, approval: 1_800_000, ready: 600_000 },
        requireHealthy: true,
        readiness: { services: true, applianceHealth: true },
      },
    });
  });

  it('lists every problem by field path', () => {
    const result = parseFailoverInput({ target: '', planned: false, pollInterval: '90s', extra: 1 });
    assert.equal(result.ok, false);
    const problems = result.ok ? [] : result.problems;
    assert.ok(problems.some((p) => p.startsWith('target:')));
    assert.ok(problems.some((p) => p.startsWith('pollInterval: must be between 1 s and 60 s')));
    assert.ok(problems.some((p) => p.startsWith('acceptDataLoss:')));
    assert.ok(problems.some((p) => p.includes('unknown field(s) "extra"')));
  });

  it('takes the stability period as a duration from 0 s to 30 min, absent unless given, and names a bad one', () => {
    const given = parseFailoverInput({ target: 'lab-01', planned: true, deadlines: { stable: '90s' } });
    assert.equal(given.ok && given.input.deadlines.stable, 90_000);
    const zero = parseFailoverInput({ target: 'lab-01', planned: true, deadlines: { stable: '0s' } });
    assert.equal(zero.ok && zero.input.deadlines.stable, 0);
    const absent = parseFailoverInput({ target: 'lab-01', planned: true, deadlines: { healthy: '10m' } });
    assert.equal(
      absent.ok && 'stable' in absent.input.deadlines,
      false,
      'absent: 12 poll intervals, decided by the run',
    );
    for (const [stable, message] of [
      ['31m', 'deadlines.stable: must be between 0 s and 1800 s (got "31m")'],
      ['soon', 'deadlines.stable: "soon" is not a duration (use ms, s, m or h, e.g. "1m")'],
      [60, 'deadlines.stable: deadlines.stable must be a duration string such as "1m"'],
    ] as const) {
      const result = parseFailoverInput({ target: 'lab-01', planned: true, deadlines: { stable } });
      assert.deepEqual(result, { ok: false, problems: [message] }, String(stable));
    }
  });

  it('takes the readiness bound (10 min unless given) and narrows the gate only when asked, naming a bad option', () => {
    const given = parseFailoverInput({
      target: 'lab-01',
      planned: true,
      deadlines: { ready: '3m' },
      readiness: { applianceHealth: false },
    });
    assert.equal(given.ok && given.input.deadlines.ready, 180_000);
    assert.deepEqual(given.ok && given.input.readiness, { services: true, applianceHealth: false });
    const other = parseFailoverInput({ target: 'lab-01', planned: true, deadlines: { healthy: '10m' } });
    assert.equal(other.ok && other.input.deadlines.ready, 600_000);
    for (const [extra, message] of [
      [{ deadlines: { ready: '3h' } }, 'deadlines.ready: must be between 5 s and 7200 s (got "3h")'],
      [
        { readiness: { applianceHealth: 'no' } },
        'readiness.applianceHealth: readiness.applianceHealth must be a boolean',
      ],
      [{ readiness: false }, 'readiness: readiness must be an object such as { "applianceHealth": false }'],
    ] as const) {
      const result = parseFailoverInput({ target: 'lab-01', planned: true, ...extra });
      assert.deepEqual(result, { ok: false, problems: [message] }, JSON.stringify(extra));
    }
    const unknown = parseFailoverInput({ target: 'lab-01', planned: true, readiness: { vpxd: false } });
    assert.ok(!unknown.ok && unknown.problems.some((p) => p.startsWith('readiness:') && p.includes('"vpxd"')));
  });

  it('parses and formats durations', () => {
    assert.equal(parseDuration('1.5s'), 1_500);
    assert.equal(parseDuration('2h'), 7_200_000);
    assert.equal(parseDuration('5 minutes'), undefined);
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(formatDuration(250), '250ms');
  });
});

describe('fleet input validation', () => {
  it("checks the children's deadlines and readiness with the failover schema, naming each problem", () => {
    const good = parseFleetInput({
      targets: ['a', 'b'],
      planned: true,
      deadlines: { stable: '1s', ready: '5m' },
      readiness: { services: false },
    });
    assert.equal(good.ok, true);
    const bad = parseFleetInput({
      targets: ['a'],
      planned: true,
      deadlines: { ready: '1s', later: '1m' },
      readiness: { services: 'no' },
    });
    assert.equal(bad.ok, false);
    const problems = bad.ok ? [] : bad.problems;
    assert.ok(
      problems.some((p) => p.startsWith('deadlines.ready:')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('deadlines:') && p.includes('later')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p === 'readiness.services: readiness.services must be a boolean'),
      problems.join('\n'),
    );
  });
});
