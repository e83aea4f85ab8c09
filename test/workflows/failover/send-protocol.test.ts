/**
 * The send protocol's decisions as plain functions, without a Temporal server: what an attempt's
 * failure proves, which attempt may send again, when a refusal ends the run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEND_FAILURE_TYPES } from '../../../src/contract';
import {
  SEND_ATTEMPTS,
  checkBeforeSend,
  classifySendFailure,
  nextSendStep,
  provesRefusedBeforeStarting,
  readRefusal,
  refusalVerdict,
  type SendFailureFacts,
} from '../../../src/workflows/failover/send-protocol';
import { clusterSnapshot } from '../../domain/snapshots';

const facts = (overrides: Partial<SendFailureFacts>): SendFailureFacts => ({
  neverStarted: false,
  message: 'what the failure said',
  ...overrides,
});
const notSent = facts({ applicationType: SEND_FAILURE_TYPES.notSent, message: 'connection refused: nothing was sent' });
const unchanged = {
  read: true as const,
  check: { unchanged: true, snapshot: clusterSnapshot(), detail: 'active 10.0.0.1' },
};
const changed = {
  read: true as const,
  check: { unchanged: false, snapshot: clusterSnapshot('node2'), detail: 'active 10.0.0.2' },
};
const unread = { read: false as const, type: undefined, message: 'vCenter unreachable' };
/** The switches of a run before `refusal-needs-proof` (`waits`: with `refusal-5xx-waits-no-sign`), counting what is asked. */
const flags = (waits: boolean) => {
  const calls: string[] = [];
  return {
    calls,
    refusalNeedsProof: () => (calls.push('refusal-needs-proof'), false),
    refusal5xxWaitsNoSign: () => (calls.push('refusal-5xx-waits-no-sign'), waits),
  };
};
/** The switches of a run with `refusal-needs-proof`. */
const current = () => {
  const calls: string[] = [];
  return {
    calls,
    refusalNeedsProof: () => (calls.push('refusal-needs-proof'), true),
    refusal5xxWaitsNoSign: () => (calls.push('refusal-5xx-waits-no-sign'), true),
  };
};
const refusal = (status: number, errorType?: string) => ({
  message: `vCenter answered HTTP ${status}${errorType ? ` ${errorType}` : ''}`,
  status,
  ...(errorType ? { errorType } : {}),
});

describe('classifySendFailure', () => {
  it('only the send verdicts and a never-started attempt prove anything; everything else may have sent', () => {
    assert.equal(classifySendFailure(notSent), 'not-sent');
    assert.equal(classifySendFailure(facts({ neverStarted: true })), 'not-sent');
    assert.equal(classifySendFailure(facts({ applicationType: SEND_FAILURE_TYPES.refused })), 'refused');
    assert.equal(classifySendFailure(facts({ applicationType: SEND_FAILURE_TYPES.maybeSent })), 'may-have-sent');
    assert.equal(classifySendFailure(facts({})), 'may-have-sent');
    // A contract answer other than UnknownTarget proves nothing about the request.
    assert.equal(
      classifySendFailure(facts({ contractType: 'NotAuthorized', applicationType: 'NotAuthorized' })),
      'may-have-sent',
    );
    assert.equal(
      classifySendFailure(facts({ contractType: 'UnknownTarget', applicationType: 'UnknownTarget' })),
      'unknown-target',
    );
  });
});

