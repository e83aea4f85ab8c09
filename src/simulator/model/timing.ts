/** How long each step of the simulated vCenter takes, in simulated milliseconds. */

/** Durations of the simulated operations (multiplied by the simulator's time scale). */
export interface SimTiming {
  /** Planned failover: time the active node spends flushing its state to the passive node. */
  flushMs: number;
  /** Time the API is unreachable while the vCenter service moves to the other node. */
  switchOutageMs: number;
  /** Time after the switch until the new passive node is in sync and the cluster is HEALTHY. */
  resyncMs: number;
  /** Time a new task stays PENDING before it starts RUNNING. */
  taskStartMs: number;
  /** Time until a refused failover's task ends FAILED (when refusals are reported as tasks). */
  refusalTaskMs: number;
  /** Time a cluster mode change takes. */
  modeChangeMs: number;
  /** After a switch: time each vCenter service of the new active node takes to start, one after another. */
  serviceStartMs: number;
  /** After a switch: time from the API's return until the new node's first periodic appliance health check. */
  healthCheckMs: number;
  /** With `faults.failBack`: time from the API's return until the cluster fails back by itself. */
  failBackMs: number;
}

/** Defaults close to what field reports give for a real vCenter appliance. */
export const DEFAULT_TIMING: Readonly<SimTiming> = Object.freeze({
  flushMs: 20_000,
  switchOutageMs: 150_000,
  resyncMs: 60_000,
  taskStartMs: 1_000,
  refusalTaskMs: 2_000,
  modeChangeMs: 5_000,
  // Eight services one after another: 32 s, well inside the resync, so an idle cluster has no timers.
  serviceStartMs: 4_000,
  healthCheckMs: 45_000,
  failBackMs: 60_000,
});

/** Overlays the defined fields of each override, in order, on a copy of `base`. */
export function mergeTiming(base: SimTiming, ...overrides: (Partial<SimTiming> | undefined)[]): SimTiming {
  const merged: SimTiming = { ...base };
  for (const override of overrides) {
    if (!override) continue;
    for (const key of Object.keys(merged) as (keyof SimTiming)[]) {
      const value = override[key];
      if (value !== undefined) merged[key] = value;
    }
  }
  return merged;
}
