/**
 * Structural schema of one target in the targets file: field types, required fields and no unknown keys (typo
 * protection). Checks that need the environment or the file system live in `parse-targets.ts`.
 */
import { z } from 'zod';
import { formatConfigPath } from './config-path';

/** Property names a target may have. */
const TARGET_KEYS = [
  'url',
  'username',
  'passwordEnv',
  'passwordFile',
  'caFile',
  'insecureSkipTlsVerify',
  'insecureAllowHttp',
  'timeouts',
  'policy',
] as const;

const TIMEOUT_KEYS = ['connectMs', 'headersMs', 'bodyMs'] as const;

/** Property names of a `policy` object. */
export const POLICY_KEYS = ['forced', 'planned'] as const;

/** Longest timeout accepted: one hour. */
const MAX_TIMEOUT_MS = 3_600_000;

function text(description: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be ${description}`) })
    .min(1, { error: 'must not be empty' });
}

const optionalText = (description: string) => text(description).optional();

const timeoutMs = z
  .number({ error: 'must be a number of milliseconds' })
  .int({ error: 'must be a whole number of milliseconds' })
  .min(1, { error: 'must be at least 1 ms' })
  .max(MAX_TIMEOUT_MS, { error: `must be at most ${MAX_TIMEOUT_MS} ms` });

/** Schema of a target's `timeouts` object. */
const TargetTimeoutsSchema = z.strictObject(
  {
    connectMs: timeoutMs.optional(),
    headersMs: timeoutMs.optional(),
    bodyMs: timeoutMs.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type' ? 'must be an object with connectMs, headersMs, bodyMs' : undefined,
  },
);

/** Schema of a `policy` object (per target or file-wide); unset fields fall back to the file's, then the defaults. */
export const TargetPolicySchema = z.strictObject(
  {
    forced: z.enum(['deny', 'approval', 'allow'], { error: 'must be "deny", "approval" or "allow"' }).optional(),
    planned: z.enum(['allow', 'approval'], { error: 'must be "allow" or "approval"' }).optional(),
  },
  {
    error: (issue) => (issue.code === 'invalid_type' ? 'must be an object with forced and/or planned' : undefined),
  },
);

/** Schema of one target as written in the file. */
export const TargetEntrySchema = z.strictObject(
  {
    url: text('a URL string'),
    username: text('a string'),
    passwordEnv: optionalText('the name of an environment variable'),
    passwordFile: optionalText('a file path'),
    caFile: optionalText('a file path'),
    insecureSkipTlsVerify: z.boolean({ error: 'must be true or false' }).optional(),
    /** Plain http to a non-loopback host: only for labs whose network is private (e.g. a compose network). */
    insecureAllowHttp: z.boolean({ error: 'must be true or false' }).optional(),
    timeouts: TargetTimeoutsSchema.optional(),
    policy: TargetPolicySchema.optional(),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'must be an object' : undefined) },
);

/** Problems of the file-wide `policy` object, each as `policy.field: message`. */
export function policyProblems(value: unknown): string[] {
  const result = TargetPolicySchema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => {
    const path = ['policy', ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(
        (key) => `${formatConfigPath([...path, key])}: unknown key (allowed: ${POLICY_KEYS.join(', ')})`,
      );
    }
    return [`${formatConfigPath(path)}: ${issue.message}`];
  });
}

/** Structural problems of one target, each as `path: message` with `path` starting at `basePath`. */
export function structuralProblems(value: unknown, basePath: readonly PropertyKey[]): string[] {
  const result = TargetEntrySchema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => {
    const path = [...basePath, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const allowed =
        path.length === basePath.length ? TARGET_KEYS : path.at(-1) === 'policy' ? POLICY_KEYS : TIMEOUT_KEYS;
      return issue.keys.map(
        (key) => `${formatConfigPath([...path, key])}: unknown key (allowed: ${allowed.join(', ')})`,
      );
    }
    return [`${formatConfigPath(path)}: ${issue.message}`];
  });
}