describe('nextSendStep', () => {
  it('sends again after proof that nothing was sent, backing off, until the last attempt gives up', () => {
    const backoffs: number[] = [];
    for (let attempt = 1; attempt < SEND_ATTEMPTS; attempt++) {
      const step = nextSendStep(attempt, notSent, 'lab', 1_000);
      assert.equal(step.step, 'send-again');
      if (step.step === 'send-again') backoffs.push(step.backoffMs);
    }
    assert.deepEqual(backoffs, [1_000, 2_000, 4_000, 8_000]);
    const last = nextSendStep(SEND_ATTEMPTS, notSent, 'lab', 1_000);
    assert.equal(last.step, 'give-up');
    if (last.step !== 'give-up' || last.end.ok) return assert.fail('a give-up ends the run');
    assert.equal(last.end.outcome, 'PreflightRejected');
    assert.match(last.end.message, /never reached lab in 5 attempts \(connection refused: nothing was sent\)/);
    assert.deepEqual(
      last.end.extra?.failedChecks?.map((c) => c.id),
      ['reachable'],
    );
  });

  it('names the schedule-to-start timeout when the attempt never started', () => {
    const step = nextSendStep(1, facts({ neverStarted: true, message: 'timeout' }), 'lab', 0);
    assert.equal(step.step, 'send-again');
    if (step.step === 'send-again') assert.equal(step.notSent, 'the send did not start within 1m: nothing was sent');
  });

  it('never sends again once the request may have been accepted: it follows, the answer kept as why', () => {
    for (const attempt of [1, SEND_ATTEMPTS]) {
      const step = nextSendStep(attempt, facts({ message: 'socket hang up' }), 'lab', 42);
      assert.equal(step.step, 'follow');
      if (step.step === 'follow') assert.deepEqual(step.sent, { triggered: 'unknown', at: 42, why: 'socket hang up' });
    }
  });

  it("never sends again after Envoy's 503 to the request (FailoverMaybeSent): a proxy's retry cannot be ruled out", () => {
    const envoy = facts({
      applicationType: SEND_FAILURE_TYPES.maybeSent,
      message:
        'the failover request may have reached vCenter lab (Envoy, in front of its API, answered HTTP 503 while the ' +
        "API behind it was down; that proves nothing about the request (a proxy's retry cannot be ruled out): " +
        'cluster.failover failed: HTTP 503: response body: no healthy upstream)',
    });
    assert.equal(classifySendFailure(envoy), 'may-have-sent');
    for (let attempt = 1; attempt <= SEND_ATTEMPTS; attempt += 1) {
      const step = nextSendStep(attempt, envoy, 'lab', 42);
      assert.equal(step.step, 'follow');
      if (step.step === 'follow') assert.equal(step.sent.triggered, 'unknown');
    }
  });

  it('confirms a refusal before believing it, and ends UnknownTarget at once', () => {
    assert.equal(
      nextSendStep(1, facts({ applicationType: SEND_FAILURE_TYPES.refused }), 'lab', 0).step,
      'confirm-refusal',
    );
    const unknown = nextSendStep(1, facts({ contractType: 'UnknownTarget', message: 'no target lab' }), 'lab', 0);
    assert.deepEqual(unknown, { step: 'end', end: { ok: false, outcome: 'UnknownTarget', message: 'no target lab' } });
  });
});

describe('checkBeforeSend', () => {
  it('sends only to a cluster read unchanged, and not after a cancel', () => {
    assert.equal(checkBeforeSend(unchanged, 'lab', false), undefined);
    assert.equal(checkBeforeSend(unchanged, 'lab', true)?.outcome, 'Cancelled');
    const moved = checkBeforeSend(changed, 'lab', false);
    assert.equal(moved?.outcome, 'PreflightRejected');
    assert.match(moved.message, /lab changed since preflight \(active 10\.0\.0\.2\): nothing was sent/);
    assert.equal(checkBeforeSend(unread, 'lab', false)?.outcome, 'PreflightRejected');
    assert.equal(checkBeforeSend({ ...unread, type: 'NotAuthorized' }, 'lab', false)?.outcome, 'NotAuthorized');
  });
});

