/**
 * The health endpoint on a real worker process (`src/worker.ts` with `VCHA_HEALTH_ADDR`): liveness
 * answers from the start; readiness says "not ready" while the worker cannot reach Temporal, and
 * "ready" once it polls its task queue.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from '../../src/devtools/dev-server';
import { testEnv, uniqueTaskQueue } from '../harness/temporal';
import { spawnWorker, type WorkerProcess } from '../workflows/worker-process';

/**
 * A loopback door in front of the Temporal server: connections wait, unanswered, until `open()`,
 * then pass through whole. While it is shut the worker is up but cannot reach Temporal.
 */
async function startDoor(backend: string): Promise<{ address: string; open(): void; close(): void }> {
  const waiting: Socket[] = [];
  const sockets = new Set<Socket>();
  let isOpen = false;
  const [host, port] = [
    backend.slice(0, backend.lastIndexOf(':')),
    Number(backend.slice(backend.lastIndexOf(':') + 1)),
  ];
  const pass = (client: Socket) => {
    const upstream = connect(port, host);
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  };
  const server = createServer((client) => {
    sockets.add(client);
    if (isOpen) pass(client);
    else {
      client.pause();
      waiting.push(client);
    }
  });
  const listenPort = await freePort();
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${listenPort}`,
    open: () => {
      isOpen = true;
      for (const client of waiting.splice(0)) {
        pass(client);
        client.resume();
      }
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** GETs a path of the health endpoint: status and JSON body. */
async function probe(address: string, pathName: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://${address}${pathName}`, { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Waits until the endpoint answers at all (the process is starting). */
async function firstAnswer(address: string, worker: WorkerProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await probe(address, '/livez');
      return;
    } catch (error) {
      if (worker.child.exitCode !== null) assert.fail(`the worker exited:\n${worker.output()}`);
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('health endpoint', () => {
  it('is live from the start, not ready until the worker polls, and ready once it does', async () => {
    const env = await testEnv();
    const door = await startDoor(env.address);
    cleanups.push(() => door.close());
    const dir = mkdtempSync(path.join(tmpdir(), 'vcha-health-'));
    const targetsFile = path.join(dir, 'targets.json');
    writeFileSync(
      targetsFile,
      JSON.stringify({
        targets: { vc01: { url: 'https://127.0.0.1:1', username: 'svc', passwordEnv: 'VC01_PASSWORD' } },
      }),
    );
    const health = `127.0.0.1:${await freePort()}`;
    const worker = await spawnWorker({
      taskQueue: uniqueTaskQueue('health'),
      targetsFile,
      address: door.address,
      env: { VCHA_HEALTH_ADDR: health, VC01_PASSWORD: 'vc01-Pa55word!' },
    });
    cleanups.push(() => worker.kill());
    await firstAnswer(health, worker);

    // Temporal unreachable: alive, not ready, for as long as that lasts.
    for (let i = 0; i < 3; i += 1) {
      assert.deepEqual(await probe(health, '/livez'), { status: 200, body: { status: 'live' } });
      const notReady = await probe(health, '/readyz');
      assert.equal(notReady.status, 503);
      assert.equal(notReady.body.status, 'not ready');
      await new Promise((resolve) => setTimeout(resolve, 300));
    }

    door.open();
    await worker.ready;
    const deadline = Date.now() + 30_000;
    let ready = await probe(health, '/readyz');
    while (ready.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = await probe(health, '/readyz');
    }
    assert.deepEqual(ready, {
      status: 200,
      body: { status: 'ready', runState: 'RUNNING', workflowPollerState: 'POLLING', activityPollerState: 'POLLING' },
    });
    assert.equal((await probe(health, '/livez')).status, 200);
    assert.equal((await probe(health, '/nope')).status, 404);
  });
});
