/** Cancellation: before the trigger nothing happens; after it the run follows the failover to its end. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureOf } from './assertions';
import { startLab } from '../harness/lab';
import { waitForPhase } from './wait';

describe('cancelling a failover run', { concurrency: true }, async () => {
  const lab = await startLab({
    clusters: {
      early: { faults: { rules: [{ operation: 'cluster.get', action: 'hang' }] } },
      late: { timing: { switchOutageMs: 3_000 } },
    },
  });

  it('before the trigger ends Cancelled with no failover request', async () => {
    const handle = await lab.start({ target: 'early', planned: true, pollInterval: '1s' });
    await waitForPhase(handle, 'PREFLIGHT');
    await handle.cancel();
    const { failure, record } = await failureOf(handle, 'Cancelled');
    assert.match(failure.message, /cancelled before the failover was triggered: nothing was changed on early/);
    assert.equal(record?.triggered, 'no');
    assert.equal(lab.failoverPosts('early'), 0);
    lab.sim.cluster('early').configure({ faults: { rules: [] } });
  });

  it('after the trigger follows the failover to its real end and says the cancel came too late', async () => {
    const handle = await lab.start({ target: 'late', planned: true, pollInterval: '1s' });
    await waitForPhase(handle, 'FAILING_OVER');
    await handle.cancel();
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.cancelRequestedAfterTrigger, true);
    assert.match(result.message, /too late to stop it/);
    assert.equal(lab.failoverPosts('late'), 1);
    assert.equal((await handle.query<{ cancelRequested: boolean }>('status')).cancelRequested, true);
  });
});
