/**
 * The `fleetFailover` input contract, validated at the start of every fleet run (by the
 * `validateFleetInput` local activity) and published as JSON Schema. `pollInterval`, `deadlines`
 * and `readiness` are the children's own fields, checked with the `vchaFailover` schema and handed
 * to every child as written.
 */
import { z } from 'zod';
import { TARGET_NAME_PATTERN } from '../target-name';
import { formatProblems, VchaFailoverInputSchema } from './failover';

const childFields = VchaFailoverInputSchema.shape;

/** The zod schema of the fleet input; published as JSON Schema too. */
export const FleetFailoverInputSchema = z
  .strictObject({
    // A list of names, or "all": every target configured on the worker (read by an activity).
    targets: z.union(
      [
        z.literal('all'),
        z
          .array(
            z.string().regex(TARGET_NAME_PATTERN, 'target names may contain only letters, digits, ".", "_" and "-"'),
          )
          .min(1, 'targets must name at least one target')
          .max(1_000, 'targets may name at most 1000 targets')
          .refine((targets) => new Set(targets).size === targets.length, 'targets must not repeat a name'),
      ],
      {
        error: (issue) =>
          issue.input === undefined
            ? 'targets is required: a list of target names configured on the worker, or "all"'
            : undefined,
      },
    ),
    planned: z.boolean({ error: 'planned is required: true for planned failovers, false for forced ones' }),
    acceptDataLoss: z.boolean({ error: 'acceptDataLoss must be a boolean' }).optional(),
    reason: z.string({ error: 'reason must be a string' }).max(500, 'reason is longer than 500 characters').optional(),
    requestedBy: z.string({ error: 'requestedBy must be a string' }).max(200).optional(),
    pollInterval: z.string({ error: 'pollInterval must be a duration string such as "5s"' }).optional(),
    deadlines: childFields.deadlines.optional(),
    readiness: childFields.readiness.optional(),
    concurrency: z
      .number({ error: 'concurrency must be a number' })
      .int('concurrency must be a whole number')
      .min(1, 'concurrency must be at least 1')
      .max(100, 'concurrency must be at most 100')
      .default(1),
    stopOnFailure: z.boolean({ error: 'stopOnFailure must be a boolean' }).default(true),
    // Preflight only, for every target: the fleet readiness check (`vcha-failover check`).
    dryRun: z.boolean({ error: 'dryRun must be a boolean' }).default(false),
  })
  .refine((input) => input.planned !== false || input.acceptDataLoss === true, {
    path: ['acceptDataLoss'],
    message: 'forced failovers (planned: false) can lose data: set acceptDataLoss to true to confirm',
    when: (payload) => (payload.value as { planned?: unknown } | undefined)?.planned === false,
  });

/** What callers send to `fleetFailover`. */
export type FleetFailoverInput = z.input<typeof FleetFailoverInputSchema>;

/** The validated fleet input with defaults applied. */
export type ValidatedFleetInput = z.output<typeof FleetFailoverInputSchema>;

/** Outcome of validation: the input, or every problem as "path: message" lines. */
export type FleetInputValidation = { ok: true; input: ValidatedFleetInput } | { ok: false; problems: string[] };

/** Validates raw fleet input, listing every problem by field path. */
export function parseFleetInput(raw: unknown): FleetInputValidation {
  const parsed = FleetFailoverInputSchema.safeParse(raw ?? null);
  if (parsed.success) return { ok: true, input: parsed.data };
  return { ok: false, problems: formatProblems(parsed.error.issues) };
}
