/**
 * What the scripts that start a throwaway service (PostgreSQL, the Temporal cluster) do once it is
 * up: hold it until Ctrl-C, or run one command against it and pass on its exit code.
 */
import { spawn } from 'node:child_process';

/** The command after `--` (or every argument when there is no `--`). */
export function commandArgs(argv = process.argv): string[] {
  const separator = argv.indexOf('--');
  return separator === -1 ? argv.slice(2) : argv.slice(separator + 1);
}

/**
 * With no command, waits for SIGINT or SIGTERM; otherwise runs `command` with `env` added and
 * waits for it. Resolves with the exit code the script should end with; the caller stops the
 * service afterwards.
 */
export async function holdOrRun(
  label: string,
  command: readonly string[],
  env: Record<string, string>,
  holdHint: string,
): Promise<number> {
  if (command.length === 0) {
    process.stderr.write(`${label}: Ctrl-C ${holdHint}\n`);
    // Signal handlers do not keep node running; without a timer it would exit here, service and all.
    const keepAlive = setInterval(() => {}, 1 << 30);
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      // `on`, not `once`: Ctrl-C reaches us both from the terminal and relayed by tsx, and a
      // second signal without a handler would kill us before the caller's cleanup has run.
      process.on('SIGINT', resolve);
      process.on('SIGTERM', resolve);
    });
    clearInterval(keepAlive);
    return signal === 'SIGINT' ? 130 : 143;
  }
  const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env: { ...process.env, ...env } });
  // The child gets the terminal's signals itself; we only wait for it, then the caller cleans up.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise<number>((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`${label}: cannot run ${command[0]}: ${error.message}\n`);
      resolve(127);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 143)));
  });
}
