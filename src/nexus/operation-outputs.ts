/**
 * The `vcha` Nexus operations' outputs as zod schemas, for publishing them as JSON Schemas only:
 * the shapes themselves are the contract's types (`FailoverResult`, `MaintenanceResult`,
 * `FleetFailoverResult`, `ApprovalRecord`), and the compile-time checks at the end keep each
 * schema exactly equal to its type, so a field added to one without the other fails `typecheck`.
 */
import { z } from 'zod';
import {
  FAILURE_TYPES,
  MAINTENANCE_PHASES,
  PHASES,
  READINESS_GATES,
  type ApprovalRecord,
  type FailoverRecord,
  type FleetFailoverResult,
  type MaintenanceRecord,
} from '../contract';

const outcome = z.enum(['SUCCEEDED', 'DRY_RUN_PASSED', ...FAILURE_TYPES]);
const isoTime = z.string().describe('ISO-8601 time (UTC)');

const lastFailover = z.strictObject({
  taskId: z.string(),
  endedAt: isoTime,
  user: z.string().optional(),
  automatic: z.boolean(),
  agoMs: z.number(),
});

const clusterSnapshot = z.strictObject({
  observedAt: isoTime,
  mode: z.string().optional(),
  configState: z.string().optional(),
  healthState: z.string().optional(),
  manualFailoverAllowed: z.boolean().optional(),
  members: z.array(
    z.strictObject({
      slot: z.enum(['node1', 'node2', 'witness']),
      identity: z.string(),
      state: z.string().optional(),
      role: z.string().optional(),
    }),
  ),
  activeNode: z.string().optional(),
  passiveNode: z.string().optional(),
  failoverDisabled: z.boolean().optional(),
  failoverRunning: z.boolean().optional(),
  healthMessages: z.array(z.string()),
  lastFailover: lastFailover.optional(),
});

/** The `approve` and `reject` operations' output: the run's approval as recorded. */
const verifiedIdentity = z.strictObject({
  principal: z.string().describe('the allowed-signers principal the worker verified'),
  fingerprint: z.string().describe("the signing key's SHA256 fingerprint"),
  signedAt: isoTime,
  verifiedAt: isoTime,
});

export const ApprovalRecordSchema = z.strictObject({
  state: z.enum(['waiting', 'approved', 'rejected', 'expired']),
  why: z.string(),
  requestedBy: z.string().optional(),
  requestedAt: isoTime,
  until: isoTime,
  by: z.string().optional(),
  comment: z.string().optional(),
  reason: z.string().optional(),
  at: isoTime.optional(),
  signed: z.boolean().optional(),
  approvers: z.array(z.string()).optional(),
  byIdentity: verifiedIdentity.optional(),
  requestedByIdentity: verifiedIdentity.optional(),
  verifying: z.string().optional(),
});

/** A `vchaFailover` run's record (its result, or its failure's details). */
const FailoverRecordSchema = z.strictObject({
  target: z.string(),
  planned: z.boolean(),
  dryRun: z.boolean(),
  reason: z.string().optional(),
  requestedBy: z.string().optional(),
  outcome,
  message: z.string(),
  taskId: z.string().optional(),
  triggered: z.enum(['yes', 'no', 'unknown']),
  triggeredAt: isoTime.optional(),
  before: clusterSnapshot.optional(),
  after: clusterSnapshot.optional(),
  activeBefore: z.string().optional(),
  activeAfter: z.string().optional(),
  servedAt: z.string().optional(),
  failedChecks: z.array(z.strictObject({ id: z.string(), ok: z.boolean(), detail: z.string() })).optional(),
  observations: z.array(z.string()),
  timeline: z.array(z.strictObject({ phase: z.enum(PHASES), at: isoTime })),
  startedAt: isoTime,
  finishedAt: isoTime,
  durationMs: z.number(),
  cancelRequestedAfterTrigger: z.boolean().optional(),
  heldBy: z.strictObject({ workflowId: z.string(), runId: z.string().optional() }).optional(),
  approval: ApprovalRecordSchema.optional(),
  maintenance: z.strictObject({ workflowId: z.string(), leg: z.enum(['failover', 'failback']) }).optional(),
  readiness: z
    .strictObject({
      verdict: z.enum(['ready', 'not-ready', 'pending']),
      gates: z.array(
        z.strictObject({
          gate: z.enum(READINESS_GATES),
          status: z.enum(['pending', 'passed', 'not-checked', 'skipped']),
          seen: z.string().optional(),
        }),
      ),
      requests: z.number(),
    })
    .optional(),
});

