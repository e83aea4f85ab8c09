/**
 * Runs that must end before the failover: invalid input, each preflight rule, missing privilege,
 * a busy target. None of them may send the failover request.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureOf } from './assertions';
import { member, startLab } from '../harness/lab';
import { waitForPhase } from './wait';

/** Each cluster its own VCHA addresses (10.<n>.0.x): the worker tells clusters apart by them. */
let clusterNumber = 20;
const nodes = (witnessState: 'UP' | 'DOWN' = 'UP', node2State: 'UP' | 'DOWN' = 'UP') => {
  clusterNumber += 1;
  return {
    node1: member(`10.${clusterNumber}.0.1`, 'ACTIVE'),
    node2: member(`10.${clusterNumber}.0.2`, 'PASSIVE', node2State),
    witness: member(`10.${clusterNumber}.0.3`, 'WITNESS', witnessState),
  };
};

describe('runs rejected before the trigger', { concurrency: true }, async () => {
  const lab = await startLab({
    clusters: {
      ok: { nodes: nodes() },
      disabled: { nodes: nodes(), mode: 'DISABLED' },
      witnessDown: { nodes: nodes('DOWN') },
      nodeDown: { nodes: nodes('UP', 'DOWN') },
      notConfigured: { nodes: nodes(), configState: 'NOTCONFIGURED' },
      failoverDisabled: {
        nodes: nodes(),
        disabledOperations: ['vcenter.vcha.cluster.deploy', 'vcenter.vcha.cluster.failover'],
      },
      degraded: { nodes: nodes(), healthState: 'DEGRADED' },
      manyBroken: { nodes: nodes('DOWN'), mode: 'DISABLED', healthState: 'DEGRADED' },
      busy: { nodes: nodes() },
    },
    // The busy target's planned runs wait for approval, and they wait holding the cluster's lock:
    // the second run meets a held lock every time, not only when it loses a race.
    targetPolicies: { busy: { planned: 'approval' } },
  });

  const preflightCases: [string, RegExp][] = [
    ['disabled', /mode is ENABLED or MAINTENANCE \(saw DISABLED\)/],
    ['witnessDown', /witness is UP \(saw DOWN\)/],
    ['nodeDown', /node2 is UP \(saw DOWN\)/],
    ['notConfigured', /config_state is CONFIGURED \(saw NOTCONFIGURED\)/],
    ['failoverDisabled', /not listed in operations\.disabled \(it is\)/],
    ['degraded', /planned failover needs health_state HEALTHY \(saw DEGRADED\)/],
  ];
  for (const [cluster, expected] of preflightCases) {
    it(`rejects ${cluster} in preflight with that rule`, async () => {
      const { failure, record } = await failureOf(
        await lab.start({ target: cluster, planned: true }),
        'PreflightRejected',
      );
      assert.match(failure.message, expected);
      assert.equal(record?.failedChecks?.length, 1, JSON.stringify(record?.failedChecks));
      assert.equal(record?.triggered, 'no');
      assert.equal(lab.failoverPosts(cluster), 0);
    });
  }

  it('lists every broken rule together', async () => {
    const { failure, record } = await failureOf(
      await lab.start({ target: 'manyBroken', planned: true }),
      'PreflightRejected',
    );
    assert.deepEqual(
      record?.failedChecks?.map((c) => c.id),
      ['mode', 'witness-up', 'healthy'],
    );
    assert.match(failure.message, /saw DISABLED.*witness is UP \(saw DOWN\).*saw DEGRADED/);
    assert.equal(lab.failoverPosts('manyBroken'), 0);
  });

  const malformedInputs: [string, unknown, RegExp][] = [
    ['missing target', { planned: true }, /target: target is required/],
    ['missing planned', { target: 'ok' }, /planned: planned is required/],
    ['typo plannned', { target: 'ok', plannned: true }, /unknown field\(s\) "plannned"/],
    ['planned as string', { target: 'ok', planned: 'true' }, /planned: planned must be a boolean/],
    ['forced without acceptDataLoss', { target: 'ok', planned: false }, /acceptDataLoss: a forced failover/],
    ['forced with acceptDataLoss false', { target: 'ok', planned: false, acceptDataLoss: false }, /acceptDataLoss:/],
    ['empty target', { target: '', planned: true }, /target: target must not be empty/],
    ['target with a slash', { target: '../etc', planned: true }, /target: target may contain only/],
    ['reason too long', { target: 'ok', planned: true, reason: 'x'.repeat(501) }, /reason: reason is longer than 500/],
    [
      'pollInterval too short',
      { target: 'ok', planned: true, pollInterval: '500ms' },
      /pollInterval: must be between 1 s and 60 s/,
    ],
    ['pollInterval too long', { target: 'ok', planned: true, pollInterval: '2m' }, /pollInterval: must be between/],
    [
      'pollInterval not a duration',
      { target: 'ok', planned: true, pollInterval: 'soon' },
      /pollInterval: "soon" is not a duration/,
    ],
    [
      'pollInterval as a number',
      { target: 'ok', planned: true, pollInterval: 5 },
      /pollInterval: pollInterval must be a duration string/,
    ],
    [
      'unknown deadline',
      { target: 'ok', planned: true, deadlines: { failover: '10m', heal: '5m' } },
      /deadlines: unknown field\(s\) "heal"/,
    ],
    [
      'bad healthy deadline',
      { target: 'ok', planned: true, deadlines: { healthy: '1s' } },
      /deadlines\.healthy: must be between 5 s/,
    ],
    ['dryRun as string', { target: 'ok', planned: true, dryRun: 'yes' }, /dryRun: dryRun must be a boolean/],
    [
      'requireHealthy as number',
      { target: 'ok', planned: true, requireHealthy: 1 },
      /requireHealthy: requireHealthy must be a boolean/,
    ],
    [
      'requestedBy as object',
      { target: 'ok', planned: true, requestedBy: { name: 'x' } },
      /requestedBy: requestedBy must be a string/,
    ],
    ['an array', [{ target: 'ok', planned: true }], /\(input\): expected one JSON object, got an array/],
    ['null', null, /\(input\): expected one JSON object, got null/],
  ];
  for (const [name, input, expected] of malformedInputs) {
    it(`ends InvalidInput for ${name}, naming the field`, async () => {
      const before = lab.sim.requestLog('ok').length;
      const { failure } = await failureOf(await lab.start(input as Record<string, unknown>), 'InvalidInput');
      assert.match(failure.message, expected);
      assert.equal(lab.sim.requestLog('ok').length - before, 0, 'vCenter got no request');
    });
  }

  it('ends a second run on a held target TargetBusy naming the holder, which then sends once', async () => {
    const busyRun = { target: 'busy', planned: true, pollInterval: '1s', requestedBy: 'alice' };
    const first = await lab.start(busyRun, 'busy-first');
    // The lock is taken after preflight and before the approval wait: a run waiting holds it.
    await waitForPhase(first, 'AWAITING_APPROVAL');
    const second = await lab.start(busyRun, 'busy-second');
    const { failure, record } = await failureOf(second, 'TargetBusy');
    assert.match(failure.message, /run busy-first \(/);
    assert.equal(record?.heldBy?.workflowId, 'busy-first');
    assert.equal(lab.failoverPosts('busy'), 0, 'nothing is sent while the holder waits');
    await first.executeUpdate('approve', { args: [{ approver: 'bob' }] });
    assert.equal((await first.result()).outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('busy'), 1);
    // The lock is released at the end: a new run on the same target is not busy.
    const third = await lab.start({ target: 'busy', planned: true, dryRun: true });
    assert.equal((await third.result()).outcome, 'DRY_RUN_PASSED');
  });
});

describe('an account without Global.VCServer', async () => {
  const lab = await startLab({
    clusters: { locked: {} },
    username: 'reader@vsphere.local',
    users: { 'reader@vsphere.local': { password: 'Reader1!', privileges: ['System.Read'] } },
  });

  it('ends NotAuthorized naming the privilege, without a failover: reads need only System.Read, the request is refused', async () => {
    const { failure, record } = await failureOf(await lab.start({ target: 'locked', planned: true }), 'NotAuthorized');
    assert.match(failure.message, /HTTP 403 UNAUTHORIZED.*needs the Global\.VCServer privilege; locked is unchanged/);
    assert.equal(record?.triggered, 'no');
    // Preflight and the check read with partial gets, which need only read privilege; the one POST is refused.
    assert.equal(lab.failoverPosts('locked'), 1);
    assert.equal(lab.sim.counters('locked').failoversStarted, 0);
    assert.equal(lab.sim.cluster('locked').snapshot().activeNode, 'node1');
  });
});
