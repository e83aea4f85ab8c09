/**
 * `vchaMaintenance` on the real dev server and the simulator: the round trip (two POSTs, the
 * original node active again, both legs in the outcome store pointing at the run), the lock held
 * between the legs, no failback POST for a cluster that is not fit, maxDuration, and a cancel in
 * IN_MAINTENANCE meaning "done now".
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
    assert.equal(result.activeAtEnd, ha('10.1.0.1'));
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
  });
});
