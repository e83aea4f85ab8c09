/**
 * The exhaustive explorer inside `npm test`, at a bound that takes seconds: every interleaving of
 * the runs' steps with at most two environment events, for up to two workflow ids on one cluster,
 * checked against the invariants (`model.ts`). `npm run explore -- --depth N` runs larger bounds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeFigures, explore } from './explore';
import type { Bound } from './model';

/** The bound `npm test` explores (published in RELIABILITY.md with its figures). */
export const TEST_BOUND: Bound = { events: 2, workflowIds: 2, runSteps: 24, slowLocalActivities: true };

describe('exhaustive explorer of the failover decision code', () => {
  it('reaches every kind of end of a run, and breaks no invariant, within its bound', () => {
    const figures = explore(TEST_BOUND);
    process.stdout.write(`${describeFigures(figures)}\n`);
    // The exploration covers the ends that matter: a bound that reached fewer would prove little.
    for (const outcome of [
      'SUCCEEDED',
      'FailoverFailed',
      'FailoverOutcomeUnknown',
      'FailoverNotHealthy',
      'FailoverFlippedBack',
      'VcenterNotReady',
      'PreflightRejected',
      'TargetBusy',
      'AlreadySent',
      'UnresolvedFailover',
      'closed by reset',
      'closed by terminate',
    ]) {
      assert.ok(figures.outcomes[outcome], `no sequence within the bound ends a run ${outcome}`);
    }
    assert.deepEqual(
      figures.violations.map((violation) => violation.what),
      [],
      'every violation is printed above with a shortest sequence that produces it',
    );
  });

  it('without any environment event, one run fails the cluster over with one POST and nothing else can happen', () => {
    const figures = explore({ ...TEST_BOUND, events: 0, workflowIds: 1 });
    assert.deepEqual(figures.outcomes, { SUCCEEDED: 1 });
    assert.deepEqual(figures.violations, []);
  });
});
