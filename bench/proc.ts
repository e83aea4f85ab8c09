/** Reads processes' memory and CPU time from /proc (Linux), for benchmarks. */
import { readdirSync, readFileSync } from 'node:fs';

/** One reading. */
export interface ProcessSample {
  /** Peak resident set size so far (VmHWM), KiB. */
  peakRssKb: number;
  /** User + system CPU time so far, seconds. */
  cpuSeconds: number;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** Samples `pid`; undefined when it is gone or /proc is unavailable. */
export function sampleProcess(pid: number): ProcessSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const peakRssKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { peakRssKb, cpuSeconds: cpuSecondsIn(`/proc/${pid}/stat`) };
  } catch {
    return undefined;
  }
}

/** The fields of a stat file after the parenthesised command name (which may hold spaces). */
function statFieldsIn(statPath: string): string[] {
  const stat = readFileSync(statPath, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU seconds of a process or thread: utime and stime, the stat file's 14th and 15th fields. */
function cpuSecondsIn(statPath: string): number {
  const fields = statFieldsIn(statPath);
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** A process and its descendants together (PostgreSQL's postmaster and its backends). */
export interface TreeSample {
  /** CPU seconds of the process, of its live descendants, and of the children it has reaped. */
  cpuSeconds: number;
  /** Proportional set size summed over the tree (shared memory counted once overall), KiB. */
  pssKb: number;
}

function statFields(pid: number): string[] | undefined {
  try {
    return statFieldsIn(`/proc/${pid}/stat`);
  } catch {
    return undefined;
  }
}

/** Every live descendant of `pid`, from the parent ids in /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = Number(statFields(Number(entry))?.[1]);
    if (Number.isFinite(parent)) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function pssKb(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Samples `pid` with its descendants; undefined when it is gone. */
export function sampleProcessTree(pid: number): TreeSample | undefined {
  const own = statFields(pid);
  if (!own) return undefined;
  // utime, stime, cutime, cstime: the 14th to 17th fields.
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  let pss = pssKb(pid);
  for (const child of descendants(pid)) {
    const fields = statFields(child);
    if (fields) ticks += Number(fields[11]) + Number(fields[12]);
    pss += pssKb(child);
  }
  return { cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND, pssKb: pss };
}

/** CPU seconds of one process's threads at one moment, by thread id, with each thread's name. */
export interface ThreadSample {
  /** The process's own CPU time, threads that already exited included. */
  totalSeconds: number;
  threads: Map<number, { name: string; cpuSeconds: number }>;
}

/** Reads every live thread of `pid` under `procRoot`; undefined when the process is gone. */
export function sampleThreads(pid: number, procRoot = '/proc'): ThreadSample | undefined {
  try {
    const totalSeconds = cpuSecondsIn(`${procRoot}/${pid}/stat`);
    const threads = new Map<number, { name: string; cpuSeconds: number }>();
    for (const tid of readdirSync(`${procRoot}/${pid}/task`)) {
      try {
        const name = readFileSync(`${procRoot}/${pid}/task/${tid}/comm`, 'utf8').trim();
        threads.set(Number(tid), { name, cpuSeconds: cpuSecondsIn(`${procRoot}/${pid}/task/${tid}/stat`) });
      } catch {
        // The thread exited between the listing and the read: counted with the exited ones.
      }
    }
    return { totalSeconds, threads };
  } catch {
    return undefined;
  }
}

/**
 * Where a process's CPU went between two samples, by the kernel's per-thread accounting. Unlike a
 * sampling profiler, which charges a thread for the time it waits inside a call, this counts only
 * time on a core.
 */
export interface ThreadCpu {
  /** The main JavaScript thread (its id is the process id): activities, the client, the SDK's bridge. */
  mainThread: number;
  /** Temporal Core's Rust threads (named tokio-…, workflow-proc…, temporal-…). */
  coreThreads: number;
  /**
   * Every other thread that used at least 0.1 s, most first: the workflow threads (one per
   * Worker), V8's platform threads (garbage collection, compilation) and libuv's pool. Linux names
   * them all after the executable, so they are told apart by their figures, not their names.
   */
  otherThreads: number[];
  /** Threads that started and ended between the samples (short-lived helpers), together. */
  exitedThreads: number;
}

const CORE_THREAD = /^(tokio-|workflow-proc|temporal-)/;

/** The split of {@link ThreadCpu} between `before` and `after` of process `pid`. */
export function threadCpuBetween(pid: number, before: ThreadSample, after: ThreadSample): ThreadCpu {
  const round = (seconds: number) => Math.round(seconds * 10) / 10;
  let mainThread = 0;
  let coreThreads = 0;
  let live = 0;
  const others: number[] = [];
  for (const [tid, { name, cpuSeconds }] of after.threads) {
    const used = cpuSeconds - (before.threads.get(tid)?.cpuSeconds ?? 0);
    live += used;
    if (tid === pid) mainThread = used;
    else if (CORE_THREAD.test(name)) coreThreads += used;
    else if (used >= 0.1) others.push(used);
  }
  // Threads alive at `before` but gone at `after` took their time with them, as did those that came
  // and went between: both are in the process total and in no live thread.
  return {
    mainThread: round(mainThread),
    coreThreads: round(coreThreads),
    otherThreads: others.sort((a, b) => b - a).map(round),
    exitedThreads: round(Math.max(0, after.totalSeconds - before.totalSeconds - live)),
  };
}
