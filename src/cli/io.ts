/**
 * What a command writes to and how it reports errors: one seam for stdout/stderr and the
 * terminal, so output can be redrawn on a TTY and captured in tests.
 */
import { EXIT_CODES } from './exit-codes';
import { cliSettingsFromEnv, type CliSettings } from './settings';

/** The streams and settings a command runs with. */
export interface CliIo {
  /** Writes to stdout exactly as given. */
  out(text: string): void;
  /** Writes to stderr exactly as given. */
  err(text: string): void;
  /** Whether stdout is a terminal (progress is redrawn in place instead of printed line by line). */
  isTTY: boolean;
  /** Width of the terminal, when known. */
  columns?: number;
  settings: CliSettings;
}

/** The real process streams. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns,
    settings: cliSettingsFromEnv(),
  };
}

/** Writes lines to stdout, each ended by a newline. */
export function printLines(io: CliIo, lines: readonly string[]): void {
  if (lines.length > 0) io.out(`${lines.join('\n')}\n`);
}

/** A wrong command line: reported as one line on stderr with exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure the command explains itself, with the exit code it ends with. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_CODES.error,
  ) {
    super(message);
  }
}
