/**
 * Starts a throwaway PostgreSQL cluster (the one the audit tests use) for manual work, and always
 * stops and deletes it at the end.
 *
 *   npx tsx scripts/postgres-for-tests.ts                      # print the URL, stop on Ctrl-C
 *   npx tsx scripts/postgres-for-tests.ts -- npm test -- audit # run a command against it, then stop
 *
 * A command gets the URL in VCHA_TEST_POSTGRES_URL (the audit tests then use this server instead of
 * starting their own) and in VCHA_AUDIT_DATABASE_URL (so `npm run worker` records into it); its
 * exit code becomes this script's.
 */
import { spawn } from 'node:child_process';
import { startThrowawayPostgres, TEST_POSTGRES_URL_ENV } from '../test/audit/throwaway-postgres';

async function main(): Promise<number> {
  const separator = process.argv.indexOf('--');
  const command = separator === -1 ? process.argv.slice(2) : process.argv.slice(separator + 1);
  const started = Date.now();
  // This script stops the server itself, after a command it runs has finished with it.
  const server = await startThrowawayPostgres({ stopOnProcessEnd: false });
  process.stderr.write(`postgres-for-tests: ready in ${Date.now() - started} ms (data in ${server.dir})\n`);
  process.stdout.write(`${server.url}\n`);
  try {
    if (command.length === 0) {
      process.stderr.write('postgres-for-tests: Ctrl-C stops the server and deletes its data\n');
      // Signal handlers do not keep node running; without a timer it would exit here, server and all.
      const keepAlive = setInterval(() => {}, 1 << 30);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        // `on`, not `once`: Ctrl-C reaches us both from the terminal and relayed by tsx, and a
        // second signal without a handler would kill us before the cleanup below has run.
        process.on('SIGINT', resolve);
        process.on('SIGTERM', resolve);
      });
      clearInterval(keepAlive);
      return signal === 'SIGINT' ? 130 : 143;
    }
    const child = spawn(command[0]!, command.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, [TEST_POSTGRES_URL_ENV]: server.url, VCHA_AUDIT_DATABASE_URL: server.url },
    });
    // The child gets the terminal's signals itself; we only wait for it, then clean up.
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    return await new Promise<number>((resolve) => {
      child.once('error', (error) => {
        process.stderr.write(`postgres-for-tests: cannot run ${command[0]}: ${error.message}\n`);
        resolve(127);
      });
      child.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 143)));
    });
  } finally {
    await server.stop();
    process.stderr.write('postgres-for-tests: stopped\n');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`postgres-for-tests: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
