/**
 * The text an approver (or a requester) signs: a small canonical JSON object naming our own
 * namespace, the action, the run, the target, planned or forced, the signer, their comment or
 * reason, and the signer's claimed time. The CLI builds it, the `approve` / `reject` validators
 * check that it names the run it is sent to, and the verification activity checks its time and
 * its SSH signature. Pure and free of zod, so workflow code may use it too.
 */

/** The SSH signature namespace (`ssh-keygen -Y sign -n`) and the message's own `namespace` field. */
export const APPROVAL_NAMESPACE = 'vcha-failover-approval@v1';

/** What a signature vouches for: starting a run, or deciding one that waits for approval. */
export type SignedAction = 'request' | 'approve' | 'reject';

/** The fields of a signed message, in their canonical order. */
export interface SignedStatement {
  namespace: typeof APPROVAL_NAMESPACE;
  action: SignedAction;
  workflowId: string;
  /** The run decided (absent for a request, signed before the run exists). */
  runId?: string;
  target: string;
  kind: 'planned' | 'forced';
  /** The principal of the allowed-signers file the signer claims to be. */
  signer: string;
  /** The approver's comment (approve only). */
  comment?: string;
  /** The rejection's reason, or the request's reason. */
  reason?: string;
  /** When the signer signed, by the signer's clock (ISO UTC). */
  signedAt: string;
}

/** A signed message and its armored SSH signature (`-----BEGIN SSH SIGNATURE-----`). */
export interface SignedProof {
  message: string;
  signature: string;
}

/** Longest message and signature accepted (an RSA-4096 signature is about 1.4 kB armored). */
export const PROOF_MESSAGE_MAX = 4_096;
export const PROOF_SIGNATURE_MAX = 8_192;

/** How old a signature may be, and how far in the future, by the worker's clock when it verifies. */
export const SIGNATURE_MAX_AGE_MS = 10 * 60_000;
export const SIGNATURE_MAX_SKEW_MS = 2 * 60_000;

const KEYS = [
  'namespace',
  'action',
  'workflowId',
  'runId',
  'target',
  'kind',
  'signer',
  'comment',
  'reason',
  'signedAt',
] as const satisfies readonly (keyof SignedStatement)[];

const REQUIRED: ReadonlySet<string> = new Set<string>([
  'namespace',
  'action',
  'workflowId',
  'target',
  'kind',
  'signer',
  'signedAt',
]);

/** The canonical text of a statement: its fields in {@link KEYS} order, absent ones left out, no spaces. */
export function canonicalMessage(statement: SignedStatement): string {
  const ordered: Record<string, string> = {};
  for (const key of KEYS) {
    const value = statement[key];
    if (value !== undefined) ordered[key] = value;
  }
  return JSON.stringify(ordered);
}

/** A message read back: the statement, or why it is not one. */
export type ParsedMessage = { ok: true; statement: SignedStatement } | { ok: false; problem: string };

/**
 * Reads a signed message. Only the canonical text of its own fields is accepted, so one signature
 * can never be read two ways (duplicate keys, spacing, key order, unknown fields).
 */
export function parseMessage(text: unknown): ParsedMessage {
  const bad = (problem: string): ParsedMessage => ({
    ok: false,
    problem: `the signed message is malformed: ${problem}`,
  });
  if (typeof text !== 'string' || text === '') return bad('it must be a non-empty string');
  if (text.length > PROOF_MESSAGE_MAX) return bad(`it is longer than ${PROOF_MESSAGE_MAX} characters`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return bad('it is not JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('it is not a JSON object');
  const fields = raw as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!(KEYS as readonly string[]).includes(key)) return bad(`unknown field "${key}"`);
    if (typeof fields[key] !== 'string') return bad(`${key} must be a string`);
  }
  for (const key of REQUIRED) if (fields[key] === undefined) return bad(`${key} is missing`);
  if (fields.namespace !== APPROVAL_NAMESPACE) return bad(`namespace must be "${APPROVAL_NAMESPACE}"`);
  if (!['request', 'approve', 'reject'].includes(fields.action as string)) {
    return bad('action must be "request", "approve" or "reject"');
  }
  if (fields.kind !== 'planned' && fields.kind !== 'forced') return bad('kind must be "planned" or "forced"');
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/.test(fields.signedAt as string)) {
    return bad('signedAt must be an ISO UTC time such as 2026-01-31T12:00:00.000Z');
  }
  const statement = fields as unknown as SignedStatement;
  if (canonicalMessage(statement) !== text) return bad('it is not in canonical form (field order, no spaces)');
  return { ok: true, statement };
}

