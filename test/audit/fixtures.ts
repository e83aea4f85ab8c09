/** Outcome records for the audit store tests: one complete record and a minimal one. */
import type { OutcomeRecord } from '../../src/contract';
import type { AuditRow } from '../../src/audit';
import type { ClusterSnapshot } from '../../src/domain/cluster-snapshot';
import { clusterSnapshot } from '../domain/snapshots';

function snapshot(observedAt: string, active: string): ClusterSnapshot {
  return clusterSnapshot(active === '10.0.0.1' ? 'node1' : 'node2', { observedAt });
}

/** A planned failover that succeeded, with every optional field set; `overrides` replace fields. */
export function fullOutcome(overrides: Partial<OutcomeRecord> = {}): OutcomeRecord {
  return {
    workflowId: 'vcha-failover-vc-lab-01-1',
    runId: '0b8c2f4e-run-1',
    startedBy: 'schedule:weekly-patching',
    target: 'vc-lab-01',
    planned: true,
    dryRun: false,
    reason: `host patching; it's "urgent" -- DROP TABLE nothing`,
    requestedBy: 'jdoe',
    outcome: 'SUCCEEDED',
    message: 'vc-lab-01 failed over from 10.0.0.1 to 10.0.0.2 and is HEALTHY.',
    taskId: 'task-42',
    triggered: 'yes',
    triggeredAt: '2024-05-01T10:01:00.250Z',
    before: snapshot('2024-05-01T10:00:30.000Z', '10.0.0.1'),
    after: snapshot('2024-05-01T10:04:10.000Z', '10.0.0.2'),
    activeBefore: '10.0.0.1',
    activeAfter: '10.0.0.2',
    observations: ['vCenter unreachable for 42 s (refused)', 'task task-42 unknown on the new node'],
    timeline: [
      { phase: 'VALIDATING', at: '2024-05-01T10:00:00.000Z' },
      { phase: 'PREFLIGHT', at: '2024-05-01T10:00:00.100Z' },
      { phase: 'TRIGGERING', at: '2024-05-01T10:01:00.000Z' },
      { phase: 'FAILING_OVER', at: '2024-05-01T10:01:00.300Z' },
      { phase: 'VERIFYING', at: '2024-05-01T10:04:00.000Z' },
      { phase: 'RECORDING', at: '2024-05-01T10:04:12.400Z' },
    ],
    startedAt: '2024-05-01T10:00:00.000Z',
    finishedAt: '2024-05-01T10:04:12.500Z',
    durationMs: 252_500,
    approval: {
      state: 'approved',
      why: 'the policy of vc-lab-01 asks for approval of planned failovers',
      requestedBy: 'jdoe',
      requestedAt: '2024-05-01T10:00:00.200Z',
      until: '2024-05-01T10:30:00.200Z',
      by: 'asmith',
      comment: 'change CHG-1234 approved',
      at: '2024-05-01T10:00:55.000Z',
      signed: true,
      byIdentity: {
        principal: 'asmith',
        fingerprint: 'SHA256:PIoxpxjyMpf94D+ZN2oOXB4Zl2LaRJDrIge01gS3CpA',
        signedAt: '2024-05-01T10:00:50.000Z',
        verifiedAt: '2024-05-01T10:00:54.900Z',
      },
      requestedByIdentity: {
        principal: 'jdoe',
        fingerprint: 'SHA256:9rG4rM0Qm1oVSJkY7Yk8pQFqKk2mW3yJ4a5l2y8hQpE',
        signedAt: '2024-05-01T09:59:58.000Z',
        verifiedAt: '2024-05-01T10:00:00.150Z',
      },
    },
    maintenance: { workflowId: 'vcha-maintenance-vc-lab-01-1', leg: 'failover' },
    ...overrides,
  };
}

/** A forced dry run rejected by preflight: no optional field at all, so every nullable column is null. */
export function minimalOutcome(overrides: Partial<OutcomeRecord> = {}): OutcomeRecord {
  return {
    workflowId: 'vcha-failover-vc-lab-02-7',
    runId: '5d1e-run-7',
    startedBy: 'other',
    target: 'vc-lab-02',
    planned: false,
    dryRun: true,
    outcome: 'PreflightRejected',
    message: 'Preflight rejected the failover: node2 is DOWN.',
    triggered: 'no',
    observations: [],
    timeline: [{ phase: 'VALIDATING', at: '2024-06-02T08:00:00.000Z' }],
    startedAt: '2024-06-02T08:00:00.000Z',
    finishedAt: '2024-06-02T08:00:01.000Z',
    durationMs: 1_000,
    ...overrides,
  };
}

/** The row a store should return for `record`, recorded at `recordedAt`. */
export function rowOf(record: OutcomeRecord, recordedAt: string): AuditRow {
  return {
    workflowId: record.workflowId,
    runId: record.runId,
    target: record.target,
    planned: record.planned,
    dryRun: record.dryRun,
    outcome: record.outcome,
    message: record.message,
    reason: record.reason ?? null,
    requestedBy: record.requestedBy ?? null,
    startedAt: record.startedAt,
    triggeredAt: record.triggeredAt ?? null,
    finishedAt: record.finishedAt,
    durationMs: record.durationMs,
    taskId: record.taskId ?? null,
    activeBefore: record.activeBefore ?? null,
    activeAfter: record.activeAfter ?? null,
    observations: record.observations,
    startedBy: record.startedBy,
    triggered: record.triggered,
    recordedAt,
    record,
    approvalState: record.approval?.state ?? null,
    approvedBy: record.approval?.by ?? null,
    approvalComment: record.approval?.comment ?? record.approval?.reason ?? null,
    approvalAt: record.approval?.at ?? null,
    maintenanceId: record.maintenance?.workflowId ?? null,
    maintenanceLeg: record.maintenance?.leg ?? null,
    approverFingerprint: record.approval?.byIdentity?.fingerprint ?? null,
    requesterFingerprint: record.approval?.requestedByIdentity?.fingerprint ?? null,
  };
}
