/** The stability period's rule as a pure function: which reads prove the roles held, which end it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_STABLE_POLLS,
  holdEndOf,
  holdPauseMs,
  judgeHold,
  nextHoldPoll,
  stabilityPeriodOf,
  type HoldContext,
  type HoldReading,
} from '../../src/domain/stability';

const OLD = '10.0.0.1';
const NEW = '10.0.0.2';
const context = (heldSinceMs: number | undefined, holdEndMs = 1_000): HoldContext => ({
  previousActive: OLD,
  previousPassive: NEW,
  stableMs: 60,
  heldSinceMs,
  holdEndMs,
});
const roles = (activeNode: string | undefined): HoldReading => ({ kind: 'roles', activeNode });
const unreadable: HoldReading = { kind: 'unreadable', reason: 'vCenter unreachable for 5 s (refused)' };

/** Judges `readings` one per 10 ms from t=0, carrying the stretch as the activity does; the verdicts in order. */
function judgeAll(readings: HoldReading[], holdEndMs = 1_000): string[] {
  let heldSinceMs: number | undefined;
  return readings.map((reading, index) => {
    const judged = judgeHold(reading, index * 10, context(heldSinceMs, holdEndMs));
    if (judged.verdict === 'holding') heldSinceMs = judged.heldSinceMs;
    return judged.verdict;
  });
}

describe('stability period', () => {
  it('holds after one whole period of reads showing the new roles, and not before', () => {
    const verdicts = judgeAll(Array.from({ length: 7 }, () => roles(NEW)));
    assert.deepEqual(verdicts, ['holding', 'holding', 'holding', 'holding', 'holding', 'holding', 'held']);
  });

  it('ends flipped-back at the first read with the old active node ACTIVE, held stretch or not', () => {
    assert.deepEqual(judgeAll([roles(NEW), roles(NEW), roles(OLD)]), ['holding', 'holding', 'flipped-back']);
    assert.deepEqual(judgeAll([roles(NEW), unreadable, roles(OLD)]), ['holding', 'holding', 'flipped-back']);
    // Even at the bound: a flip back is proof, not a missing one.
    assert.equal(judgeHold(roles(OLD), 5_000, context(undefined, 1_000)).verdict, 'flipped-back');
  });

  it('an unanswered read, no node ACTIVE or a third node breaks the stretch: it starts again at the next read', () => {
    for (const broken of [unreadable, roles(undefined), roles('10.0.0.9')]) {
      const judged = judgeHold(broken, 50, context(0));
      assert.deepEqual(judged, { verdict: 'holding', heldSinceMs: undefined }, JSON.stringify(broken));
    }
    // 5 held reads, a break, then the period counts from the next read showing the new roles.
    const verdicts = judgeAll([
      ...Array.from({ length: 5 }, () => roles(NEW)),
      unreadable,
      ...Array.from({ length: 7 }, () => roles(NEW)),
    ]);
    assert.equal(verdicts.indexOf('held'), 12);
  });

  it('is unproven when no whole period fits before the bound, never held', () => {
    const readings = [roles(NEW), unreadable, roles(NEW), roles(NEW), unreadable, roles(NEW), roles(NEW)];
    assert.deepEqual(judgeAll(readings, 60), [
      'holding',
      'holding',
      'holding',
      'holding',
      'holding',
      'holding',
      'unproven',
    ]);
  });

  it('a zero period holds at the first read showing the new roles (the behaviour before the period)', () => {
    assert.deepEqual(judgeHold(roles(NEW), 0, { ...context(undefined), stableMs: 0 }), { verdict: 'held' });
  });

  it('the bound is the healthy window from the switch, but at least one period after the cluster was back', () => {
    assert.equal(holdEndOf(100, 1_000, 200, 60), 1_100);
    assert.equal(holdEndOf(100, 1_000, 1_050, 60), 1_110);
  });

  it('without deadlines.stable, the period is 12 poll intervals', () => {
    assert.equal(DEFAULT_STABLE_POLLS, 12);
    assert.equal(stabilityPeriodOf({ pollInterval: 5_000, deadlines: {} }), 60_000);
    assert.equal(stabilityPeriodOf({ pollInterval: 5_000, deadlines: { stable: 0 } }), 0);
    assert.equal(stabilityPeriodOf({ pollInterval: 1_000, deadlines: { stable: 90_000 } }), 90_000);
  });

  it("the next poll: the gate's requests take turns with the role reads, go on alone once the roles held, and yield to a role read when they have none", () => {
    const facts = { gate: true, rolesHeld: false, readinessRequest: true, readinessTurn: false };
    assert.equal(nextHoldPoll({ ...facts, gate: false }), 'roles');
    assert.equal(nextHoldPoll(facts), 'roles');
    assert.equal(nextHoldPoll({ ...facts, readinessTurn: true }), 'readiness');
    assert.equal(nextHoldPoll({ ...facts, rolesHeld: true }), 'readiness');
    // Resumed after the period: the vAPI gate waits for an answered read, so the poll reads the roles.
    assert.equal(nextHoldPoll({ ...facts, rolesHeld: true, readinessRequest: false }), 'roles');
    assert.equal(nextHoldPoll({ ...facts, readinessTurn: true, readinessRequest: false }), 'roles');
  });

  it('the pause before a poll: an interval, cut short by the nearest bound ahead, never zero once both passed', () => {
    const bounds = { holdEndMs: 1_000, rolesHeld: false, readyEndMs: 2_000 };
    assert.equal(holdPauseMs(0, 50, bounds), 50);
    assert.equal(holdPauseMs(980, 50, bounds), 20);
    assert.equal(holdPauseMs(1_970, 50, bounds), 30, 'past the period, the gate bound still counts');
    assert.equal(holdPauseMs(980, 50, { ...bounds, rolesHeld: true }), 50, 'once held, the period bound is over');
    assert.equal(holdPauseMs(5_000, 50, bounds), 50, 'both passed: a whole interval, never a busy loop');
    assert.equal(holdPauseMs(5_000, 50, { ...bounds, readyEndMs: Infinity }), 50);
  });
});
