/**
 * The history-compatibility switches of `vchaFailover` and `vchaMaintenance`: every `patched()` id
 * the workflows call, what it gates, since which release, and when it may go. A run started before
 * a switch existed has no marker for it in its history and keeps the old steps, so its history
 * still replays.
 *
 * Removing one: first release code that calls `deprecatePatch(id)` instead of `patched(id)` and
 * keeps only the new branch; once no run started before that release can be open (the namespace's
 * retention has passed and no such run is running), delete the call and the entry. The saved
 * histories under `test/histories/` of the releases before the switch go with it.
 */

/** One switch: its marker id in history and why it exists. */
export interface Patch {
  /** The marker id `patched()` records; never renamed. */
  readonly id: string;
  /** What the new branch does that the old one did not. */
  readonly gates: string;
  /** The first release whose runs take the new branch. */
  readonly since: string;
  /** When the old branch (and then the switch) may be removed. */
  readonly removableWhen: string;
}

/** Every switch the workflow calls, by the name the code uses. */
export const PATCHES = {
  /**
   * The failover request through its own one-attempt `sendFailover` activity, with a check before
   * it; runs without the marker schedule the combined `triggerFailover` (the legacy path).
   */
  sendFailoverOnce: {
    id: 'send-failover-once',
    gates: 'the one-attempt sendFailover activity (check, send once, confirm a refusal) instead of triggerFailover',
    since: '0.1.x (after 0.1.0; histories test/histories/0.1.0/send-once-*)',
    removableWhen:
      'no run started by 0.1.0 can be open; then triggerFailover, the legacy path and the 0.1.0 histories without the marker go too',
  },
  /**
   * A 5xx refusal confirmed by one read waits the no-sign window before `FailoverFailed`; runs
   * without the marker ended at once on it.
   */
  refusal5xxWaitsNoSign: {
    id: 'refusal-5xx-waits-no-sign',
    gates: 'a confirmed 5xx refusal is followed through the no-sign window before FailoverFailed',
    since: '0.2.0',
    removableWhen: 'no run started by a 0.1.x build can be open (test/histories/0.1.0/send-once-refused.json)',
  },
  /**
   * The cluster's lock and send ledger (`vchaClusterLedger`, keyed by the cluster's identity)
   * instead of the per-target `vchaTargetLock` child: acquire after preflight, claim before the
   * request, finish at the end. `vchaMaintenance` calls it too, for its own hold of the cluster.
   */
  clusterLedger: {
    id: 'cluster-ledger',
    gates: 'the per-cluster lock and send ledger (acquire, claim, finish) instead of the vchaTargetLock child',
    since: '0.3.0',
    removableWhen:
      'no run started by a 0.2.x build can be open; then holdTarget, vchaTargetLock and describeTargetLock go too (keep vchaTargetLock registered one release longer for locks still open)',
  },
  /**
   * Only a refusal whose vAPI error type proves vCenter refused before starting (401
   * UNAUTHENTICATED, 403 UNAUTHORIZED) ends the run at once; every other one is followed, and a
   * whole no-sign window after it ends FailoverOutcomeUnknown. Runs without the marker ended any 4xx
   * at once and a 5xx FailoverFailed after the window.
   */
  refusalNeedsProof: {
    id: 'refusal-needs-proof',
    gates:
      'only a refusal whose error type proves vCenter refused before starting ends the run at once; after any other, no sign for the whole window ends FailoverOutcomeUnknown instead of FailoverFailed',
    since: '0.3.0',
    removableWhen: 'no run started by a 0.2.x build can be open (test/histories/0.2.0/refused.json)',
  },
  /**
   * `vchaMaintenance` puts the cluster in MAINTENANCE mode before its first leg and restores the
   * original mode after the failback (VMware's patch order); runs without the marker leave the
   * mode alone.
   */
  maintenanceMode: {
    id: 'maintenance-mode',
    gates:
      'vchaMaintenance sets MAINTENANCE mode (setClusterMode) before the first leg and restores the original mode after the failback',
    since: '0.3.x (after 0.3.0)',
    removableWhen: 'no vchaMaintenance run started by a 0.3.0 or older build can be open',
  },
  /**
   * The stability period: the follow activity gets `stableForMs` (`deadlines.stable`) and says
   * verified only once the new roles held that long, ending flipped-back when the old active node
   * is ACTIVE again (FailoverFlippedBack). Runs without the marker end SUCCEEDED at the first proof.
   * Asked in the first activation, so the marker is the second event of the first workflow task.
   */
  stableResult: {
    id: 'stable-result',
    gates:
      'SUCCEEDED only after the new roles held for deadlines.stable; a fail back by itself after the switch ends FailoverFlippedBack',
    since: 'after 0.3.0 (the 0.3.0 histories under test/histories/0.3.0/ have no marker)',
    removableWhen: 'no run started by a 0.3.x build can be open (test/histories/0.3.0/*)',
  },
  /**
   * The readiness gate: the follow activity gets `readiness` (`deadlines.ready` and the gates the
   * input skips) and says verified only once vCenter also serves (vAPI, vpxd, services, appliance
   * health), ending not-ready (VcenterNotReady) when it does not in time. Runs without the marker
   * end on the cluster proof. Asked in the first activation, beside `stable-result`.
   */
  readinessGate: {
    id: 'readiness-gate',
    gates:
      'SUCCEEDED only once vCenter serves after the switch (vAPI, vpxd, AUTOMATIC services, appliance health) within deadlines.ready; otherwise VcenterNotReady',
    since: 'after 0.3.0 (histories without the marker: test/histories/0.3.0/*)',
    removableWhen: 'no run started by a build without the readiness gate can be open',
  },
} as const satisfies Record<string, Patch>;
