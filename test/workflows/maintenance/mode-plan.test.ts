/** The cluster-mode decisions of a maintenance run as plain functions, without a Temporal server. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MaintenanceLeg, MaintenanceModeChange } from '../../../src/contract';
import {
  endAfterRestore,
  enterFailedEnd,
  howToSetMode,
  modeAtEnd,
  modeChange,
} from '../../../src/workflows/maintenance/mode-plan';

const at = '2026-01-01T00:00:00.000Z';
const entered = modeChange('enter', at, { from: 'ENABLED', to: 'MAINTENANCE', changed: true, taskId: 'task-1:m' });
const leg = (name: MaintenanceLeg['leg'], extra: Partial<MaintenanceLeg> = {}): MaintenanceLeg => ({
  leg: name,
  workflowId: `run/${name}`,
  ...extra,
});
const over = leg('failover', { outcome: 'SUCCEEDED', triggered: 'yes' });

describe('modeChange', () => {
  it('records a set, a mode the cluster already had, and a failure', () => {
    assert.deepEqual(entered, {
      step: 'enter',
      from: 'ENABLED',
      to: 'MAINTENANCE',
      result: 'set',
      taskId: 'task-1:m',
      at,
    });
    assert.deepEqual(modeChange('enter', at, { from: 'MAINTENANCE', to: 'MAINTENANCE', changed: false }), {
      step: 'enter',
      from: 'MAINTENANCE',
      to: 'MAINTENANCE',
      result: 'unchanged',
      at,
    });
    assert.deepEqual(modeChange('enter', at, { to: 'MAINTENANCE', failure: 'vCenter refused' }), {
      step: 'enter',
      to: 'MAINTENANCE',
      result: 'failed',
      message: 'vCenter refused',
      at,
    });
  });
});

describe('modeAtEnd', () => {
  it('restores the mode the run changed once the failback succeeded', () => {
    const back = leg('failback', { outcome: 'SUCCEEDED', triggered: 'yes' });
    assert.deepEqual(modeAtEnd('lab', [entered], [over, back]), { action: 'restore', mode: 'ENABLED' });
  });

  it('restores it when the first leg sent nothing (the cluster never moved)', () => {
    const refused = leg('failover', { outcome: 'PreflightRejected', triggered: 'no' });
    assert.deepEqual(modeAtEnd('lab', [entered], [refused]), { action: 'restore', mode: 'ENABLED' });
    assert.deepEqual(modeAtEnd('lab', [entered], []), { action: 'restore', mode: 'ENABLED' });
  });

  it('leaves MAINTENANCE, saying how to restore, when the cluster did not come back', () => {
    const notSent = leg('failback', { outcome: 'FailbackNotSent', triggered: 'no' });
    for (const legs of [
      [over],
      [over, notSent],
      [leg('failover', { outcome: 'FailoverOutcomeUnknown', triggered: 'unknown' })],
    ]) {
      const plan = modeAtEnd('lab', [entered], legs);
      assert.equal(plan.action, 'leave');
      assert.match(
        plan.action === 'leave' ? plan.note : '',
        /^lab was left in MAINTENANCE mode \(automatic failover off\); once it is on the node it should be, restore ENABLED with PUT \/api\/vcenter\/vcha\/cluster\/mode\?vmw-task=true with body \{"mode": "ENABLED"\}/,
      );
    }
  });

  it('restores nothing it did not change: already in MAINTENANCE, a failed enter, or no mode step', () => {
    const already = modeChange('enter', at, { from: 'MAINTENANCE', to: 'MAINTENANCE', changed: false });
    assert.deepEqual(modeAtEnd('lab', [already], [over, leg('failback', { outcome: 'SUCCEEDED' })]), {
      action: 'none',
      note: 'lab was already in MAINTENANCE mode when this run began, so it stays so (nothing to restore)',
    });
    const failed: MaintenanceModeChange = modeChange('enter', at, { to: 'MAINTENANCE', failure: 'x' });
    assert.deepEqual(modeAtEnd('lab', [failed], []), { action: 'none' });
    assert.deepEqual(modeAtEnd('lab', [], [over]), { action: 'none' });
  });
});

describe('endAfterRestore', () => {
  const succeeded = { outcome: 'SUCCEEDED' as const, message: 'maintenance of lab done' };

  it('keeps the end and says the mode was restored', () => {
    assert.deepEqual(endAfterRestore('lab', succeeded, 'ENABLED'), {
      outcome: 'SUCCEEDED',
      message: 'maintenance of lab done; ENABLED mode restored',
    });
  });

  it('turns SUCCEEDED into ModeNotRestored, naming the exact call and the UI step', () => {
    const end = endAfterRestore('lab', succeeded, 'ENABLED', 'vCenter lab refused cluster.mode.set (403)');
    assert.equal(end.outcome, 'ModeNotRestored');
    assert.equal(
      end.message,
      'maintenance of lab done; but the mode could not be restored to ENABLED (vCenter lab refused cluster.mode.set (403)): ' +
        'lab was left in MAINTENANCE mode (automatic failover off); restore it with ' +
        'PUT /api/vcenter/vcha/cluster/mode?vmw-task=true with body {"mode": "ENABLED"} on lab (needs Global.VCServer), ' +
        'or in the vSphere Client: the vCenter Server of lab > Configure > vCenter HA > Edit > Enable vCenter HA',
    );
  });

  it('keeps a failure type the run already had', () => {
    const cancelled = { outcome: 'Cancelled' as const, message: 'cancelled before the failover was sent' };
    assert.equal(endAfterRestore('lab', cancelled, 'ENABLED', 'timed out').outcome, 'Cancelled');
  });
});

describe('enterFailedEnd and howToSetMode', () => {
  it('ends before any leg: NotAuthorized for a missing privilege, PreflightRejected otherwise', () => {
    assert.deepEqual(enterFailedEnd('lab', 'NotAuthorized', 'needs Global.VCServer'), {
      outcome: 'NotAuthorized',
      message:
        'could not put lab in MAINTENANCE mode before the failover (needs Global.VCServer): nothing was sent and the mode is unchanged',
    });
    assert.equal(enterFailedEnd('lab', 'ModeNotSet', 'task FAILED').outcome, 'PreflightRejected');
    assert.equal(enterFailedEnd('lab', undefined, 'timed out').outcome, 'PreflightRejected');
  });

  it('names the vSphere Client choice of each mode', () => {
    assert.match(howToSetMode('lab', 'MAINTENANCE'), /\{"mode": "MAINTENANCE"\}.*> Edit > Maintenance Mode$/);
    assert.match(howToSetMode('lab', 'DISABLED'), /> Edit > Disable vCenter HA$/);
  });
});
