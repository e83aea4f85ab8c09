/**
 * The benchmark gate's limits: the figures of `npm run bench:gate` (N = 100 on the dev server, poll
 * 1 s) that fail CI when crossed. Only figures that do not depend on how busy the machine is are
 * gated; timings are printed, never gated (two cores shared with the server and the simulator make
 * them vary by a third between runs).
 */

/** What the gate checks, for one fleet size. */
export interface BenchLimits {
  /** Failovers started at once. */
  clusters: number;
  /** Most history events of any run. */
  historyEventsMax: number;
  /** Most vCenter requests of any run in one poll interval from the failover request on, logins apart. */
  requestsPerPollIntervalWhileFollowingMax: number;
  /** Most sessions any run created. */
  loginsPerRunMax: number;
  /** Most readiness gate requests of any run (the vpxd read, the services, the appliance's last check and color). */
  readinessRequestsPerRunMax: number;
  /** The worker process's peak RSS (MB), with headroom over the measured figure. */
  workerPeakRssMb: number;
}

/**
 * The committed limits. History events: a planned failover through its outage has 41 (BENCHMARKS.md);
 * 42 leaves one event of slack, not a new activity. One request per poll interval while following
 * is the product's promise. Two logins: the first, and one on the new node after the switch.
 * Readiness gate requests: 4 when vCenter serves by the time each gate asks (the vpxd read, the
 * services, the last check, the color; measured 4 at N = 100 and 1000), one more each time a gate
 * must ask again; 6 lets two gates ask again, while a gate asking at every poll of the stability
 * period (12 polls) fails. Peak RSS: measured 374, 377, 386 and 395 MB at N = 100 on this
 * machine's two cores since the workflow modules are shared between runs (490–522 MB before), and
 * single runs differ by up to 8 %; the limit is the highest figure plus 15 %, so a regression of a
 * fifth fails while noise does not.
 */
export const BENCH_LIMITS: BenchLimits = {
  clusters: 100,
  historyEventsMax: 42,
  requestsPerPollIntervalWhileFollowingMax: 1,
  loginsPerRunMax: 2,
  readinessRequestsPerRunMax: 6,
  workerPeakRssMb: 455,
};
