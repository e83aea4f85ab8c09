/**
 * `-o/--output text|json`, shared by every command with a result: in JSON mode the command writes
 * one JSON document to stdout and nothing else there (errors stay on stderr, exit codes stay the
 * same). The document shapes are in `json-shapes.ts` and docs/cli.md.
 */
import { UsageError, type CliIo } from './io';

/** The flag, for `parseCommandArgs`: spread into a command's own options. */
export const OUTPUT_OPTIONS = { output: { type: 'string', short: 'o' } } as const;

/** The flag's help line. */
export const OUTPUT_HELP = '  -o, --output <format>    text (default) or json: one JSON document on stdout';

/** What `--output` asks for. */
export type OutputFormat = 'text' | 'json';

/** The format named by `--output`, or a usage error naming the accepted values. */
export function outputFormat(values: { output?: string }): OutputFormat {
  const format = values.output ?? 'text';
  if (format === 'text' || format === 'json') return format;
  throw new UsageError(`--output: expected text or json, got "${format}"`);
}

/** Writes `document` as the command's only stdout output. */
export function printJson(io: CliIo, document: unknown): void {
  io.out(`${JSON.stringify(document, null, 2)}\n`);
}

/** An io whose stdout is dropped: the text a command prints on the way is not part of its JSON. */
export function silentOut(io: CliIo): CliIo {
  return { ...io, out: () => undefined, isTTY: false };
}
