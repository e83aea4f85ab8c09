/**
 * The cluster ledger's rules as plain functions, without a Temporal server: who may hold the
 * cluster, who may send, what an earlier claim of the same workflow id means, what settles an
 * unresolved request. Each rule is applied the way the ledger's Update handler applies it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LedgerDecision } from '../../../src/workflows/cluster-ledger/rules';
import {
  LEDGER_ENTRIES_KEPT,
  acknowledge,
  acquire,
  claim,
  emptyLedger,
  finish,
  isUnresolved,
} from '../../../src/workflows/cluster-ledger/rules';
import type { LedgerState } from '../../../src/contract';

const at = '2026-12-06T10:00:00.000Z';
const run = (workflowId: string, runId = 'r1') => ({ workflowId, runId });

/** Applies an accepted decision as the handler does and returns its reply; fails on a refusal. */
function accepted<Reply>(state: LedgerState, decision: LedgerDecision<Reply>): Reply {
  if ('refused' in decision) assert.fail(`refused: ${decision.refused.message}`);
  decision.apply(state);
  return decision.reply;
}

/** The refusal's reason; fails when the rule accepted. */
function refusedBecause<Reply>(decision: LedgerDecision<Reply>): string {
  if (!('refused' in decision)) assert.fail('accepted, expected a refusal');
  return decision.refused.reason;
}

const acquireBy = (who: { workflowId: string; runId: string }, extra = {}) => ({
  ...who,
  type: 'vchaFailover',
  target: 'vc-a',
  at,
  ...extra,
});
const claimBy = (who: { workflowId: string; runId: string }, extra = {}) => ({
  ...who,
  target: 'vc-a',
  planned: true,
  previousActive: '10.0.0.1',
  previousPassive: '10.0.0.2',
  at,
  ...extra,
});

/** Run r1 of `a` holds the cluster and claims; then run `by` of `a` ends that claim "nothing was sent". */
function claimEndedNothingSentBy(by: string): LedgerState {
  const state = emptyLedger('c1');
  accepted(state, acquire(state, acquireBy(run('a'))));
  accepted(state, claim(state, claimBy(run('a'))));
  const verdict = { outcome: 'PreflightRejected', message: 'changed', proved: true, nothingSent: true };
  accepted(state, finish(state, { ...run('a', by), verdict, at }));
  return state;
}

