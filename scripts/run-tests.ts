/**
 * `npm test`: starts one Temporal dev server and bundles the workflow code once, then runs every
 * test file with node's test runner against them, and always stops the server at the end.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort, startDevServer } from '../src/devtools/dev-server';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../src/contract';
import { isExecutable, resolveTemporalCli, TemporalCliNotFoundError } from '../src/devtools/temporal-cli';
import { CHROMIUM_PATH } from '../test/ui/browser';
import { findPostgresBinDir } from '../test/audit/throwaway-postgres';
import { PROMTOOL_PATH } from '../test/deploy/promtool';
import { TEST_ENV } from '../test/harness/env';
import { writeTestWorkflowBundle } from './test-bundle';

const root = path.resolve(__dirname, '..');

/** The cluster tests' folder: they start their own Temporal cluster (`npm run test:cluster`). */
const CLUSTER_TESTS = path.join(root, 'test', 'cluster');

function testFiles(dir: string, filter: string[]): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (full === CLUSTER_TESTS) continue;
    if (entry.isDirectory()) found.push(...testFiles(full, filter));
    else if (entry.name.endsWith('.test.ts')) found.push(full);
  }
  const selected = filter.length ? found.filter((file) => filter.some((part) => file.includes(part))) : found;
  return selected.sort();
}

/**
 * The browser test needs Debian's chromium, the audit test PostgreSQL's server binaries and the
 * alert-rules test promtool (Debian's prometheus). When
 * the selected files need one that is missing, installs them with scripts/install-test-deps.sh
 * (apt-get, as root), saying so; as another user, fails naming the command to run.
 */
function ensureSystemPackages(files: readonly string[]): void {
  const missing: string[] = [];
  const needs = (part: string) => files.some((file) => file.includes(`${path.sep}test${path.sep}${part}${path.sep}`));
  if (needs('ui') && !isExecutable(CHROMIUM_PATH)) missing.push(`chromium (${CHROMIUM_PATH})`);
  if (needs('audit') && findPostgresBinDir() === undefined)
    missing.push('the PostgreSQL server binaries (initdb, pg_ctl)');
  if (needs('deploy') && !isExecutable(PROMTOOL_PATH)) missing.push(`promtool (${PROMTOOL_PATH})`);
  if (missing.length === 0) return;
  const script = path.join(root, 'scripts', 'install-test-deps.sh');
  if (process.getuid?.() !== 0) {
    throw new Error(`missing ${missing.join(' and ')}: install them once with sudo bash scripts/install-test-deps.sh`);
  }
  process.stderr.write(
    `test: missing ${missing.join(' and ')}: installing with bash scripts/install-test-deps.sh (apt-get)\n`,
  );
  const install = spawnSync('bash', [script], { stdio: 'inherit' });
  if (install.status !== 0) throw new Error(`bash scripts/install-test-deps.sh failed (exit code ${install.status})`);
}

/** Starts the server the run shares: the resolved CLI, or the SDK's download as a last resort. */
async function startServer(): Promise<{ address: string; cli?: string; stop: () => Promise<void> }> {
  const cli = resolveTemporalCli();
  if (cli.executable) {
    const server = await startDevServer({ executable: cli.executable });
    return { address: server.address, cli: cli.executable, stop: () => server.stop() };
  }
  const port = await freePort();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port,
      searchAttributes: SEARCH_ATTRIBUTE_DEFINITIONS,
    },
  });
  return { address: `127.0.0.1:${port}`, stop: () => env.teardown() };
}

async function main(): Promise<number> {
  const files = testFiles(path.join(root, 'test'), process.argv.slice(2));
  if (files.length === 0) {
    process.stderr.write('No test files matched.\n');
    return 1;
  }
  ensureSystemPackages(files);
  const started = Date.now();
  const server = await startServer();
  const scratch = mkdtempSync(path.join(tmpdir(), 'vcha-test-'));
  let exitCode = 1;
  let child: ReturnType<typeof spawn> | undefined;
  const stopAll = async () => {
    child?.kill('SIGTERM');
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    process.stderr.write(`test: Temporal dev server at ${server.address} (ready in ${Date.now() - started} ms)\n`);
    const bundlePath = path.join(scratch, 'workflow-bundle.js');
    await writeTestWorkflowBundle(bundlePath);

    const concurrency = process.env.VCHA_TEST_CONCURRENCY ?? '2';
    child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...files],
      {
        cwd: root,
        stdio: 'inherit',
        env: {
          ...process.env,
          [TEST_ENV.address]: server.address,
          [TEST_ENV.bundle]: bundlePath,
          ...(server.cli ? { [TEST_ENV.cli]: server.cli } : {}),
        },
      },
    );
    exitCode = await new Promise<number>((resolve) => child!.once('exit', (code) => resolve(code ?? 1)));
  } finally {
    await stopAll();
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof TemporalCliNotFoundError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`test: ${message}\n`);
    process.exit(1);
  },
);