/** The `failover` operation's output: the record of a run that succeeded. */
export const FailoverResultSchema = FailoverRecordSchema.extend({ outcome: z.enum(['SUCCEEDED', 'DRY_RUN_PASSED']) });

/** A VCHA cluster mode. */
const clusterMode = z.enum(['ENABLED', 'DISABLED', 'MAINTENANCE']);

/** A `vchaMaintenance` run's record. */
const MaintenanceRecordSchema = z.strictObject({
  target: z.string(),
  reason: z.string(),
  requestedBy: z.string().optional(),
  outcome,
  message: z.string(),
  failback: z.boolean(),
  originalActive: z.string().optional(),
  activeAtEnd: z.string().optional(),
  legs: z.array(
    z.strictObject({
      leg: z.enum(['failover', 'failback']),
      workflowId: z.string(),
      outcome: outcome.optional(),
      message: z.string().optional(),
      activeBefore: z.string().optional(),
      activeAfter: z.string().optional(),
      triggered: z.enum(['yes', 'no', 'unknown']).optional(),
    }),
  ),
  window: z
    .strictObject({
      startedAt: isoTime,
      until: isoTime,
      endedAt: isoTime.optional(),
      endedBy: z.enum(['maintenanceDone', 'maxDuration', 'cancel']).optional(),
      by: z.string().optional(),
      note: z.string().optional(),
    })
    .optional(),
  originalMode: clusterMode.optional(),
  modeChanges: z
    .array(
      z.strictObject({
        step: z.enum(['enter', 'restore']),
        from: clusterMode.optional(),
        to: clusterMode,
        result: z.enum(['set', 'unchanged', 'failed']),
        taskId: z.string().optional(),
        message: z.string().optional(),
        at: isoTime,
      }),
    )
    .optional(),
  timeline: z.array(z.strictObject({ phase: z.enum(MAINTENANCE_PHASES), at: isoTime })),
  startedAt: isoTime,
  finishedAt: isoTime,
  durationMs: z.number(),
});

/** The `maintenance` operation's output: the record of a maintenance that succeeded. */
export const MaintenanceResultSchema = MaintenanceRecordSchema.extend({ outcome: z.literal('SUCCEEDED') });

/** The `readiness` operation's output: one outcome per target, in input order. */
export const FleetFailoverResultSchema = z.strictObject({
  outcomes: z.array(
    z.strictObject({
      target: z.string(),
      workflowId: z.string(),
      outcome: z.enum(['PENDING', 'RUNNING', 'NOT_STARTED', 'SUCCEEDED', 'DRY_RUN_PASSED', ...FAILURE_TYPES]),
      message: z.string(),
      cluster: z
        .strictObject({
          activeNode: z.string().optional(),
          passiveNode: z.string().optional(),
          mode: z.string().optional(),
          healthState: z.string().optional(),
          lastFailover: lastFailover.optional(),
        })
        .optional(),
      failedChecks: z.array(z.string()).optional(),
      heldBy: z.strictObject({ workflowId: z.string(), runId: z.string().optional() }).optional(),
    }),
  ),
  succeeded: z.number(),
  failed: z.number(),
  notStarted: z.number(),
});

/** Exactly the same type (not merely assignable either way). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(proof: Same<A, B>) => proof;
same<z.output<typeof ApprovalRecordSchema>, ApprovalRecord>(true);
same<z.output<typeof FailoverRecordSchema>, FailoverRecord>(true);
same<z.output<typeof MaintenanceRecordSchema>, MaintenanceRecord>(true);
same<z.output<typeof FleetFailoverResultSchema>, FleetFailoverResult>(true);
