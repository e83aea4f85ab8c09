/**
 * The audit table's columns and the mapping between an outcome record and a row, shared by both
 * backends so SQLite and PostgreSQL store exactly the same facts under the same names.
 */
import type { OutcomeRecord } from '../contract';
import type { AuditRow } from './audit-store';

/** Column names in table order; the key (workflow_id, run_id) comes first. */
export const AUDIT_COLUMNS = [
  'workflow_id',
  'run_id',
  'target',
  'planned',
  'dry_run',
  'outcome',
  'message',
  'reason',
  'requested_by',
  'started_at',
  'triggered_at',
  'finished_at',
  'duration_ms',
  'task_id',
  'active_before',
  'active_after',
  'observations',
  'started_by',
  'triggered',
  'recorded_at',
  'record_json',
  // Schema version 2: the approval the target's policy asked for.
  'approval_state',
  'approved_by',
  'approval_comment',
  'approval_at',
  // Schema version 3: the vchaMaintenance run a failover was a leg of.
  'maintenance_id',
  'maintenance_leg',
  // Schema version 4: the keys that signed the approval and the request (signed approvals only).
  'approver_fingerprint',
  'requester_fingerprint',
] as const;

/** A row's values before a backend encodes booleans, times and JSON its own way. */
export interface AuditValues {
  workflow_id: string;
  run_id: string;
  target: string;
  planned: boolean;
  dry_run: boolean;
  outcome: string;
  message: string;
  reason: string | null;
  requested_by: string | null;
  started_at: string;
  triggered_at: string | null;
  finished_at: string;
  duration_ms: number;
  task_id: string | null;
  active_before: string | null;
  active_after: string | null;
  observations: string[];
  started_by: string;
  triggered: OutcomeRecord['triggered'];
  recorded_at: string;
  record_json: OutcomeRecord;
  approval_state: string | null;
  approved_by: string | null;
  approval_comment: string | null;
  approval_at: string | null;
  maintenance_id: string | null;
  maintenance_leg: string | null;
  approver_fingerprint: string | null;
  requester_fingerprint: string | null;
}

/**
 * A time as ISO UTC with milliseconds. Both backends store this one form, so SQLite's text
 * ordering is time ordering and a time reads back identical from either.
 */
export function isoTime(value: string | Date, field: string): string {
  const time = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(time.getTime())) throw new TypeError(`audit record: ${field} is not a valid time: ${String(value)}`);
  return time.toISOString();
}

function optionalTime(value: string | Date | null | undefined, field: string): string | null {
  return value === undefined || value === null ? null : isoTime(value, field);
}

/** The values to store for an outcome, checked so a malformed record fails loudly instead of storing garbage. */
export function valuesOf(outcome: OutcomeRecord, recordedAt: Date): AuditValues {
  if (!outcome.workflowId || !outcome.runId) {
    throw new TypeError('audit record: workflowId and runId are required (they key the row)');
  }
  if (!Number.isFinite(outcome.durationMs)) {
    throw new TypeError(`audit record: durationMs is not a number: ${String(outcome.durationMs)}`);
  }
  return {
    workflow_id: outcome.workflowId,
    run_id: outcome.runId,
    target: outcome.target,
    planned: outcome.planned,
    dry_run: outcome.dryRun,
    outcome: outcome.outcome,
    message: outcome.message,
    reason: outcome.reason ?? null,
    requested_by: outcome.requestedBy ?? null,
    started_at: isoTime(outcome.startedAt, 'startedAt'),
    triggered_at: optionalTime(outcome.triggeredAt, 'triggeredAt'),
    finished_at: isoTime(outcome.finishedAt, 'finishedAt'),
    duration_ms: Math.round(outcome.durationMs),
    task_id: outcome.taskId ?? null,
    active_before: outcome.activeBefore ?? null,
    active_after: outcome.activeAfter ?? null,
    observations: [...outcome.observations],
    started_by: outcome.startedBy,
    triggered: outcome.triggered,
    recorded_at: recordedAt.toISOString(),
    record_json: outcome,
    approval_state: outcome.approval?.state ?? null,
    approved_by: outcome.approval?.by ?? null,
    // A rejection's reason shares the column: the state says which it is.
    approval_comment: outcome.approval?.comment ?? outcome.approval?.reason ?? null,
    approval_at: optionalTime(outcome.approval?.at, 'approval.at'),
    maintenance_id: outcome.maintenance?.workflowId ?? null,
    maintenance_leg: outcome.maintenance?.leg ?? null,
    approver_fingerprint: outcome.approval?.byIdentity?.fingerprint ?? null,
    requester_fingerprint: outcome.approval?.requestedByIdentity?.fingerprint ?? null,
  };
}

/** The typed row for decoded values. */
export function rowOf(values: AuditValues): AuditRow {
  return {
    workflowId: values.workflow_id,
    runId: values.run_id,
    target: values.target,
    planned: values.planned,
    dryRun: values.dry_run,
    outcome: values.outcome,
    message: values.message,
    reason: values.reason,
    requestedBy: values.requested_by,
    startedAt: values.started_at,
    triggeredAt: values.triggered_at,
    finishedAt: values.finished_at,
    durationMs: values.duration_ms,
    taskId: values.task_id,
    activeBefore: values.active_before,
    activeAfter: values.active_after,
    observations: values.observations,
    startedBy: values.started_by,
    triggered: values.triggered,
    recordedAt: values.recorded_at,
    record: values.record_json,
    approvalState: values.approval_state,
    approvedBy: values.approved_by,
    approvalComment: values.approval_comment,
    approvalAt: values.approval_at,
    maintenanceId: values.maintenance_id,
    maintenanceLeg: values.maintenance_leg,
    approverFingerprint: values.approver_fingerprint,
    requesterFingerprint: values.requester_fingerprint,
  };
}

/** `col = excluded.col` for every non-key column: the update half of the upsert in both dialects. */
export function upsertAssignments(): string {
  return AUDIT_COLUMNS.filter((column) => column !== 'workflow_id' && column !== 'run_id')
    .map((column) => `${column} = excluded.${column}`)
    .join(', ');
}
