/** Reads a process's peak resident memory and CPU time from /proc (Linux), for benchmarks. */
import { readFileSync } from 'node:fs';

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
