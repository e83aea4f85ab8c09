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
import { startThrowawayPostgres, TEST_POSTGRES_URL_ENV } from '../test/audit/throwaway-postgres';
import { commandArgs, holdOrRun } from './hold-or-run';

async function main(): Promise<number> {
  const command = commandArgs();
  const started = Date.now();
  // This script stops the server itself, after a command it runs has finished with it.
  const server = await startThrowawayPostgres({ stopOnProcessEnd: false });
  process.stderr.write(`postgres-for-tests: ready in ${Date.now() - started} ms (data in ${server.dir})\n`);
  process.stdout.write(`${server.url}\n`);
  try {
    return await holdOrRun(
      'postgres-for-tests',
      command,
      { [TEST_POSTGRES_URL_ENV]: server.url, VCHA_AUDIT_DATABASE_URL: server.url },
      'stops the server and deletes its data',
    );
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
