/** The worker process: refuses an invalid targets file, and stops cleanly on SIGTERM. */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { uniqueTaskQueue } from '../harness/temporal';
import { startLab } from '../harness/lab';
import { spawnWorker } from './worker-process';

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('worker process', () => {
  it('refuses to start on an invalid targets file, naming the target and field', async () => {
    const file = path.join(tmpdir(), `targets-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        targets: {
          'vc-lab-01': { url: 'https://vc01.example.com', username: 'a', passwordEnv: 'VCHA_NOT_SET_ANYWHERE' },
        },
      }),
    );
    const worker = await spawnWorker({ taskQueue: uniqueTaskQueue(), targetsFile: file });
    worker.ready.catch(() => undefined);
    assert.equal(await exitOf(worker.child), 1);
    assert.match(worker.output(), /targets\.vc-lab-01\.passwordEnv: variable VCHA_NOT_SET_ANYWHERE is not set/);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const lab = await startLab({ clusters: { idle: {} }, runWorker: false });
    const worker = await spawnWorker({ taskQueue: lab.taskQueue, targetsFile: lab.targetsFile, env: lab.targetsEnv });
    await worker.ready;
    const started = Date.now();
    worker.child.kill('SIGTERM');
    assert.equal(await exitOf(worker.child), 0);
    assert.ok(Date.now() - started < 20_000);
  });
});
