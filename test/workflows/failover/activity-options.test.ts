/** The failover run's activity options as plain data: what each allows, read without a server. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFailoverInput } from '../../../src/contract/input/failover';
import { PREFLIGHT, preflightAfterEarlierRun } from '../../../src/workflows/failover/activity-options';

function validated(raw: Record<string, unknown>) {
  const parsed = parseFailoverInput(raw);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join('; '));
  return parsed.input;
}

describe('failover activity options', () => {
  it('gives a first run preflight about half a minute of retries', () => {
    assert.equal(PREFLIGHT.retry?.maximumAttempts, 4);
    assert.equal(PREFLIGHT.scheduleToCloseTimeout, undefined);
  });

  it("retries a later run's preflight through the failover's outage, up to the failover deadline", () => {
    const options = preflightAfterEarlierRun(
      validated({ target: 'lab', planned: true, deadlines: { failover: '7m' } }),
    );
    assert.equal(options.retry?.maximumAttempts, undefined, 'no attempt limit: the deadline bounds it');
    assert.equal(options.scheduleToCloseTimeout, 7 * 60_000);
    assert.equal(options.retry?.maximumInterval, '10s');
    assert.deepEqual(options.retry?.nonRetryableErrorTypes, PREFLIGHT.retry?.nonRetryableErrorTypes);
    assert.equal(options.heartbeatTimeout, PREFLIGHT.heartbeatTimeout);
  });
});