/** What a statement must name to count for one decision (or request) of one run. */
export interface ExpectedStatement {
  action: SignedAction;
  workflowId: string;
  /** This run's id (not checked for a request). */
  runId?: string;
  target: string;
  planned: boolean;
  /** Who the Update (or the input) says decides (or requests). */
  signer: string;
  comment?: string;
  reason?: string;
}

/** Why a statement does not count for the expected decision, or undefined when it names exactly it. */
export function statementMismatch(statement: SignedStatement, expected: ExpectedStatement): string | undefined {
  const kind = expected.planned ? 'planned' : 'forced';
  if (statement.action !== expected.action) {
    return `the signature is for ${statement.action === 'approve' ? 'an' : 'a'} ${statement.action}, not ${expected.action === 'approve' ? 'an' : 'a'} ${expected.action}`;
  }
  if (statement.workflowId !== expected.workflowId) {
    return `the signature is for workflow ${statement.workflowId}, not ${expected.workflowId}`;
  }
  if (expected.action !== 'request') {
    if (statement.runId === undefined) return 'the signed message names no runId: a decision counts for one run only';
    if (statement.runId !== expected.runId) {
      return `the signature is for run ${statement.runId} of ${statement.workflowId}, not this run ${expected.runId ?? '(unknown)'}: a signature counts for one run only`;
    }
  } else if (statement.runId !== undefined) {
    return 'a signed request names no runId (it is signed before the run exists)';
  }
  if (statement.target !== expected.target)
    return `the signature is for target ${statement.target}, not ${expected.target}`;
  if (statement.kind !== kind) return `the signature is for a ${statement.kind} failover, not a ${kind} one`;
  if (statement.signer !== expected.signer) {
    return `the message is signed as ${statement.signer}, but the ${expected.action === 'request' ? 'requester' : 'approver'} given is ${expected.signer}`;
  }
  if ((statement.comment ?? '') !== (expected.comment ?? '')) return 'the comment given is not the one signed';
  if ((statement.reason ?? '') !== (expected.reason ?? '')) return 'the reason given is not the one signed';
  return undefined;
}

/**
 * Why a signature made at `signedAt` is refused at `nowMs` (the verifying worker's clock, or for a
 * request the run's start, named by `moment`): older than {@link SIGNATURE_MAX_AGE_MS}, or later
 * than {@link SIGNATURE_MAX_SKEW_MS} ahead.
 */
export function signedAtProblem(
  signedAt: string,
  nowMs: number,
  moment: string = 'the worker checked it',
): string | undefined {
  const at = Date.parse(signedAt);
  if (Number.isNaN(at)) return `signedAt ${signedAt} is not a time`;
  const then = new Date(nowMs).toISOString();
  if (nowMs - at > SIGNATURE_MAX_AGE_MS) {
    return `the signature expired: signed at ${signedAt}, more than ${SIGNATURE_MAX_AGE_MS / 60_000} minutes before ${moment} (${then})`;
  }
  if (at - nowMs > SIGNATURE_MAX_SKEW_MS) {
    return `the signature is from the future: signed at ${signedAt}, more than ${SIGNATURE_MAX_SKEW_MS / 60_000} minutes after ${moment} (${then})`;
  }
  return undefined;
}

/** Checks a proof's shape (not its signature): both texts present, within bounds, armored. */
export function proofShapeProblem(proof: unknown): string | undefined {
  if (typeof proof !== 'object' || proof === null) return 'proof must be an object { message, signature }';
  const { message, signature } = proof as Partial<SignedProof>;
  if (typeof message !== 'string' || message === '') return 'proof.message is required';
  if (typeof signature !== 'string' || signature === '') return 'proof.signature is required';
  if (signature.length > PROOF_SIGNATURE_MAX) return `proof.signature is longer than ${PROOF_SIGNATURE_MAX} characters`;
  if (!/^-----BEGIN SSH SIGNATURE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END SSH SIGNATURE-----\r?\n?$/.test(signature)) {
    return 'proof.signature is not an armored SSH signature (-----BEGIN SSH SIGNATURE----- …)';
  }
  return undefined;
}

/** An identity the worker verified: the allowed-signers principal and the key that signed. */
export interface VerifiedIdentity {
  principal: string;
  /** The signing key's SHA256 fingerprint as ssh-keygen prints it (`SHA256:…`). */
  fingerprint: string;
  /** When the signer says they signed (checked against the worker's clock). */
  signedAt: string;
  /** When the worker verified it. */
  verifiedAt: string;
}
