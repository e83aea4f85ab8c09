/** The worker's CPU by thread: read from a /proc tree, and split into main, Core, other and exited threads. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { sampleThreads, threadCpuBetween } from '../../bench/proc';

const PID = 4242;

/** A stat line whose utime and stime (fields 14 and 15) come to `ticks`; the name holds a space and a parenthesis. */
function statLine(pid: number, ticks: number): string {
  const fields = ['S', '1', '1', '1', '0', '-1', '0', '0', '0', '0', '0', String(ticks - 1), '1', '0', '0'];
  return `${pid} (node (x) y) ${fields.join(' ')} 20 0 1 0 0\n`;
}

/** A fake /proc with the process's total and its live threads, each `[tid, name, ticks]`. */
function procTree(totalTicks: number, threads: [number, string, number][]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'proc-'));
  mkdirSync(path.join(root, String(PID), 'task'), { recursive: true });
  writeFileSync(path.join(root, String(PID), 'stat'), statLine(PID, totalTicks));
  for (const [tid, name, ticks] of threads) {
    const dir = path.join(root, String(PID), 'task', String(tid));
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'comm'), `${name}\n`);
    writeFileSync(path.join(dir, 'stat'), statLine(tid, ticks));
  }
  return root;
}

describe('worker CPU by thread', () => {
  const roots: string[] = [];
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));
  const sample = (totalTicks: number, threads: [number, string, number][]) => {
    const root = procTree(totalTicks, threads);
    roots.push(root);
    return sampleThreads(PID, root)!;
  };

  it('reads each live thread with its name and CPU seconds, and the process total', () => {
    const read = sample(500, [
      [PID, 'node', 300],
      [PID + 1, 'tokio-runtime-w', 150],
    ]);
    assert.equal(read.totalSeconds, 5);
    assert.deepEqual(read.threads.get(PID), { name: 'node', cpuSeconds: 3 });
    assert.deepEqual(read.threads.get(PID + 1), { name: 'tokio-runtime-w', cpuSeconds: 1.5 });
  });

  it('is undefined for a process that is gone', () => {
    assert.equal(sampleThreads(PID, path.join(tmpdir(), 'no-such-proc-root')), undefined);
  });

  it('splits the CPU used between two samples into main, Core, other and exited threads', () => {
    const before = sample(1_000, [
      [PID, 'node', 400],
      [PID + 1, 'tokio-runtime-w', 100],
      [PID + 2, 'workflow-proces', 50],
      [PID + 3, 'node', 200],
      [PID + 4, 'node', 100],
      [PID + 9, 'node', 100], // exits before the second sample, after using 0.5 s more
    ]);
    const later = sample(6_000, [
      [PID, 'node', 2_400], // +20 s
      [PID + 1, 'tokio-runtime-w', 600], // +5 s
      [PID + 2, 'workflow-proces', 350], // +3 s
      [PID + 3, 'node', 1_200], // +10 s
      [PID + 4, 'node', 105], // +0.05 s: below the listing's threshold
      [PID + 5, 'node', 800], // started between the samples: +8 s
      [PID + 6, 'temporal-real-s', 100], // +1 s
    ]);
    // 50 s in all; live threads account for 20 + 5 + 3 + 10 + 0.05 + 8 + 1 = 47.05 s.
    assert.deepEqual(threadCpuBetween(PID, before, later), {
      mainThread: 20,
      coreThreads: 9,
      otherThreads: [10, 8],
      exitedThreads: 3,
    });
  });
});
