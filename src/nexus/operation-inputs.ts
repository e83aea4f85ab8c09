/**
 * The zod schemas of the `vcha` Nexus operations' inputs: the workflow inputs' own schemas
 * (never restated) wrapped with what an operation adds, such as the run's workflow id. The
 * handlers check every input here before anything starts, and `npm run schemas` publishes them.
 */
import { z } from 'zod';
import { APPROVAL_TEXT_MAX, APPROVER_MAX } from '../contract';
import { formatProblems, VchaFailoverInputSchema } from '../contract/input/failover';
import { FleetFailoverInputSchema } from '../contract/input/fleet';
import { VchaMaintenanceInputSchema } from '../contract/input/maintenance';

/** Temporal's default limit on a workflow id's length. */
const WORKFLOW_ID_MAX = 1_000;

const workflowId = (what: string) =>
  z
    .string({ error: `workflowId must be a string: ${what}` })
    .min(1, 'workflowId must not be empty')
    .max(WORKFLOW_ID_MAX, `workflowId is longer than ${WORKFLOW_ID_MAX} characters`);

const runId = z.string({ error: 'runId must be a string' }).min(1, 'runId must not be empty').optional();

const fleetFields = FleetFailoverInputSchema.shape;

/** The `failover` operation's input. */
export const NexusFailoverInputSchema = z.strictObject({
  workflowId: workflowId('the id of the vchaFailover run to start').optional(),
  input: VchaFailoverInputSchema,
});

/** The `maintenance` operation's input. */
export const NexusMaintenanceInputSchema = z.strictObject({
  workflowId: workflowId('the id of the vchaMaintenance run to start').optional(),
  input: VchaMaintenanceInputSchema,
});

/** The `readiness` operation's input. */
export const NexusReadinessInputSchema = z.strictObject({
  targets: fleetFields.targets,
  concurrency: fleetFields.concurrency.removeDefault().optional(),
  requestedBy: fleetFields.requestedBy,
  workflowId: workflowId('the id of the fleetFailover dry run to start').optional(),
});

const approver = z
  .string({ error: 'approver is required: who decides (not the run requester)' })
  .min(1, 'approver must not be empty')
  .max(APPROVER_MAX, `approver is longer than ${APPROVER_MAX} characters`);

/** The `approve` operation's input. */
export const NexusApproveInputSchema = z.strictObject({
  workflowId: workflowId('the id of the vchaFailover run waiting for approval'),
  runId,
  approver,
  comment: z
    .string({ error: 'comment must be a string' })
    .max(APPROVAL_TEXT_MAX, `comment is longer than ${APPROVAL_TEXT_MAX} characters`)
    .optional(),
});

/** The `reject` operation's input. */
export const NexusRejectInputSchema = z.strictObject({
  workflowId: workflowId('the id of the vchaFailover run waiting for approval'),
  runId,
  approver,
  reason: z
    .string({ error: 'reason is required: why the failover is rejected' })
    .min(1, 'reason must not be empty')
    .max(APPROVAL_TEXT_MAX, `reason is longer than ${APPROVAL_TEXT_MAX} characters`),
});

/** Every operation's input schema by operation name. */
export const NEXUS_INPUT_SCHEMAS = {
  failover: NexusFailoverInputSchema,
  maintenance: NexusMaintenanceInputSchema,
  readiness: NexusReadinessInputSchema,
  approve: NexusApproveInputSchema,
  reject: NexusRejectInputSchema,
} as const;

/** One operation of the `vcha` service. */
export type NexusOperationName = keyof typeof NEXUS_INPUT_SCHEMAS;

/** The input's problems as "field.path: message" lines (the form every InvalidInput message uses), or none. */
export function nexusInputProblems(operation: NexusOperationName, raw: unknown): string[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const got = raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw;
    return [`(input): expected one JSON object, got ${got}`];
  }
  const parsed = NEXUS_INPUT_SCHEMAS[operation].safeParse(raw);
  return parsed.success ? [] : formatProblems(parsed.error.issues);
}
