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
  'nodes',
] as const;

const TIMEOUT_KEYS = ['connectMs', 'headersMs', 'bodyMs', 'totalMs'] as const;

/** Property names of a `policy` object. */
export const POLICY_KEYS = ['forced', 'planned', 'approval'] as const;

/** Property names of a policy's `approval` object. */
export const APPROVAL_KEYS = ['signed', 'signedRequests', 'approvers'] as const;

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
    totalMs: timeoutMs.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type' ? 'must be an object with connectMs, headersMs, bodyMs, totalMs' : undefined,
  },
);

/**
 * Schema of a policy's `approval` object: whether decisions (and requests) must be signed, and by
 * whom. Unset fields fall back to the file-wide policy's, then to the defaults of parse-targets.ts.
 */
export const ApprovalPolicySchema = z.strictObject(
  {
    signed: z.boolean({ error: 'must be true or false' }).optional(),
    signedRequests: z.boolean({ error: 'must be true or false' }).optional(),
    approvers: z
      .array(text('a principal of the allowed-signers file'), {
        error: 'must be a list of principals of the allowed-signers file',
      })
      .min(1, { error: 'must name at least one principal (leave it out to allow every allowed signer)' })
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type' ? 'must be an object with signed, signedRequests and/or approvers' : undefined,
  },
);

/** Schema of a `policy` object (per target or file-wide); unset fields fall back to the file's, then the defaults. */
export const TargetPolicySchema = z.strictObject(
  {
    forced: z.enum(['deny', 'approval', 'allow'], { error: 'must be "deny", "approval" or "allow"' }).optional(),
    planned: z.enum(['allow', 'approval'], { error: 'must be "allow" or "approval"' }).optional(),
    approval: ApprovalPolicySchema.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type' ? 'must be an object with forced, planned and/or approval' : undefined,
  },
);

/** The unknown-key listing for a path ending in `policy` or `approval`. */
function allowedKeysAt(path: readonly PropertyKey[]): readonly string[] | undefined {
  if (path.at(-1) === 'policy') return POLICY_KEYS;
  if (path.at(-1) === 'approval' && path.at(-2) === 'policy') return APPROVAL_KEYS;
  return undefined;
}

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
    /**
     * Where the worker reaches each VCHA node once it is active, when not at its failover IP (NAT,
     * another network): node (`node1`, `node2` or its `ha_ip`) to URL. Keys and URLs are checked in parse-targets.ts.
     */
    nodes: z
      .record(z.string(), text('a URL string'), {
        error: 'must be an object mapping a node (node1, node2 or its ha_ip address) to the URL it serves at',
      })
      .optional(),
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
      const allowed = allowedKeysAt(path) ?? POLICY_KEYS;
      return issue.keys.map(
        (key) => `${formatConfigPath([...path, key])}: unknown key (allowed: ${allowed.join(', ')})`,
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
      const allowed = path.length === basePath.length ? TARGET_KEYS : (allowedKeysAt(path) ?? TIMEOUT_KEYS);
      return issue.keys.map(
        (key) => `${formatConfigPath([...path, key])}: unknown key (allowed: ${allowed.join(', ')})`,
      );
    }
    return [`${formatConfigPath(path)}: ${issue.message}`];
  });
}
