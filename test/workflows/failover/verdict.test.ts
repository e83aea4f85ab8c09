/** The verdict as a pure function, without a Temporal server: every follow result and failure gives one end. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FollowFailoverResult } from '../../../src/activities';
import { followFailedVerdict, verdict, type VerdictInput } from '../../../src/workflows/failover/verdict';
import { ledgerVerdict } from '../../../src/workflows/failover/ledger-reading';
import type { GateReport } from '../../../src/contract';
import { clusterSnapshot } from '../../domain/snapshots';

const input: VerdictInput = {
  target: 'lab',
  deadlines: {
    failover: 30 * 60_000,
    healthy: 30 * 60_000,
    noSign: 5 * 60_000,
    approval: 30 * 60_000,
    stable: 2 * 60_000,
    ready: 10 * 60_000,
  },
  requireHealthy: true,
};
const passed = { active: '10.0.0.1', passive: '10.0.0.2' };
const followed = (outcome: FollowFailoverResult['outcome'], extra: Partial<FollowFailoverResult> = {}) => ({
  outcome,
  observation: 'last seen',
  observations: [],
  longestOutageMs: 0,
  ...extra,
});

describe('verdict', () => {
  it('verified is the only success', () => {
    const own = { taskId: 'task-7:com.vmware.vcenter.vcha.cluster' };
    const end = verdict(followed('verified', { snapshot: clusterSnapshot('node2') }), own, passed, input);
    assert.deepEqual(end, { ok: true, outcome: 'SUCCEEDED', message: 'lab failed over: 10.0.0.2 is ACTIVE, HEALTHY' });
    for (const outcome of ['failed', 'no-sign', 'switch-deadline', 'healthy-deadline'] as const) {
      assert.equal(verdict(followed(outcome), {}, passed, input).ok, false, outcome);
    }
  });

  it('maps each follow outcome to its contract failure', () => {
    const outcome = (o: FollowFailoverResult['outcome']) => verdict(followed(o), {}, passed, input).outcome;
    assert.equal(outcome('failed'), 'FailoverFailed');
    assert.equal(outcome('switch-deadline'), 'FailoverOutcomeUnknown');
    assert.equal(outcome('healthy-deadline'), 'FailoverNotHealthy');
    assert.equal(outcome('no-sign'), 'FailoverOutcomeUnknown');
  });

  it('a fail back by itself after the switch is FailoverFlippedBack, naming when, by whose clock', () => {
    const end = verdict(
      followed('flipped-back', {
        flippedBackAt: { at: '2026-12-06T10:02:05.000Z', clock: 'vcenter' },
        lastHeldAt: { at: '2026-12-06T10:02:00.000Z', clock: 'vcenter' },
      }),
      { taskId: 'task-7:x' },
      passed,
      { ...input, stableMs: 60_000 },
    );
    assert.equal(end.ok, false);
    assert.equal(end.outcome, 'FailoverFlippedBack');
    assert.match(
      end.message,
      /^lab switched to 10\.0\.0\.2, then failed back by itself: 10\.0\.0\.1 was ACTIVE again at 2026-12-06T10:02:05\.000Z \(vCenter's time\), last seen with 10\.0\.0\.2 ACTIVE at 2026-12-06T10:02:00\.000Z \(vCenter's time\); the failover did not hold for 1m\. Nothing more was sent/,
    );
    const workerClock = verdict(
      followed('flipped-back', { flippedBackAt: { at: '2026-12-06T10:02:06.123Z', clock: 'worker' } }),
      {},
      passed,
      input,
    );
    assert.match(
      workerClock.message,
      /ACTIVE again at 2026-12-06T10:02:06\.123Z \(this worker's time: vCenter sent none\)/,
    );
  });

  it('roles not proven held for the period is unknown, never SUCCEEDED', () => {
    const end = verdict(followed('hold-unproven'), { taskId: 'task-7:x' }, passed, { ...input, stableMs: 60_000 });
    assert.equal(end.outcome, 'FailoverOutcomeUnknown');
    assert.match(
      end.message,
      /was back, but no unbroken 1m of reads showed the new roles within the healthy deadline \(30m from the switch\): it may have failed back/,
    );
    const held = verdict(followed('verified', { snapshot: clusterSnapshot('node2') }), { taskId: 'task-7:x' }, passed, {
      ...input,
      stableMs: 60_000,
    });
    assert.equal(held.message, 'lab failed over: 10.0.0.2 is ACTIVE, HEALTHY, and the roles held for 1m');
  });

  it('a switch that nothing ties to this request says the evidence fits another failover as well', () => {
    const snapshot = clusterSnapshot('node2');
    const untied = verdict(followed('verified', { snapshot }), { why: 'socket hang up' }, passed, input);
    assert.equal(untied.outcome, 'SUCCEEDED');
    assert.match(untied.message, /nothing ties this switch to this request .* fits another failover as well/);
    const adopted = verdict(followed('verified', { snapshot, taskId: 'task-9:x' }), {}, passed, input);
    assert.doesNotMatch(adopted.message, /another failover/);
    const own = verdict(followed('verified', { snapshot }), { taskId: 'task-7:x' }, passed, input);
    assert.doesNotMatch(own.message, /another failover/);
    const notHealthy = verdict(followed('healthy-deadline'), {}, passed, input);
    assert.match(notHealthy.message, /fits another failover as well/);
  });

  it('no sign after a refusal that proves nothing is unknown, naming the refusal, the window and a hidden failover', () => {
    const sent = { refusal: 'vCenter answered HTTP 500 ERROR: internal error', refusalUnproven: true };
    const end = verdict(followed('no-sign'), sent, passed, input);
    assert.equal(end.outcome, 'FailoverOutcomeUnknown');
    assert.match(end.message, /^vCenter answered HTTP 500 ERROR: internal error; this error does not prove/);
    assert.match(
      end.message,
      /for 5m lab then showed no sign of a failover and is unchanged \(10\.0\.0\.1 still ACTIVE/,
    );
    assert.match(end.message, /vCenter may hide a running failover/);
    assert.doesNotMatch(end.message, /did not fail over/);
  });

  it('runs before refusal-needs-proof: no sign after a confirmed refusal is FailoverFailed; after an answer that proved nothing it is unknown', () => {
    const refused = verdict(followed('no-sign'), { refusal: 'vCenter refused (500)' }, passed, input);
    assert.equal(refused.outcome, 'FailoverFailed');
    assert.match(refused.message, /vCenter refused \(500\); for 5m lab then showed no sign .* it did not fail over/);
    const unknown = verdict(followed('no-sign'), { why: 'socket hang up' }, passed, input);
    assert.equal(unknown.outcome, 'FailoverOutcomeUnknown');
    assert.match(unknown.message, /its answer proved nothing \(socket hang up\)/);
  });

  it('says what health it waited for', () => {
    const strict = verdict(followed('healthy-deadline'), {}, passed, input);
    assert.match(strict.message, /was not HEALTHY with all members UP within 30m/);
    const lenient = verdict(followed('healthy-deadline'), {}, passed, { ...input, requireHealthy: false });
    assert.match(lenient.message, /was not back with all members UP/);
  });
});

describe('followFailedVerdict', () => {
  const heartbeat = (phase: 'FAILING_OVER' | 'VERIFYING') => ({
    phase,
    observation: 'witness DOWN',
    observations: [],
    longestOutageMs: 0,
    polls: 3,
  });

  it('a contract failure while following proves nothing about the cluster', () => {
    const end = followFailedVerdict({ contract: true, message: 'forbidden' }, { triggered: 'yes' }, passed, 'lab');
    assert.equal(end.outcome, 'FailoverOutcomeUnknown');
    assert.match(end.message, /cannot follow the failover of lab: forbidden; the request was accepted/);
  });

  it('a last heartbeat in the stability period is unknown: the roles may have reverted since', () => {
    const lastSeen = {
      observation: 'back: holding for 1m',
      observations: [],
      longestOutageMs: 0,
      polls: 9,
      phase: 'VERIFYING' as const,
      backAtFollowedMs: 30_000,
    };
    const end = followFailedVerdict(
      { contract: false, message: 'activity timed out', lastSeen },
      { triggered: 'yes' },
      passed,
      'lab',
    );
    assert.equal(end.outcome, 'FailoverOutcomeUnknown');
    assert.match(end.message, /was back, but the stability period could not be finished: activity timed out/);
  });

  it('not serving in time is VcenterNotReady, naming each gate that did not pass and what it saw; it proves the switch', () => {
    const gates: GateReport[] = [
      { gate: 'vapi', status: 'passed', seen: 'answered' },
      { gate: 'vpxd', status: 'passed', seen: 'vpxd answers (1 datacenter)' },
      { gate: 'services', status: 'pending', seen: 'trustmanagement STARTING' },
      { gate: 'applianceHealth', status: 'pending', seen: 'health orange, checked after the switch' },
    ];
    const readiness = { verdict: 'not-ready' as const, gates, requests: 40 };
    const end = verdict(followed('not-ready', { readiness, rolesHeld: true }), { taskId: 't' }, passed, {
      ...input,
      stableMs: 60_000,
    });
    assert.equal(end.outcome, 'VcenterNotReady');
    assert.equal(
      end.message,
      'lab switched to 10.0.0.2 and the cluster is back (the roles held for 1m), but vCenter did not serve within 10m: ' +
        'services: trustmanagement STARTING; applianceHealth: health orange, checked after the switch. Nothing more was sent: ' +
        "check the services of 10.0.0.2 (vmon, the appliance's health) before using or failing over it again",
    );
    const sent = { triggered: 'yes' as const, at: 0, taskId: 't' };
    assert.equal(ledgerVerdict(end, sent, true).proved, true, 'the switch and the roles were proven');
    // The bound can pass before the stability period is over: the message then claims no held roles.
    const early = verdict(followed('not-ready', { readiness }), { taskId: 't' }, passed, {
      ...input,
      stableMs: 60_000,
    });
    assert.match(
      early.message,
      /^lab switched to 10\.0\.0\.2 and the cluster is back, but vCenter did not serve within 10m: /,
    );
  });

  it('SUCCEEDED names the gates not checked or skipped', () => {
    const gates: GateReport[] = [
      { gate: 'vapi', status: 'passed' },
      { gate: 'vpxd', status: 'passed' },
      { gate: 'services', status: 'not-checked', seen: 'HTTP 403: the account may not make this call' },
      { gate: 'applianceHealth', status: 'skipped' },
    ];
    const end = verdict(
      followed('verified', { snapshot: clusterSnapshot('node2'), readiness: { verdict: 'ready', gates, requests: 2 } }),
      { taskId: 't' },
      passed,
      input,
    );
    assert.equal(end.outcome, 'SUCCEEDED');
    assert.match(
      end.message,
      /; vCenter serves \(services not checked: HTTP 403: the account may not make this call; applianceHealth skipped\)$/,
    );
  });

  it('a last heartbeat after the roles held, with gates still waiting, is VcenterNotReady', () => {
    const lastSeen = {
      observation: 'readiness: services pending: eam STARTING',
      observations: [],
      longestOutageMs: 0,
      polls: 30,
      phase: 'VERIFYING' as const,
      backAtFollowedMs: 30_000,
      rolesHeld: true,
      readiness: {
        gates: [
          { gate: 'vapi' as const, status: 'passed' as const },
          { gate: 'vpxd' as const, status: 'passed' as const },
          { gate: 'services' as const, status: 'pending' as const, seen: 'eam STARTING' },
          { gate: 'applianceHealth' as const, status: 'skipped' as const },
        ],
        requests: 12,
      },
    };
    const end = followFailedVerdict(
      { contract: false, message: 'activity timed out', lastSeen },
      { triggered: 'yes' },
      passed,
      'lab',
    );
    assert.equal(end.outcome, 'VcenterNotReady');
    assert.match(
      end.message,
      /the roles held, but the readiness checks could not be finished: activity timed out; not proven: services: eam STARTING/,
    );
  });

  it('a last heartbeat that saw the switch is FailoverNotHealthy; any other end is unknown', () => {
    const timedOut = (phase: 'FAILING_OVER' | 'VERIFYING') =>
      followFailedVerdict(
        { contract: false, message: 'heartbeat timeout', lastSeen: heartbeat(phase) },
        { triggered: 'unknown' },
        passed,
        'lab',
      );
    const verifying = timedOut('VERIFYING');
    assert.equal(verifying.outcome, 'FailoverNotHealthy');
    assert.match(verifying.message, /lab switched to 10\.0\.0\.2, but could not be verified.*witness DOWN/);
    const following = timedOut('FAILING_OVER');
    assert.equal(following.outcome, 'FailoverOutcomeUnknown');
    assert.match(
      following.message,
      /lost track of the failover of lab: heartbeat timeout; last observation: witness DOWN/,
    );
    const blind = followFailedVerdict({ contract: false, message: 'gone' }, { triggered: 'yes' }, passed, 'lab');
    assert.equal(blind.message, 'lost track of the failover of lab: gone');
  });
});
