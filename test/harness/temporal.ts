/**
 * Test access to Temporal: the dev server and workflow bundle that `npm test` shares, or — when a
 * test file runs on its own — a server and bundle of its own, stopped when the process ends.
 */
import { randomUUID } from 'node:crypto';
import { after } from 'node:test';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Runtime, DefaultLogger, Worker, type WorkerOptions } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../src/devtools/dev-server';
import { resolveTemporalCli } from '../../src/devtools/temporal-cli';
import { workflowBundleOptions } from '../../src/worker/create-worker';
import { TEST_ENV } from './env';

let envPromise: Promise<TestWorkflowEnvironment> | undefined;
let bundlePromise: Promise<{ code: string } | { codePath: string }> | undefined;
let ownServer: DevServer | undefined;
let runtimeQuieted = false;
let chosenAddress: string | undefined;
const cleanups: (() => Promise<void> | void)[] = [];

/**
 * Registers cleanup to run at the end of the test file, newest first, before the shared
 * connection closes (workers must stop before their connection can).
 */
export function onTeardown(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

/** Keeps worker logs to errors: expected workflow failures would otherwise flood the output. */
function quietRuntime(): void {
  if (runtimeQuieted) return;
  runtimeQuieted = true;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
}

// Registered when this module loads, i.e. at the top level of the importing test file, so it
// runs once after every suite of the file rather than after whichever suite connected first.
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  if (envPromise) await (await envPromise).teardown();
  await ownServer?.stop();
});

/**
 * Points this test file at a Temporal server it started itself (the cluster tests' cluster)
 * instead of the shared dev server; call it before anything connects.
 */
export function useTemporalServer(address: string): void {
  if (envPromise) throw new Error('useTemporalServer: the test environment is already connected');
  chosenAddress = address;
}

/** The shared Temporal test environment (connection, client, native connection). */
export function testEnv(): Promise<TestWorkflowEnvironment> {
  envPromise ??= (async () => {
    quietRuntime();
    let address = chosenAddress ?? process.env[TEST_ENV.address];
    if (!address) {
      const cli = resolveTemporalCli({ allowSdkDownload: false });
      ownServer = await startDevServer({ executable: cli.executable! });
      address = ownServer.address;
    }
    serverAddress = address;
    return TestWorkflowEnvironment.createFromExistingServer({ address });
  })();
  return envPromise;
}

let serverAddress: string | undefined;

/** The shared dev server's address (host:port), for tools such as the temporal CLI. */
export async function testServerAddress(): Promise<string> {
  await testEnv();
  return serverAddress!;
}

/** The workflow bundle: built once by `npm test`, or once per process when run alone. */
export function workflowBundle(): Promise<{ code: string } | { codePath: string }> {
  bundlePromise ??= (async () => {
    const codePath = process.env[TEST_ENV.bundle];
    if (codePath) return { codePath };
    const { code } = await bundleWorkflowCode(workflowBundleOptions(require.resolve('./bundle')));
    return { code };
  })();
  return bundlePromise;
}

/** A unique task queue so concurrent test files never steal each other's tasks. */
export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}

/** Creates a worker on the shared server with the shared bundle. */
export async function createTestWorker(
  options: Omit<WorkerOptions, 'connection' | 'workflowBundle' | 'workflowsPath' | 'namespace'>,
): Promise<Worker> {
  const env = await testEnv();
  return Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    workflowBundle: await workflowBundle(),
    ...options,
  });
}
