/**
 * Reading the cluster ledger's answers as plain functions, without a Temporal server: the step
 * after acquiring the cluster, the end a refused claim gives, and what the ledger keeps of a run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LedgerEntry, LedgerHolder } from '../../../src/contract';
import { claimRefused, ledgerVerdict, readAcquired } from '../../../src/workflows/failover/ledger-reading';
import { failed, type RunEnd, type Sent } from '../../../src/workflows/failover/shapes';

const entry = (overrides: Partial<LedgerEntry> = {}): LedgerEntry => ({
  workflowId: 'change-42',
  runId: 'r1',
  target: 'vc-a',
  planned: true,
  previousActive: '10.0.0.1',
  previousPassive: '10.0.0.2',
  claimedAt: '2026-12-06T10:00:00.000Z',
  state: 'claimed',
  ...overrides,
});
const holder = (overrides: Partial<LedgerHolder> = {}): LedgerHolder => ({
  workflowId: 'change-7',
  runId: 'h1',
  type: 'vchaFailover',
  target: 'vc-a',
  since: '2026-12-06T09:59:00.000Z',
  ...overrides,
});

describe('readAcquired', () => {
  it('a held cluster with nothing in the way lets the run go on', () => {
    assert.deepEqual(readAcquired({ held: true, via: 'holder' }, 'vc-a', 'c1'), { step: 'proceed' });
    assert.deepEqual(readAcquired({ held: true, via: 'parent' }, 'vc-a', 'c1'), { step: 'proceed' });
  });

  it('a running holder ends the run TargetBusy, naming the holder, what it does, and the alias it used', () => {
    const start = readAcquired({ held: false, holder: holder() }, 'vc-a', 'c1');
    assert.equal(start.step, 'end');
    const end = start.step === 'end' ? start.end : assert.fail();
    assert.equal(end.outcome, 'TargetBusy');
    assert.match(end.message, /^target vc-a is busy: run change-7 \(h1\) is failing it over$/);
    assert.deepEqual(!end.ok && end.extra?.heldBy, { workflowId: 'change-7', runId: 'h1' });
    const maintenance = readAcquired(
      { held: false, holder: holder({ type: 'vchaMaintenance', target: '10.0.0.9' }) },
      'vc-a',
      'c1',
    );
    assert.match(
      maintenance.step === 'end' ? maintenance.end.message : '',
      /is holding it for maintenance \(as 10\.0\.0\.9, another name of the same cluster\)/,
    );
  });

  it("the workflow id's own earlier request comes before a busy cluster: AlreadySent, not TargetBusy", () => {
    const ended = entry({ state: 'ended', outcome: 'SUCCEEDED', message: 'vc-a failed over', proved: true });
    const start = readAcquired({ held: false, holder: holder(), sameWorkflowId: ended }, 'vc-a', 'c1');
    assert.equal(start.step === 'end' && start.end.outcome, 'AlreadySent');
  });

  it('an adopted claim is followed, never sent again: unknown arrival, from the time of the claim', () => {
    const adopted = entry({ runId: 'r2', adoptedFrom: 'r1' });
    const start = readAcquired({ held: true, via: 'holder', adopted }, 'vc-a', 'c1');
    assert.equal(start.step, 'follow-adopted');
    if (start.step !== 'follow-adopted') return;
    assert.equal(start.entry, adopted);
    assert.deepEqual(start.sent.triggered, 'unknown');
    assert.equal(start.sent.at, Date.parse('2026-12-06T10:00:00.000Z'));
    assert.match(
      start.sent.why ?? '',
      /run r1 of this workflow id claimed the request .* and closed before its verdict/,
    );
    assert.match(start.observation, /not sending again; following that request/);
  });

  it('an earlier request of the same workflow id ends the run AlreadySent, with that request outcome', () => {
    const ended = entry({ state: 'ended', outcome: 'SUCCEEDED', message: 'vc-a failed over', proved: true });
    const start = readAcquired({ held: true, via: 'holder', sameWorkflowId: ended }, 'vc-a', 'c1');
    const end = start.step === 'end' ? start.end : assert.fail(`expected an end, got ${start.step}`);
    assert.equal(end.outcome, 'AlreadySent');
    assert.match(
      end.message,
      /already sent the failover of vc-a at 2026-12-06T10:00:00.000Z \(run r1\); its outcome: SUCCEEDED: vc-a failed over; this run sent nothing; use a new workflow id/,
    );
    // It comes before another id's unresolved request: the run must say its own id already sent.
    const both = readAcquired(
      { held: true, via: 'holder', sameWorkflowId: ended, unresolved: entry({ workflowId: 'other' }) },
      'vc-a',
      'c1',
    );
    assert.equal(both.step === 'end' && both.end.outcome, 'AlreadySent');
    const unknown = readAcquired({ held: true, via: 'holder', sameWorkflowId: entry() }, 'vc-a', 'c1');
    assert.match(
      unknown.step === 'end' ? unknown.end.message : '',
      /its outcome: not known \(its run ended without a verdict\)/,
    );
  });

  it("another id's unresolved request ends the run UnresolvedFailover, saying why and how to settle it", () => {
    const open = readAcquired({ held: true, via: 'holder', unresolved: entry({ workflowId: 'other' }) }, 'vc-b', 'c1');
    const end = open.step === 'end' ? open.end : assert.fail();
    assert.equal(end.outcome, 'UnresolvedFailover');
    assert.match(
      end.message,
      /requested by other \(run r1, as vc-a\) .* is unresolved \(its run claimed the send and never ended with a verdict\): nothing was sent/,
    );
    assert.match(end.message, /vcha-failover acknowledge other --cluster c1 --by <your name>/);
    const unknown = readAcquired(
      {
        held: true,
        via: 'holder',
        unresolved: entry({ workflowId: 'other', state: 'ended', outcome: 'FailoverOutcomeUnknown', proved: false }),
      },
      'vc-a',
      'c1',
    );
    assert.match(
      unknown.step === 'end' ? unknown.end.message : '',
      /is unresolved \(it ended FailoverOutcomeUnknown\)/,
    );
  });
});

describe('claimRefused', () => {
  it('maps each refusal to its end; none of them sent anything but AlreadySent names the earlier request', () => {
    const already = claimRefused({ reason: 'already-claimed', message: 'claimed', entry: entry() }, 'vc-a', 'c1');
    assert.equal(already.outcome, 'AlreadySent');
    assert.match(already.message, /this run sent nothing/);
    const unresolved = claimRefused(
      { reason: 'unresolved', message: 'its run claimed the send', entry: entry({ workflowId: 'other' }) },
      'vc-a',
      'c1',
    );
    assert.equal(unresolved.outcome, 'UnresolvedFailover');
    assert.match(unresolved.message, /is unresolved \(its run claimed the send\): nothing was sent/);
    const busy = claimRefused({ reason: 'not-holder', message: 'the cluster is held by change-7 (h1)' }, 'vc-a', 'c1');
    assert.deepEqual(
      [busy.outcome, busy.message],
      ['TargetBusy', 'target vc-a is busy: the cluster is held by change-7 (h1); nothing was sent'],
    );
    const fleet = claimRefused({ reason: 'once-per-fleet', message: 'fleet f already sent one' }, 'vc-a', 'c1');
    assert.equal(fleet.outcome, 'PreflightRejected');
    assert.deepEqual(!fleet.ok && fleet.extra?.failedChecks?.map((check) => check.id), ['once-per-fleet']);
  });

  it('a refusal without the entry it needs, or of another kind, still ends PreflightRejected with its reason', () => {
    for (const reason of ['already-claimed', 'unresolved', 'invalid'] as const) {
      const end = claimRefused({ reason, message: 'why' }, 'vc-a', 'c1');
      assert.deepEqual(
        [end.outcome, end.message],
        ['PreflightRejected', "the cluster's ledger refused the send: why; nothing was sent"],
      );
    }
  });
});

describe('ledgerVerdict', () => {
  const sent: Sent = { triggered: 'unknown', at: 0, why: 'socket hang up' };
  const success: RunEnd = { ok: true, outcome: 'SUCCEEDED', message: 'failed over' };

  it('an end before any request reached vCenter withdraws the claim; a refusal vCenter answered does not', () => {
    const notSent = failed('PreflightRejected', 'never reached vc-a: nothing was sent');
    assert.deepEqual(ledgerVerdict(notSent, undefined, false), {
      outcome: 'PreflightRejected',
      message: 'never reached vc-a: nothing was sent',
      proved: true,
      nothingSent: true,
    });
    const refused = ledgerVerdict(failed('FailoverFailed', 'HTTP 400; unchanged'), undefined, true);
    assert.deepEqual([refused.proved, refused.nothingSent], [true, false]);
  });

  it('after a request went out, only an end that proves what the cluster did resolves the entry', () => {
    const withTask: Sent = { triggered: 'yes', taskId: 'task-1', at: 0 };
    assert.deepEqual(ledgerVerdict(success, withTask, false), {
      outcome: 'SUCCEEDED',
      message: 'failed over',
      taskId: 'task-1',
      proved: true,
      nothingSent: false,
    });
    for (const outcome of ['FailoverFailed', 'FailoverNotHealthy'] as const) {
      assert.equal(ledgerVerdict(failed(outcome, 'm'), sent, false).proved, true, outcome);
    }
    for (const outcome of ['FailoverOutcomeUnknown', 'Cancelled'] as const) {
      const kept = ledgerVerdict(failed(outcome, 'm'), sent, true);
      assert.deepEqual([kept.proved, kept.nothingSent], [false, false], outcome);
    }
    assert.equal('taskId' in ledgerVerdict(success, sent, false), false);
  });
});
