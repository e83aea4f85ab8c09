/** Reading preflight as a pure function, without a Temporal server: the report and the input give passed or the end. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluatePreflight } from '../../../src/domain/preflight-rules';
import { preflightFailed, readAfterApproval, readPreflight } from '../../../src/workflows/failover/preflight-reading';
import { clusterSnapshot } from '../../domain/snapshots';

const report = (snapshot = clusterSnapshot(), policy?: 'allow' | 'approval') => ({
  snapshot,
  checks: evaluatePreflight(snapshot, true),
  ...(policy ? { policy } : {}),
});

describe('readPreflight', () => {
  it('passes a healthy cluster with the nodes to swap and the policy word', () => {
    assert.deepEqual(readPreflight(report(clusterSnapshot(), 'approval'), { target: 'lab' }), {
      snapshot: clusterSnapshot(),
      active: '10.0.0.1',
      passive: '10.0.0.2',
      policy: 'approval',
    });
  });

  it('rejects listing every failed rule, the input rules after the cluster rules', () => {
    const snapshot = clusterSnapshot('node2', { mode: 'DISABLED' });
    const end = readPreflight(report(snapshot), { target: 'lab', expectedActive: '10.0.0.1' });
    assert.ok('ok' in end && !end.ok);
    assert.equal(end.outcome, 'PreflightRejected');
    assert.deepEqual(
      end.extra?.failedChecks?.map((c) => c.id),
      ['mode', 'expected-active'],
    );
    assert.match(end.message, /saw DISABLED.*10\.0\.0\.1 is ACTIVE \(saw 10\.0\.0\.2\)/);
  });

  it('passes when the expected node is the active one', () => {
    const read = readPreflight(report(), { target: 'lab', expectedActive: '10.0.0.1' });
    assert.ok(!('ok' in read));
  });
});

describe('preflightFailed and readAfterApproval', () => {
  it('keeps a contract answer, and calls anything else an unreachable vCenter', () => {
    assert.deepEqual(preflightFailed({ contractType: 'PolicyDenied', message: 'denied' }, 'lab'), {
      ok: false,
      outcome: 'PolicyDenied',
      message: 'denied',
    });
    const end = preflightFailed({ message: 'connection refused' }, 'lab');
    assert.equal(end.outcome, 'PreflightRejected');
    assert.deepEqual(!end.ok && end.extra?.failedChecks?.map((c) => c.id), ['reachable']);
  });

  it('goes on after approval only with the same active node', () => {
    const first = { snapshot: clusterSnapshot(), active: '10.0.0.1', passive: '10.0.0.2' };
    assert.equal(readAfterApproval(first, first, 'lab'), first);
    const moved = readAfterApproval(first, { ...first, active: '10.0.0.2', passive: '10.0.0.1' }, 'lab');
    assert.ok('ok' in moved && moved.outcome === 'PreflightRejected');
    assert.match(moved.message, /changed while the run waited for approval \(10\.0\.0\.1 then, 10\.0\.0\.2 now\)/);
    const rejected = readAfterApproval(first, preflightFailed({ message: 'down' }, 'lab'), 'lab');
    assert.ok('ok' in rejected);
    assert.match(rejected.message, /^after approval, could not read .*; nothing was sent$/);
  });
});
