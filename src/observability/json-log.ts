/**
 * Structured logs: one JSON object per line through the Temporal runtime logger, with every known
 * secret masked. Workflow and activity log lines carry the SDK's ids plus the target (added by the
 * log interceptors), so a line can be traced to its run.
 */
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';
import { type SecretRedactor } from '../vcenter/redact';

/** Keys whose values are secrets whatever they contain. */
const SECRET_KEY = /password|passwd|secret|token|authorization|session.?id|api.?key/i;
const MASK = '[redacted]';

/** Copies a log value, masking secret-named keys and known secret strings. */
function sanitize(value: unknown, redactor: SecretRedactor, depth = 0): unknown {
  if (typeof value === 'string') return redactor.redact(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (value instanceof Error) return { name: value.name, message: redactor.redact(value.message) };
  if (Array.isArray(value)) return value.map((item) => sanitize(item, redactor, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      SECRET_KEY.test(key) ? MASK : sanitize(item, redactor, depth + 1),
    ]),
  );
}

/** Formats one runtime log entry as a JSON line. */
function formatLogEntry(entry: LogEntry, redactor: SecretRedactor): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const meta = sanitize(entry.meta ?? {}, redactor) as Record<string, unknown>;
  return JSON.stringify({ time, level: entry.level, msg: redactor.redact(entry.message), ...meta });
}

/** A runtime logger writing redacted JSON lines (to stdout by default). */
export function jsonLogger(
  redactor: SecretRedactor,
  level: LogLevel = 'INFO',
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): DefaultLogger {
  return new DefaultLogger(level, (entry) => write(formatLogEntry(entry, redactor)));
}
