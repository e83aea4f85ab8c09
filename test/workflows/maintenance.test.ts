/**
 * `vchaMaintenance` on the real dev server and the simulator: the round trip (two POSTs, the
 * original node active again, both legs in the outcome store pointing at the run), the lock held
 * between the legs, no failback POST for a cluster that is not fit, maxDuration, and a cancel in
 * IN_MAINTENANCE meaning "done now". The cluster mode in VMware's order: MAINTENANCE during the
 * window and the original mode after; a cluster already in MAINTENANCE stays so; a restore that
 * fails says the mode was left and how to restore it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type {
  MaintenanceRecord,
  MaintenanceStatus,
  VchaMaintenanceInput,
  VchaMaintenanceWorkflow,
} from '../../src/contract';
import { pollUntil } from '../harness/poll';
import { testEnv } from '../harness/temporal';
import { failureOf } from './assertions';
import { member, startLab, ha, haRe } from '../harness/lab';

const nodes = (n: number) => ({
  node1: member(`10.${n}.0.1`, 'ACTIVE'),
  node2: member(`10.${n}.0.2`, 'PASSIVE'),
  witness: member(`10.${n}.0.3`, 'WITNESS'),
});

let sequence = 0;

describe('vchaMaintenance', { concurrency: true }, async () => {
  const lab = await startLab({
    clusters: {
      roundTrip: { nodes: nodes(1) },
      unfit: { nodes: nodes(2) },
      expires: { nodes: nodes(3) },
      cancelled: { nodes: nodes(4) },
      alreadyInMaintenance: { nodes: nodes(5), mode: 'MAINTENANCE' },
      restoreRefused: { nodes: nodes(6) },
      noFailback: { nodes: nodes(7) },
      enterRefused: {
        nodes: nodes(8),
        faults: {
          rules: [
            { operation: 'cluster.mode.set', action: 'respond', status: 403, body: 'vapi', errorType: 'UNAUTHORIZED' },
          ],
        },
      },
    },
  });
  const { client } = await testEnv();

  const startMaintenance = (input: Partial<VchaMaintenanceInput> & { target: string }) =>
    client.workflow.start<VchaMaintenanceWorkflow>('vchaMaintenance', {
      taskQueue: lab.taskQueue,
      workflowId: `maintenance-test-${process.pid}-${++sequence}-${Date.now()}`,
      args: [{ reason: 'patch node1', requestedBy: 'alice', pollInterval: '1s', ...input }],
    });

  const inMaintenance = (handle: WorkflowHandle<VchaMaintenanceWorkflow>) =>
    pollUntil(
      () => handle.query<MaintenanceStatus>('status').catch(() => undefined),
      (status) => status?.phase === 'IN_MAINTENANCE',
      60_000,
      200,
      `${handle.workflowId} reaching IN_MAINTENANCE`,
    );

  it('fails over, holds the target, fails back on maintenanceDone: 2 POSTs, node1 active again', async () => {
    const started = Date.now();
    const handle = await startMaintenance({ target: 'roundTrip' });
    const status = (await inMaintenance(handle))!;
    assert.equal(status.originalActive, ha('10.1.0.1'));
    assert.equal(lab.sim.cluster('roundTrip').snapshot().activeNode, 'node2');
    assert.equal(lab.failoverPosts('roundTrip'), 1);
    // The first leg was started, and passed its preflight, with the cluster already in MAINTENANCE.
    assert.equal(lab.sim.cluster('roundTrip').snapshot().mode, 'MAINTENANCE');
    assert.equal(lab.sim.cluster('roundTrip').snapshot().autoFailoverAllowed, false);
    assert.equal(status.originalMode, 'ENABLED');

    // The target stays held between the legs: another run is TargetBusy, naming the maintenance.
    const intruder = await lab.start({ target: 'roundTrip', planned: true });
    const { failure } = await failureOf(intruder, 'TargetBusy');
    assert.match(failure.message, new RegExp(`run ${handle.workflowId} .* is holding it for maintenance`));

    await handle.executeUpdate('maintenanceDone', { args: [{ by: 'bob', note: 'patched to 8.0.3' }] });
    const late = await handle.executeUpdate('maintenanceDone', { args: [{ by: 'carol' }] }).catch((e: unknown) => e);
    assert.ok(late instanceof WorkflowUpdateFailedError);
    assert.match(late.cause?.message ?? '', /maintenance already ended \(maintenanceDone by bob\)/);

    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('roundTrip'), 2);
    assert.equal(lab.sim.cluster('roundTrip').snapshot().activeNode, 'node1');
    assert.equal(lab.sim.cluster('roundTrip').snapshot().mode, 'ENABLED');
    assert.equal(result.activeAtEnd, ha('10.1.0.1'));
    assert.equal(result.originalMode, 'ENABLED');
    assert.deepEqual(
      result.modeChanges?.map((c) => [c.step, c.from, c.to, c.result]),
      [
        ['enter', 'ENABLED', 'MAINTENANCE', 'set'],
        ['restore', 'MAINTENANCE', 'ENABLED', 'set'],
      ],
    );
    assert.match(result.message, /; ENABLED mode restored$/);
    assert.deepEqual(
      result.legs.map((l) => [l.leg, l.outcome, l.activeBefore, l.activeAfter]),
      [
        ['failover', 'SUCCEEDED', ha('10.1.0.1'), ha('10.1.0.2')],
        ['failback', 'SUCCEEDED', ha('10.1.0.2'), ha('10.1.0.1')],
      ],
    );
    assert.equal(result.window?.endedBy, 'maintenanceDone');
    assert.equal(result.window?.by, 'bob');
    assert.deepEqual(
      result.timeline.map((m) => m.phase),
      ['VALIDATING', 'FAILING_OVER', 'IN_MAINTENANCE', 'FAILING_BACK', 'COMPLETED'],
    );
    const rows = lab.recorder.records.filter((r) => r.maintenance?.workflowId === handle.workflowId);
    assert.deepEqual(
      rows.map((r) => [r.maintenance?.leg, r.outcome, r.workflowId]),
      [
        ['failover', 'SUCCEEDED', `${handle.workflowId}/failover`],
        ['failback', 'SUCCEEDED', `${handle.workflowId}/failback`],
      ],
    );
    process.stdout.write(
      `# maintenance round trip: ${Date.now() - started} ms, ${lab.failoverPosts('roundTrip')} POSTs\n`,
    );
  });

  it('sends no failback to a cluster that is not fit and says where it was left', async () => {
    const handle = await startMaintenance({ target: 'unfit' });
    await inMaintenance(handle);
    lab.sim.cluster('unfit').configure({ nodes: { witness: member('10.2.0.3', 'WITNESS', 'DOWN') } });
    await handle.executeUpdate('maintenanceDone', { args: [{ by: 'bob' }] });
    const { failure } = await failureOf(handle as never, 'FailbackNotSent');
    assert.match(
      failure.message,
      new RegExp(
        String.raw`the failback was not sent, so unfit was left on ${haRe('10.2.0.2')}: .*witness is UP \(saw DOWN\)`,
      ),
    );
    const record = failure.details?.[0] as MaintenanceRecord;
    assert.equal(record.legs[1]?.triggered, 'no');
    assert.equal(lab.failoverPosts('unfit'), 1, 'only the first leg was sent');
    assert.equal(lab.sim.cluster('unfit').snapshot().activeNode, 'node2');
  });

  it('leaves the cluster on the new node when maxDuration passes (onMaxDuration: leave)', async () => {
    const handle = await startMaintenance({ target: 'expires', maxDuration: '2s' });
    const { failure } = await failureOf(handle as never, 'MaintenanceTimedOut');
    assert.match(
      failure.message,
      new RegExp(String.raw`maxDuration 2s passed without maintenanceDone: expires was left on ${haRe('10.3.0.2')}`),
    );
    assert.equal(lab.failoverPosts('expires'), 1);
  });

  it('takes a cancel in IN_MAINTENANCE as "done now" and fails back', async () => {
    const handle = await startMaintenance({ target: 'cancelled' });
    await inMaintenance(handle);
    await handle.cancel();
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.window?.endedBy, 'cancel');
    assert.equal(lab.failoverPosts('cancelled'), 2);
    assert.equal(lab.sim.cluster('cancelled').snapshot().activeNode, 'node1');
    assert.equal(
      lab.sim.cluster('cancelled').snapshot().mode,
      'ENABLED',
      'the original mode is restored after a cancel too',
    );
  });

  it('leaves a cluster that was already in MAINTENANCE in it, with nothing to restore', async () => {
    const handle = await startMaintenance({ target: 'alreadyInMaintenance' });
    const status = (await inMaintenance(handle))!;
    assert.equal(status.originalMode, 'MAINTENANCE');
    await handle.executeUpdate('maintenanceDone', { args: [{ by: 'bob' }] });
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('alreadyInMaintenance'), 2);
    assert.equal(lab.sim.cluster('alreadyInMaintenance').snapshot().activeNode, 'node1');
    assert.equal(lab.sim.cluster('alreadyInMaintenance').snapshot().mode, 'MAINTENANCE');
    assert.deepEqual(
      result.modeChanges?.map((c) => [c.step, c.from, c.to, c.result, c.taskId]),
      [['enter', 'MAINTENANCE', 'MAINTENANCE', 'unchanged', undefined]],
    );
    assert.match(
      result.message,
      /alreadyInMaintenance was already in MAINTENANCE mode when this run began, so it stays so \(nothing to restore\)$/,
    );
  });

  it('says the mode was left in MAINTENANCE and how to restore it when the restore is refused', async () => {
    const handle = await startMaintenance({ target: 'restoreRefused' });
    await inMaintenance(handle);
    // The account lost the privilege the mode set needs: vCenter answers its documented 403.
    lab.sim.cluster('restoreRefused').configure({
      faults: {
        rules: [
          { operation: 'cluster.mode.set', action: 'respond', status: 403, body: 'vapi', errorType: 'UNAUTHORIZED' },
        ],
      },
    });
    await handle.executeUpdate('maintenanceDone', { args: [{ by: 'bob' }] });
    const { failure } = await failureOf(handle as never, 'ModeNotRestored');
    assert.match(
      failure.message,
      new RegExp(
        String.raw`failed over to ${haRe('10.6.0.2')}, then back to ${haRe('10.6.0.1')}; but the mode could not be restored to ENABLED \(.*403.*Global\.VCServer.*\): restoreRefused was left in MAINTENANCE mode \(automatic failover off\); restore it with PUT /api/vcenter/vcha/cluster/mode\?vmw-task=true with body \{"mode": "ENABLED"\} on restoreRefused \(needs Global\.VCServer\), or in the vSphere Client: .* > Configure > vCenter HA > Edit > Enable vCenter HA`,
      ),
    );
    const record = failure.details?.[0] as MaintenanceRecord;
    assert.deepEqual(
      record.modeChanges?.map((c) => [c.step, c.from, c.to, c.result]),
      [
        ['enter', 'ENABLED', 'MAINTENANCE', 'set'],
        ['restore', 'MAINTENANCE', 'ENABLED', 'failed'],
      ],
    );
    assert.equal(record.legs[1]?.outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('restoreRefused'), 2, 'the failed restore sent no failover');
    assert.equal(lab.sim.cluster('restoreRefused').snapshot().activeNode, 'node1');
    assert.equal(lab.sim.cluster('restoreRefused').snapshot().mode, 'MAINTENANCE');
  });

  it('leaves the cluster in MAINTENANCE without a failback and says how to restore the mode', async () => {
    const handle = await startMaintenance({ target: 'noFailback', failback: false });
    await inMaintenance(handle);
    await handle.executeUpdate('maintenanceDone', { args: [{ by: 'bob' }] });
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('noFailback'), 1);
    assert.equal(lab.sim.cluster('noFailback').snapshot().mode, 'MAINTENANCE');
    assert.deepEqual(
      result.modeChanges?.map((c) => [c.step, c.result]),
      [['enter', 'set']],
    );
    assert.match(
      result.message,
      /noFailback was left in MAINTENANCE mode \(automatic failover off\); once it is on the node it should be, restore ENABLED with PUT \/api\/vcenter\/vcha\/cluster\/mode\?vmw-task=true/,
    );
  });

  it('sends no failover when the cluster cannot be put in MAINTENANCE mode', async () => {
    // A short window, so a run that went on to fail over would end soon (and fail this test) instead of waiting hours.
    const handle = await startMaintenance({ target: 'enterRefused', maxDuration: '2s' });
    const { failure } = await failureOf(handle as never, 'NotAuthorized');
    assert.match(
      failure.message,
      /^could not put enterRefused in MAINTENANCE mode before the failover \(.*403.*Global\.VCServer.*\): nothing was sent and the mode is unchanged$/,
    );
    const record = failure.details?.[0] as MaintenanceRecord;
    assert.deepEqual(record.legs, []);
    assert.deepEqual(
      record.modeChanges?.map((c) => [c.step, c.to, c.result]),
      [['enter', 'MAINTENANCE', 'failed']],
    );
    assert.equal(lab.failoverPosts('enterRefused'), 0);
    assert.equal(lab.sim.cluster('enterRefused').snapshot().mode, 'ENABLED');
  });
});
