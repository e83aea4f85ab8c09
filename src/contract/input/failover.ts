/**
 * The `vchaFailover` input contract: one JSON object, validated strictly at the start of every run
 * (by the `validateFailoverInput` local activity) so a typo such as `plannned` fails the run at
 * once instead of being ignored. The CLI checks the same schema before it starts a run.
 */
import { z } from 'zod';
import { parseDuration } from '../duration';
import { PROOF_MESSAGE_MAX, PROOF_SIGNATURE_MAX } from '../approval-message';
import { TARGET_NAME_PATTERN } from '../target-name';

/** Adds an issue when `text` is not a duration within the bounds. */
function checkDuration(text: string, ctx: z.RefinementCtx, example: string, minMs: number, maxMs: number): void {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a duration (use ms, s, m or h, e.g. "${example}")`,
    });
  } else if (ms < minMs || ms > maxMs) {
    ctx.addIssue({
      code: 'custom',
      message: `must be between ${minMs / 1000} s and ${maxMs / 1000} s (got "${text}")`,
    });
  }
}

/** A duration string field ("30m") with a default and bounds, parsed to milliseconds. */
export function durationField(name: string, fallback: string, minMs: number, maxMs: number) {
  return z
    .string({ error: `${name} must be a duration string such as "${fallback}"` })
    .default(fallback)
    .superRefine((text, ctx) => checkDuration(text, ctx, fallback, minMs, maxMs))
    .transform((text) => parseDuration(text)!);
}

/** A duration string field without a default (its absence means something of its own), parsed to milliseconds. */
function optionalDurationField(name: string, example: string, minMs: number, maxMs: number) {
  return z
    .string({ error: `${name} must be a duration string such as "${example}"` })
    .superRefine((text, ctx) => checkDuration(text, ctx, example, minMs, maxMs))
    .transform((text) => parseDuration(text)!)
    .optional();
}

/** The zod schema of the workflow input; its input side is also published as JSON Schema. */
export const VchaFailoverInputSchema = z
  .strictObject({
    target: z
      .string({ error: 'target is required: the name of a vCenter configured on the worker' })
      .min(1, 'target must not be empty')
      .max(128, 'target is longer than 128 characters')
      .regex(TARGET_NAME_PATTERN, 'target may contain only letters, digits, ".", "_" and "-"'),
    planned: z.boolean({
      error: (issue) =>
        issue.input === undefined
          ? 'planned is required: true for a planned failover, false for a forced one'
          : 'planned must be a boolean (true or false)',
    }),
    acceptDataLoss: z.boolean({ error: 'acceptDataLoss must be a boolean' }).optional(),
    dryRun: z.boolean({ error: 'dryRun must be a boolean' }).default(false),
    reason: z.string({ error: 'reason must be a string' }).max(500, 'reason is longer than 500 characters').optional(),
    requestedBy: z
      .string({ error: 'requestedBy must be a string' })
      .max(200, 'requestedBy is longer than 200 characters')
      .optional(),
    // The requester's SSH signature over the request (approval-message.ts), for targets whose policy
    // asks for signed requests; `requestedBy` is then the principal it is signed as.
    requestProof: z
      .strictObject(
        {
          message: z
            .string({ error: 'requestProof.message must be the signed message text' })
            .min(1, 'requestProof.message must not be empty')
            .max(PROOF_MESSAGE_MAX, `requestProof.message is longer than ${PROOF_MESSAGE_MAX} characters`),
          signature: z
            .string({ error: 'requestProof.signature must be an armored SSH signature' })
            .min(1, 'requestProof.signature must not be empty')
            .max(PROOF_SIGNATURE_MAX, `requestProof.signature is longer than ${PROOF_SIGNATURE_MAX} characters`),
        },
        { error: 'requestProof must be an object { message, signature }' },
      )
      .optional(),
    pollInterval: durationField('pollInterval', '5s', 1_000, 60_000),
    deadlines: z
      .strictObject({
        failover: durationField('deadlines.failover', '30m', 5_000, 24 * 3_600_000),
        healthy: durationField('deadlines.healthy', '30m', 5_000, 24 * 3_600_000),
        // How long a cluster may show no sign of a failover after a request whose arrival is
        // unknown before the run says so (see docs/safety.md). At most 10 minutes.
        noSign: durationField('deadlines.noSign', '10m', 5_000, 10 * 60_000),
        // How long a run whose target's policy asks for approval waits for a decision before it ends
        // NotApproved (nothing sent). At most 7 days.
        approval: durationField('deadlines.approval', '30m', 1_000, 7 * 24 * 3_600_000),
        // The stability period: how long the new roles must hold, read at every poll, before the run
        // says SUCCEEDED. A VCHA cluster can fail back by itself (Broadcom KB 430364: any packet
        // loss on the HA network can start one), and VMware documents no detection time to size it
        // by. Absent: 12 poll intervals (1 minute at the default 5 s), so the period is counted in
        // reads, a small part of a failover that takes minutes, and long enough for a fail back
        // starting right after the cluster is back to show (its outage starts at once). "0s" ends
        // at the first proof, as runs did before it. At most 30 minutes (see docs/safety.md).
        stable: optionalDurationField('deadlines.stable', '1m', 0, 30 * 60_000),
        // The readiness bound: how long after the cluster is back (all members UP, HEALTHY when
        // required) vCenter may take to serve (the vAPI session, vpxd, every AUTOMATIC service
        // STARTED, the appliance's health checked after the switch) before the run ends
        // VcenterNotReady. After a switch the new node starts its services one by one, and VMware's
        // own lab automation waits minutes for them; field reports put the API back within three
        // minutes of the switch, and the cluster's resync takes minutes more, so most of the start
        // is over once the cluster is back. 10 minutes leaves a slow start its time and still names
        // a stuck service (vapi-endpoint, trustmanagement) well before anyone would wait longer. At
        // least 5 s, at most 2 hours (see docs/safety.md).
        ready: durationField('deadlines.ready', '10m', 5_000, 2 * 3_600_000),
      })
      .default({
        failover: 30 * 60_000,
        healthy: 30 * 60_000,
        noSign: 10 * 60_000,
        approval: 30 * 60_000,
        ready: 10 * 60_000,
      }),
    requireHealthy: z.boolean({ error: 'requireHealthy must be a boolean' }).default(true),
    // Narrows the readiness gate: `false` skips the AUTOMATIC services' check or the appliance's
    // health (the vAPI session and the vpxd read always count). The default is the full gate.
    readiness: z
      .strictObject(
        {
          services: z.boolean({ error: 'readiness.services must be a boolean' }).default(true),
          applianceHealth: z.boolean({ error: 'readiness.applianceHealth must be a boolean' }).default(true),
        },
        { error: 'readiness must be an object such as { "applianceHealth": false }' },
      )
      .default({ services: true, applianceHealth: true }),
    // Fail over only away from this node: preflight rejects the run when another one is ACTIVE
    // (vchaMaintenance's failback uses it so it never fails over away from the patched node).
    expectedActive: z
      .string({ error: 'expectedActive must be a string: the node expected to be ACTIVE' })
      .min(1, 'expectedActive must not be empty')
      .max(253, 'expectedActive is longer than 253 characters')
      .optional(),
  })
  .refine((input) => input.planned !== false || input.acceptDataLoss === true, {
    path: ['acceptDataLoss'],
    message: 'a forced failover (planned: false) can lose data: set acceptDataLoss to true to confirm',
    // Run even when other fields are invalid, so one reply lists every problem.
    when: (payload) => {
      const value = payload.value as { planned?: unknown; acceptDataLoss?: unknown } | undefined;
      return typeof value === 'object' && value !== null && value.planned === false;
    },
  });

/** What callers send (durations as strings, defaults optional). */
export type VchaFailoverInput = z.input<typeof VchaFailoverInputSchema>;

/** The validated input with defaults applied and durations in milliseconds. */
export type ValidatedFailoverInput = z.output<typeof VchaFailoverInputSchema>;

/** Outcome of validation: the input, or every problem as "path: message" lines. */
export type InputValidation = { ok: true; input: ValidatedFailoverInput } | { ok: false; problems: string[] };

/** Validates raw workflow input, listing every problem by field path. */
export function parseFailoverInput(raw: unknown): InputValidation {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      problems: [
        `(input): expected one JSON object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`,
      ],
    };
  }
  const parsed = VchaFailoverInputSchema.safeParse(raw);
  if (parsed.success) return { ok: true, input: parsed.data };
  return { ok: false, problems: formatProblems(parsed.error.issues) };
}

/** Formats zod issues as "field.path: message" lines, the form every InvalidInput message uses. */
export function formatProblems(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.length ? issue.path.join('.') : '(input)';
    if (issue.code === 'unrecognized_keys')
      return `${path}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${path}: ${issue.message}`;
  });
}
