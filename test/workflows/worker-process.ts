/**
 * Runs the real worker entry point (`src/worker.ts`) as a child process, configured the way users
 * configure it (environment variables), so tests can SIGKILL and restart it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stopProcess } from '../../src/devtools/dev-server';
import { TEST_ENV } from '../harness/env';
import { testEnv, workflowBundle } from '../harness/temporal';

const root = path.resolve(__dirname, '..', '..');

/** A worker process; `ready` resolves once it has connected and created its worker. */
export interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `src/worker.ts` for a task queue and targets file. */
export async function spawnWorker(options: {
  taskQueue: string;
  targetsFile: string;
  env?: Record<string, string>;
  /** The Temporal server to connect to; the shared test server by default. */
  address?: string;
}): Promise<WorkerProcess & { auditDb: string }> {
  // Each worker process gets its own audit file unless the test chooses one: never the repo's .data/.
  const auditDb =
    options.env?.VCHA_AUDIT_DB ?? path.join(mkdtempSync(path.join(tmpdir(), 'vcha-audit-')), 'audit.sqlite');
  const env = await testEnv();
  const bundle = await workflowBundle();
  const bundlePath = 'codePath' in bundle ? bundle.codePath : process.env[TEST_ENV.bundle];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: options.address ?? env.address,
      TEMPORAL_NAMESPACE: 'default',
      VCHA_TASK_QUEUE: options.taskQueue,
      VCHA_TARGETS_FILE: options.targetsFile,
      VCHA_AUDIT_DB: auditDb,
      ...(bundlePath ? { VCHA_WORKFLOW_BUNDLE: bundlePath } : {}),
      ...options.env,
    },
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const ready = new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (output.includes('vcha-failover worker: task queue')) resolve();
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) =>
      reject(new Error(`worker exited (${code ?? signal}) before ready:\n${output}`)),
    );
  });
  return {
    auditDb,
    child,
    ready,
    output: () => output,
    kill: async (signal: NodeJS.Signals = 'SIGKILL') => {
      // Killing a worker twice (a test's kill, then its teardown) must not wait for a second exit.
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (signal === 'SIGKILL') {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      } else {
        await stopProcess(child);
      }
    },
  };
}
