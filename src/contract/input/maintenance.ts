/**
 * The `vchaMaintenance` input contract: a planned failover, a maintenance window, a failback.
 * Validated at the start of every run (by the `validateMaintenanceInput` local activity) and
 * published as JSON Schema. `pollInterval`, `deadlines` and `readiness` are the legs' own fields, checked with
 * the `vchaFailover` schema and handed to both legs as written.
 */
import { z } from 'zod';
import { durationField, formatProblems, VchaFailoverInputSchema } from './failover';

const legFields = VchaFailoverInputSchema.shape;

/** The zod schema of the maintenance input; its input side is published as JSON Schema. */
export const VchaMaintenanceInputSchema = z.strictObject({
  target: legFields.target,
  reason: z
    .string({ error: 'reason is required: why the maintenance is done (recorded with both legs)' })
    .min(1, 'reason must not be empty')
    .max(500, 'reason is longer than 500 characters'),
  requestedBy: legFields.requestedBy,
  // How long the run holds the target on the new node waiting for maintenanceDone.
  maxDuration: durationField('maxDuration', '4h', 1_000, 7 * 24 * 3_600_000),
  failback: z.boolean({ error: 'failback must be a boolean' }).default(true),
  onMaxDuration: z
    .enum(['failback', 'leave'], { error: 'onMaxDuration must be "failback" or "leave"' })
    .default('leave'),
  pollInterval: legFields.pollInterval.optional(),
  deadlines: legFields.deadlines.optional(),
  readiness: legFields.readiness.optional(),
});

/** What callers send to `vchaMaintenance`. */
export type VchaMaintenanceInput = z.input<typeof VchaMaintenanceInputSchema>;

/** The validated input with defaults applied (`maxDuration` in milliseconds). */
export type ValidatedMaintenanceInput = z.output<typeof VchaMaintenanceInputSchema>;

/** Outcome of validation: the input, or every problem as "path: message" lines. */
export type MaintenanceInputValidation =
  { ok: true; input: ValidatedMaintenanceInput } | { ok: false; problems: string[] };

/** Validates raw maintenance input, listing every problem by field path. */
export function parseMaintenanceInput(raw: unknown): MaintenanceInputValidation {
  const parsed = VchaMaintenanceInputSchema.safeParse(raw ?? null);
  if (parsed.success) return { ok: true, input: parsed.data };
  return { ok: false, problems: formatProblems(parsed.error.issues) };
}
