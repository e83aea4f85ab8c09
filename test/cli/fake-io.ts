/** An in-memory CliIo for running commands in-process and reading what they printed. */
import type { CliIo } from '../../src/cli/io';
import { cliSettingsFromEnv } from '../../src/cli/settings';

/** A CliIo that records stdout and stderr. */
export interface RecordingIo extends CliIo {
  stdout: string;
  stderr: string;
}

/** A recording io; `isTTY` and `columns` as a terminal would report them. */
export function recordingIo(options: { isTTY?: boolean; columns?: number; env?: NodeJS.ProcessEnv } = {}): RecordingIo {
  const io: RecordingIo = {
    stdout: '',
    stderr: '',
    out: (text) => {
      io.stdout += text;
    },
    err: (text) => {
      io.stderr += text;
    },
    isTTY: options.isTTY ?? false,
    columns: options.columns,
    settings: cliSettingsFromEnv(options.env ?? {}),
  };
  return io;
}
