/** The summary the CLI prints once a run has ended: the readiness gates of the record, one per line. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderEnding } from '../../src/cli/outcome';
import type { FailoverRecord } from '../../src/contract';

const record: FailoverRecord = {
  target: 'lab',
  planned: true,
  dryRun: false,
  outcome: 'VcenterNotReady',
  message: 'lab switched to 10.0.0.2 and the cluster is back, but vCenter did not serve within 10m',
  triggered: 'yes',
  activeBefore: '10.0.0.1',
  activeAfter: '10.0.0.2',
  observations: [],
  timeline: [],
  startedAt: '2026-12-06T10:00:00.000Z',
  finishedAt: '2026-12-06T10:15:00.000Z',
  durationMs: 900_000,
  readiness: {
    verdict: 'not-ready',
    requests: 120,
    gates: [
      { gate: 'vapi', status: 'passed', seen: 'the new active node answered a read with its own session' },
      { gate: 'vpxd', status: 'passed', seen: 'vpxd answers (1 datacenter)' },
      { gate: 'services', status: 'pending', seen: 'trustmanagement STARTING' },
      { gate: 'applianceHealth', status: 'not-checked', seen: 'HTTP 403: the account may not make this call' },
    ],
  },
};

describe('renderEnding', () => {
  it('lists each readiness gate with its status and what it saw', () => {
    const lines = renderEnding({ kind: 'failed', type: 'VcenterNotReady', message: record.message, record });
    assert.equal(lines[0], `FAILED VcenterNotReady (exit code 27): ${record.message}`);
    const from = lines.indexOf('  readiness: not-ready (120 requests)');
    assert.ok(from > 0, lines.join('\n'));
    assert.deepEqual(lines.slice(from + 1, from + 5), [
      '    vapi            passed: the new active node answered a read with its own session',
      '    vpxd            passed: vpxd answers (1 datacenter)',
      '    services        pending: trustmanagement STARTING',
      '    applianceHealth not-checked: HTTP 403: the account may not make this call',
    ]);
  });
});
