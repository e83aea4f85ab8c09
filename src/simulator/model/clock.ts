/**
 * Simulated time: every duration in the simulator is written in "simulated" milliseconds (close
 * to what a real vCenter takes) and multiplied by a time scale before it becomes a real timer.
 */

/** Converts simulated durations into real ones and creates timers that honour the time scale. */
export class SimClock {
  /** Multiplier applied to every simulated duration (0.01 turns 150 s into 1.5 s). */
  readonly timeScale: number;

  constructor(timeScale = 1) {
    if (!Number.isFinite(timeScale) || timeScale <= 0) {
      throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
    }
    this.timeScale = timeScale;
  }

  /** Wall-clock time in epoch milliseconds (timestamps on the wire are real). */
  now(): number {
    return Date.now();
  }

  /** Real milliseconds that a simulated duration lasts. */
  toRealMs(simulatedMs: number): number {
    return Math.max(0, simulatedMs * this.timeScale);
  }
}

/**
 * A set of pending timers owned by one cluster, so a reset or shutdown can cancel everything the
 * cluster scheduled. Timers exist only while something is in progress; an idle cluster has none.
 */
export class TimerGroup {
  private readonly pending = new Set<NodeJS.Timeout>();

  constructor(private readonly clock: SimClock) {}

  /** Runs `action` after `simulatedMs` of simulated time. */
  after(simulatedMs: number, action: () => void): void {
    this.afterReal(this.clock.toRealMs(simulatedMs), action);
  }

  /** Runs `action` after `realMs` real milliseconds (for faults that exercise the client's own clock). */
  afterReal(realMs: number, action: () => void): void {
    const handle = setTimeout(() => {
      this.pending.delete(handle);
      action();
    }, realMs);
    this.pending.add(handle);
  }

  /** Cancels every pending timer. */
  clear(): void {
    for (const handle of this.pending) clearTimeout(handle);
    this.pending.clear();
  }

  /** Number of timers still pending (zero when the cluster is idle). */
  get size(): number {
    return this.pending.size;
  }
}

/** Resolves after `realMs` real milliseconds. */
export function sleepReal(realMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, realMs));
}