describe('refusalVerdict and readRefusal', () => {
  it('only UNAUTHENTICATED (401) and UNAUTHORIZED (403) prove vCenter refused before starting', () => {
    assert.equal(provesRefusedBeforeStarting(refusal(403, 'UNAUTHORIZED')), true);
    assert.equal(provesRefusedBeforeStarting(refusal(401, 'UNAUTHENTICATED')), true);
    // A body without error_type (before 6.7.2): on /api only these types have these statuses.
    assert.equal(provesRefusedBeforeStarting(refusal(403)), true);
    for (const [status, type] of [
      [500, 'ERROR'],
      [500, 'INTERNAL_SERVER_ERROR'],
      [503, 'SERVICE_UNAVAILABLE'],
      [504, 'TIMED_OUT'],
      [500, undefined],
      // Not documented for the failover: no documented meaning, no proof.
      [400, 'NOT_ALLOWED_IN_CURRENT_STATE'],
      [400, 'INVALID_ARGUMENT'],
      [409, 'CONCURRENT_CHANGE'],
      // The legacy /rest form answers Error with 400: the status alone proves nothing.
      [400, 'ERROR'],
      [400, undefined],
      // A type with another type's status is not believed.
      [500, 'UNAUTHORIZED'],
    ] as const) {
      assert.equal(provesRefusedBeforeStarting(refusal(status, type)), false, `${status} ${type}`);
    }
  });

  it('with refusal-needs-proof: a proving refusal ends at once, any other is followed as unproven', () => {
    for (const [status, type, expected] of [
      [403, 'UNAUTHORIZED', 'end'],
      [401, 'UNAUTHENTICATED', 'end'],
      [500, 'ERROR', 'follow-unproven'],
      [503, 'SERVICE_UNAVAILABLE', 'follow-unproven'],
      [400, 'NOT_ALLOWED_IN_CURRENT_STATE', 'follow-unproven'],
    ] as const) {
      const switches = current();
      assert.equal(refusalVerdict(refusal(status, type), true, switches), expected, `${status} ${type}`);
      assert.deepEqual(switches.calls, ['refusal-needs-proof'], 'the older switch is not asked');
    }
    const forbidden = readRefusal(refusal(403, 'UNAUTHORIZED'), unchanged, 'lab', 7, current());
    if (forbidden.step !== 'end') return assert.fail('a confirmed 403 ends the run');
    assert.equal(forbidden.end.outcome, 'NotAuthorized');
    const session = readRefusal(refusal(401, 'UNAUTHENTICATED'), unchanged, 'lab', 7, current());
    if (session.step !== 'end') return assert.fail('a confirmed 401 ends the run');
    assert.equal(session.end.outcome, 'FailoverFailed');
    for (const unproven of [refusal(500, 'ERROR'), refusal(400, 'NOT_ALLOWED_IN_CURRENT_STATE')]) {
      const read = readRefusal(unproven, unchanged, 'lab', 7, current());
      if (read.step !== 'follow') return assert.fail(`${unproven.message} is followed`);
      assert.deepEqual(read.sent, {
        triggered: 'unknown',
        at: 7,
        why: unproven.message,
        refusal: unproven.message,
        refusalUnproven: true,
      });
      assert.match(read.observation, /does not prove vCenter refused before starting/);
    }
  });

  it('before refusal-needs-proof: a 4xx confirmed unchanged ends the run, without asking the 5xx switch', () => {
    const switches = flags(true);
    assert.equal(refusalVerdict(refusal(400), true, switches), 'end');
    assert.deepEqual(switches.calls, ['refusal-needs-proof']);
    const read = readRefusal({ message: 'vCenter refused (400)', status: 400 }, unchanged, 'lab', 7, switches);
    assert.equal(read.step, 'end');
    if (read.step === 'end') assert.equal(read.end.outcome, 'FailoverFailed');
    const forbidden = readRefusal({ message: 'forbidden', status: 403 }, unchanged, 'lab', 7, switches);
    if (forbidden.step !== 'end') return assert.fail('a confirmed 403 ends the run');
    assert.equal(forbidden.end.outcome, 'NotAuthorized');
    assert.match(forbidden.end.message, /Global\.VCServer/);
  });

  it('before refusal-needs-proof: a 5xx confirmed unchanged is followed through the window, unless the run predates that switch too', () => {
    const waits = flags(true);
    assert.equal(refusalVerdict(refusal(500), true, waits), 'follow');
    assert.deepEqual(waits.calls, ['refusal-needs-proof', 'refusal-5xx-waits-no-sign']);
    assert.equal(refusalVerdict(refusal(503), true, flags(false)), 'end');
    const read = readRefusal({ message: 'vCenter error (500)', status: 500 }, unchanged, 'lab', 7, flags(true));
    if (read.step !== 'follow') return assert.fail('a 5xx is followed');
    assert.deepEqual(read.sent, {
      triggered: 'unknown',
      at: 7,
      why: 'vCenter error (500)',
      refusal: 'vCenter error (500)',
    });
  });

  it('an unconfirmed refusal (changed, or unreadable) is followed with no refusal to bear out', () => {
    for (const after of [changed, unread]) {
      const switches = flags(false);
      assert.equal(refusalVerdict(refusal(400), after.read && after.check.unchanged, switches), 'follow');
      assert.deepEqual(switches.calls, [], 'the switch is not asked when nothing is confirmed');
      const read = readRefusal({ message: 'refused', status: 400 }, after, 'lab', 7, switches);
      if (read.step !== 'follow') return assert.fail('an unconfirmed refusal is followed');
      assert.equal(read.sent.refusal, undefined);
      assert.match(read.sent.why!, /refused, not confirmed/);
    }
  });
});