describe('cluster ledger rules', () => {
  it('lets one run hold the cluster; another is told who holds it, and may take over only from that exact run', () => {
    const state = emptyLedger('c1');
    assert.deepEqual(accepted(state, acquire(state, acquireBy(run('a')))), { held: true, via: 'holder' });
    const busy = accepted(state, acquire(state, acquireBy(run('b'), { target: 'vc-a-alias' })));
    assert.equal(busy.held, false);
    // A takeover naming another run (a stale view of the holder) changes nothing.
    assert.equal(accepted(state, acquire(state, acquireBy(run('b'), { takeOverFrom: run('a', 'old') }))).held, false);
    assert.equal(
      accepted(state, acquire(state, acquireBy(run('b'), { target: 'vc-a-alias', takeOverFrom: run('a') }))).held,
      true,
    );
    assert.equal(state.holder?.workflowId, 'b');
    assert.deepEqual(state.targets, ['vc-a', 'vc-a-alias']);
  });

  it("lets a maintenance run's legs in under their parent's hold, and nobody else", () => {
    const state = emptyLedger('c1');
    accepted(state, acquire(state, acquireBy(run('maint'), { type: 'vchaMaintenance' })));
    const leg = accepted(
      state,
      acquire(state, acquireBy(run('maint/failover'), { parent: { workflowId: 'maint', type: 'vchaMaintenance' } })),
    );
    assert.deepEqual(leg, { held: true, via: 'parent' });
    accepted(
      state,
      claim(state, claimBy(run('maint/failover'), { parent: { workflowId: 'maint', type: 'vchaMaintenance' } })),
    );
    assert.equal(refusedBecause(claim(state, claimBy(run('other')))), 'not-holder');
  });

  it('allows one claim per workflow id, ever: a second run of the id is refused, however it ended', () => {
    const state = emptyLedger('c1');
    accepted(state, acquire(state, acquireBy(run('a'))));
    accepted(state, claim(state, claimBy(run('a'))));
    // The same run asking again (a retried local activity) gets the same claim.
    assert.equal(accepted(state, claim(state, claimBy(run('a')))).runId, 'r1');
    accepted(
      state,
      finish(state, {
        ...run('a'),
        verdict: { outcome: 'SUCCEEDED', message: 'ok', proved: true, nothingSent: false },
        at,
      }),
    );
    // A reset or re-run of the id: the ledger names the earlier request at acquire, and refuses the claim.
    const again = accepted(state, acquire(state, acquireBy(run('a', 'r2'))));
    assert.equal(again.held && again.sameWorkflowId?.outcome, 'SUCCEEDED');
    assert.equal(refusedBecause(claim(state, claimBy(run('a', 'r2')))), 'already-claimed');
    // r2 ends (releasing the hold), then is reset to after its acquire: the replayed hold is gone,
    // and the ledger still tells it that its id already sent, not that the cluster is busy.
    accepted(state, finish(state, { ...run('a', 'r2'), at }));
    assert.equal(refusedBecause(claim(state, claimBy(run('a', 'r3')))), 'already-claimed');
    accepted(state, acquire(state, acquireBy(run('b'))));
    // With another id holding the cluster, a later run of the id hears of its request at acquire too.
    const busy = accepted(state, acquire(state, acquireBy(run('a', 'r4'))));
    assert.deepEqual([busy.held, busy.sameWorkflowId?.runId], [false, 'r1']);
    assert.equal(refusedBecause(claim(state, claimBy(run('a', 'r4')))), 'already-claimed');
    assert.equal(refusedBecause(claim(state, claimBy(run('c')))), 'not-holder');
  });

  it('never withdraws a claim on the word of a run that only replayed it: the earlier run may have sent', () => {
    // r1 sent, then was Reset to after its claim: r2 replays "claimed", its check sees the cluster
    // changed, and it ends "nothing was sent" (true of r2 only).
    const state = claimEndedNothingSentBy('r2');
    assert.deepEqual(
      [state.entries[0]!.state, state.entries[0]!.proved, isUnresolved(state.entries[0]!)],
      ['ended', false, true],
    );
    accepted(state, acquire(state, acquireBy(run('a', 'r3'))));
    assert.equal(refusedBecause(claim(state, claimBy(run('a', 'r3')))), 'already-claimed');
  });

  it('lets a workflow id claim again only after its claim was withdrawn on proof that nothing was sent', () => {
    const state = claimEndedNothingSentBy('r1');
    assert.equal(state.entries[0]!.state, 'withdrawn');
    accepted(state, acquire(state, acquireBy(run('a', 'r2'))));
    accepted(state, claim(state, claimBy(run('a', 'r2'))));
  });

  it('hands an open claim and the hold to a later run of the same workflow id (an earlier run of it is closed)', () => {
    const state = emptyLedger('c1');
    accepted(state, acquire(state, acquireBy(run('a'))));
    accepted(state, claim(state, claimBy(run('a'))));
    // Run r1 was reset while following: r2 gets the hold and the open claim, to follow it.
    const reply = accepted(state, acquire(state, acquireBy(run('a', 'r2'))));
    assert.equal(reply.held && reply.adopted?.adoptedFrom, 'r1');
    assert.deepEqual([state.holder?.runId, state.entries[0]!.runId], ['r2', 'r2']);
    // Reset again, to just before the claim: the claim hands the request over instead of a new one.
    const again = accepted(state, claim(state, claimBy(run('a', 'r3'))));
    assert.deepEqual([again.runId, again.adoptedFrom], ['r3', 'r2']);
    accepted(
      state,
      finish(state, {
        ...run('a', 'r3'),
        verdict: { outcome: 'SUCCEEDED', message: 'ok', proved: true, nothingSent: false },
        at,
      }),
    );
    assert.equal(state.entries.length, 1);
    assert.equal(state.holder, undefined);
    // Another workflow id may not take the hold from a running holder without proof it closed.
    accepted(state, acquire(state, acquireBy(run('c'))));
    assert.equal(accepted(state, acquire(state, acquireBy(run('d')))).held, false);
  });

  it("refuses another id's send while a request is unresolved, until the cluster proves it settled", () => {
    const state = emptyLedger('c1');
    accepted(state, acquire(state, acquireBy(run('a'))));
    accepted(state, claim(state, claimBy(run('a'))));
    accepted(
      state,
      finish(state, {
        ...run('a'),
        verdict: { outcome: 'FailoverOutcomeUnknown', message: 'no proof', proved: false, nothingSent: false },
        at,
      }),
    );
    assert.equal(isUnresolved(state.entries[0]!), true);
    // The old node still ACTIVE with nothing running proves nothing: a flush may be hidden.
    const unchanged = { activeNode: '10.0.0.1', passiveNode: '10.0.0.2', failoverRunning: false, observedAt: at };
    const first = accepted(state, acquire(state, acquireBy(run('b'), { evidence: unchanged })));
    assert.equal(first.held && first.unresolved?.workflowId, 'a');
    assert.equal(refusedBecause(claim(state, claimBy(run('b')))), 'unresolved');
    // The old passive ACTIVE and nothing running: the request took effect and is over. A reading
    // from before the hold is only a hint (acquire settles nothing); the claim's reading, taken
    // while holding, settles it.
    const switched = { activeNode: '10.0.0.2', passiveNode: '10.0.0.1', failoverRunning: false, observedAt: at };
    const second = accepted(state, acquire(state, acquireBy(run('b'), { evidence: switched })));
    assert.equal(second.held && second.unresolved, undefined);
    assert.ok(state.entries[0]!.settled === undefined, 'the hint settles nothing');
    const fresh = { previousActive: '10.0.0.2', previousPassive: '10.0.0.1' };
    assert.equal(refusedBecause(claim(state, claimBy(run('b'), { ...fresh, evidence: unchanged }))), 'unresolved');
    accepted(state, claim(state, claimBy(run('b'), { ...fresh, evidence: switched })));
    assert.equal(state.entries.find((entry) => entry.workflowId === 'a')?.settled?.by, 'cluster-state');
  });

  it('settles an unresolved request by a named acknowledgment, never while its run still holds the cluster', () => {
    const state = emptyLedger('c1');
    accepted(state, acquire(state, acquireBy(run('a'))));
    accepted(state, claim(state, claimBy(run('a'))));
    assert.equal(
      refusedBecause(acknowledge(state, { workflowId: 'a', person: 'bob', reason: 'checked', at })),
      'not-unresolved',
    );
    accepted(state, acquire(state, acquireBy(run('b'), { takeOverFrom: run('a') })));
    const settled = accepted(
      state,
      acknowledge(state, { workflowId: 'a', person: 'bob', reason: 'tasks show none', at }),
    );
    assert.equal(settled.settled?.person, 'bob');
    accepted(state, claim(state, claimBy(run('b'))));
  });

  it("lets a fleet send once per cluster, whichever of the cluster's names its children use", () => {
    const state = emptyLedger('c1');
    const fleet = { workflowId: 'fleet-1', type: 'fleetFailover' };
    accepted(state, acquire(state, acquireBy(run('fleet-1/vc-a'), { parent: fleet })));
    accepted(state, claim(state, claimBy(run('fleet-1/vc-a'), { parent: fleet })));
    accepted(
      state,
      finish(state, {
        ...run('fleet-1/vc-a'),
        verdict: { outcome: 'SUCCEEDED', message: 'ok', proved: true, nothingSent: false },
        at,
      }),
    );
    accepted(state, acquire(state, acquireBy(run('fleet-1/10.1.1.1'), { parent: fleet, target: '10.1.1.1' })));
    assert.equal(
      refusedBecause(claim(state, claimBy(run('fleet-1/10.1.1.1'), { parent: fleet, target: '10.1.1.1' }))),
      'once-per-fleet',
    );
  });

  it('keeps every unresolved entry and drops only the oldest resolved ones beyond the bound', () => {
    const state = emptyLedger('c1');
    for (let index = 0; index <= LEDGER_ENTRIES_KEPT; index++) {
      const who = run(`id-${index}`);
      accepted(state, acquire(state, acquireBy(who)));
      accepted(state, claim(state, claimBy(who)));
      const proved = index !== 0;
      accepted(
        state,
        finish(state, {
          ...who,
          verdict: {
            outcome: proved ? 'SUCCEEDED' : 'FailoverOutcomeUnknown',
            message: '',
            proved,
            nothingSent: false,
          },
          at,
        }),
      );
      if (index === 0) accepted(state, acknowledge(state, { workflowId: 'id-0', person: 'p', reason: 'r', at }));
    }
    assert.equal(state.entries.length, LEDGER_ENTRIES_KEPT);
    assert.equal(state.entries[0]!.workflowId, 'id-1');
  });
});
