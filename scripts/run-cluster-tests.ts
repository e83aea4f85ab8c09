/**
 * `npm run test:cluster`: the tests on the production topology. Builds the workflow bundle once,
 * then runs the files under test/cluster/ one at a time; each starts the two-node Temporal cluster
 * on PostgreSQL itself (test/harness/temporal-cluster.ts) and stops it at the end, pass or fail.
 * Arguments filter the files by path fragment, like `npm test`'s.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TEST_ENV } from '../test/harness/env';
import { writeTestWorkflowBundle } from './test-bundle';

const root = path.resolve(__dirname, '..');
const dir = path.join(root, 'test', 'cluster');

async function main(): Promise<number> {
  const filter = process.argv.slice(2);
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => path.join(dir, name))
    .filter((file) => filter.length === 0 || filter.some((part) => file.includes(part)))
    .sort();
  if (files.length === 0) {
    process.stderr.write('No cluster test files matched.\n');
    return 1;
  }
  const scratch = mkdtempSync(path.join(tmpdir(), 'vcha-cluster-test-'));
  try {
    const bundlePath = path.join(scratch, 'workflow-bundle.js');
    await writeTestWorkflowBundle(bundlePath);
    // One file at a time: each owns a cluster, and two clusters would halve the cores for both.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files],
      { cwd: root, stdio: 'inherit', env: { ...process.env, [TEST_ENV.bundle]: bundlePath } },
    );
    // The child gets the terminal's signals itself and stops its cluster; we wait, then clean up.
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    return await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`test:cluster: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
