/**
 * Helpers for turning a raw HTTP response body into checked data or into a short, safe description of what was
 * wrong with it.
 */
import { type z } from 'zod';
import { type SecretRedactor } from './redact';

/** Largest body the client reads; a task list of 1000 tasks stays far below this. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

const EXCERPT_CHARS = 160;
const CONTROL_CHARACTERS = /\p{Cc}+/gu;
const MAX_ISSUES = 5;

/** Thrown by {@link readBody} when the body exceeds {@link MAX_BODY_BYTES}. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`response body exceeds ${limitBytes} bytes`);
  }
}

/**
 * Reads a response body completely (so the pooled socket can be reused) as UTF-8 text. Bodies over the limit are
 * destroyed, which closes that socket, and rejected.
 */
export async function readBody(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  maxBytes = MAX_BODY_BYTES,
): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) {
      body.destroy();
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The result of parsing a body as JSON. */
export type JsonParseResult = { ok: true; value: unknown } | { ok: false };

/** Parses JSON without exposing the parser's message, which quotes the input (and a login body is a token). */
export function parseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * A short, single-line excerpt of a body for an error message: secrets masked, markup and control characters
 * removed, cut to a few dozen words.
 */
export function safeExcerpt(text: string, redactor: SecretRedactor, maxChars = EXCERPT_CHARS): string {
  const plain = redactor
    .redact(text)
    .replace(/<[^>]*>/g, ' ')
    .replace(CONTROL_CHARACTERS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > maxChars ? `${plain.slice(0, maxChars)}…` : plain;
}

/** Describes a body that is not valid JSON; `includeExcerpt` is false when the body might be a secret itself. */
export function describeInvalidJson(
  text: string,
  contentType: string | undefined,
  redactor: SecretRedactor,
  includeExcerpt: boolean,
): string {
  if (text.trim() === '') return 'body is empty';
  const bytes = Buffer.byteLength(text, 'utf8');
  const summary = `body is not valid JSON (${contentType ?? 'no content-type'}, ${bytes} bytes)`;
  return includeExcerpt ? `${summary}, starting: ${JSON.stringify(safeExcerpt(text, redactor, 80))}` : summary;
}

/** Formats the first schema violations as `path: message` lines, e.g. `node1.runtime.state: Invalid option ...`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], maxIssues = MAX_ISSUES): string[] {
  const lines = issues.slice(0, maxIssues).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  if (issues.length > maxIssues) lines.push(`and ${issues.length - maxIssues} more problem(s)`);
  return lines;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(body)';
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}
