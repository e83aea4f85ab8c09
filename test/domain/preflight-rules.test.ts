/** Every failover rule of the contract rejects on its own, and several broken rules are all listed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterSnapshot } from '../../src/domain/cluster-snapshot';
import { evaluatePreflight, failedChecks } from '../../src/domain/preflight-rules';
import { clusterSnapshot } from './snapshots';

const healthy = () => clusterSnapshot();

const failedIds = (snapshot: ClusterSnapshot, planned = true) =>
  failedChecks(evaluatePreflight(snapshot, planned)).map((c) => c.id);

describe('preflight rules', () => {
  it('pass on a healthy, enabled, configured cluster', () => {
    assert.deepEqual(failedIds(healthy()), []);
  });

  it('accept MAINTENANCE mode as the contract allows', () => {
    assert.deepEqual(failedIds({ ...healthy(), mode: 'MAINTENANCE' }), []);
  });

  const cases: [string, (s: ClusterSnapshot) => ClusterSnapshot, string][] = [
    ['mode DISABLED', (s) => ({ ...s, mode: 'DISABLED' }), 'mode'],
    ['config NOTCONFIGURED', (s) => ({ ...s, configState: 'NOTCONFIGURED' }), 'config-state'],
    [
      'witness DOWN',
      (s) => ({ ...s, members: s.members.map((m) => (m.slot === 'witness' ? { ...m, state: 'DOWN' } : m)) }),
      'witness-up',
    ],
    [
      'node2 DOWN',
      (s) => ({ ...s, members: s.members.map((m) => (m.slot === 'node2' ? { ...m, state: 'DOWN' } : m)) }),
      'node2-up',
    ],
    ['manual failover not allowed', (s) => ({ ...s, manualFailoverAllowed: false }), 'manual-failover-allowed'],
    ['failover disabled', (s) => ({ ...s, failoverDisabled: true }), 'failover-not-disabled'],
    ['failover already running', (s) => ({ ...s, failoverRunning: true }), 'no-failover-running'],
    ['planned while DEGRADED', (s) => ({ ...s, healthState: 'DEGRADED' }), 'healthy'],
    ['no passive node', (s) => ({ ...s, passiveNode: undefined }), 'roles'],
  ];
  for (const [name, mutate, id] of cases) {
    it(`reject ${name} with exactly that check`, () => {
      assert.deepEqual(failedIds(mutate(healthy())), [id]);
    });
  }

  it('allow a forced failover while DEGRADED', () => {
    assert.deepEqual(failedIds({ ...healthy(), healthState: 'DEGRADED' }, false), []);
  });

  it('list every broken rule, not the first', () => {
    const broken = {
      ...healthy(),
      mode: 'DISABLED',
      healthState: 'DEGRADED',
      members: healthy().members.map((m) => (m.slot === 'witness' ? { ...m, state: 'DOWN' } : m)),
    };
    const failed = failedChecks(evaluatePreflight(broken, true));
    assert.deepEqual(
      failed.map((c) => c.id),
      ['mode', 'witness-up', 'healthy'],
    );
    assert.match(failed[0]!.detail, /saw DISABLED/);
  });
});
