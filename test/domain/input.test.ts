/** The workflow input contract: defaults, conversions and a clear message for every problem. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFailoverInput } from '../../src/contract/input/failover';
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
        deadlines: { failover: 1_800_000, healthy: 1_800_000, noSign: 600_000, approval: 1_800_000 },
        requireHealthy: true,
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

  it('parses and formats durations', () => {
    assert.equal(parseDuration('1.5s'), 1_500);
    assert.equal(parseDuration('2h'), 7_200_000);
    assert.equal(parseDuration('5 minutes'), undefined);
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(formatDuration(250), '250ms');
  });
});
