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
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    return { peakRssKb, cpuSeconds };
  } catch {
    return undefined;
  }
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
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
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
