/**
 * The cluster-mode decisions of a `vchaMaintenance` run, as plain functions: VMware's patch
 * procedure puts the VCHA cluster in MAINTENANCE mode first (manual failover still allowed,
 * automatic failover off, so VCHA does not fail over by itself while nodes are patched) and
 * restores the mode at the end. These decide which mode to set, whether to restore it, and what
 * the run says when it leaves the cluster in MAINTENANCE or cannot restore the mode.
 */
import type { FailureType, MaintenanceLeg, MaintenanceModeChange } from '../../contract';
// The module itself, not the contract's index (which loads the workflow API): this module loads none.
import { CLUSTER_MODE_SET, type ClusterMode } from '../../contract/cluster';

/** The vSphere Client's choice under Configure > vCenter HA > Edit that sets each mode. */
const UI_CHOICE: Record<ClusterMode, string> = {
  ENABLED: 'Enable vCenter HA',
  MAINTENANCE: 'Maintenance Mode',
  DISABLED: 'Disable vCenter HA',
};

/** How to set `mode` by hand: the exact API call and the vSphere Client step. */
export function howToSetMode(target: string, mode: ClusterMode): string {
  return (
    `${CLUSTER_MODE_SET.request} with body {"mode": "${mode}"} on ${target} (needs ${CLUSTER_MODE_SET.privilege}), ` +
    `or in the vSphere Client: the vCenter Server of ${target} > Configure > vCenter HA > Edit > ${UI_CHOICE[mode]}`
  );
}

/** The end of a run that could not put the cluster in MAINTENANCE: before any leg, so nothing was sent. */
export function enterFailedEnd(
  target: string,
  failureType: string | undefined,
  why: string,
): { outcome: FailureType; message: string } {
  return {
    outcome: failureType === 'NotAuthorized' ? 'NotAuthorized' : 'PreflightRejected',
    message: `could not put ${target} in MAINTENANCE mode before the failover (${why}): nothing was sent and the mode is unchanged`,
  };
}

/** What the run does with the mode at its end. */
export type ModeAtEnd =
  { action: 'none'; note?: string } | { action: 'restore'; mode: ClusterMode } | { action: 'leave'; note: string };

/**
 * Whether and how the run sets the original mode again. Only a mode the run itself changed is
 * restored; and only when the cluster is back where the run found it (the failback succeeded) or
 * was never moved (the first leg sent nothing). Otherwise the cluster is left in MAINTENANCE, so
 * VCHA does not fail it over by itself before someone has looked, and the run says how to restore.
 */
export function modeAtEnd(
  target: string,
  changes: readonly MaintenanceModeChange[],
  legs: readonly MaintenanceLeg[],
): ModeAtEnd {
  const enter = changes.find((change) => change.step === 'enter');
  if (enter?.from === undefined || enter.result === 'failed') return { action: 'none' };
  if (enter.result === 'unchanged') {
    // Set by hand, or by an earlier run of this workflow id (a Reset): either way not this run's to undo.
    return {
      action: 'none',
      note: `${target} was already in ${enter.from} mode when this run began, so it stays so (nothing to restore)`,
    };
  }
  const [first, back] = legs;
  const neverMoved = first === undefined || first.triggered === undefined || first.triggered === 'no';
  if (neverMoved || back?.outcome === 'SUCCEEDED') return { action: 'restore', mode: enter.from };
  return {
    action: 'leave',
    note: `${target} was left in MAINTENANCE mode (automatic failover off); once it is on the node it should be, restore ${enter.from} with ${howToSetMode(target, enter.from)}`,
  };
}

/**
 * The end after the restore: a run that restored the mode keeps its end and says so; one that
 * could not restore it says the cluster was left in MAINTENANCE and how to restore it by hand. A
 * run that would have SUCCEEDED ends `ModeNotRestored` instead: its cluster is not as it found it.
 */
export function endAfterRestore<E extends { outcome: 'SUCCEEDED' | FailureType; message: string }>(
  target: string,
  end: E,
  mode: ClusterMode,
  failure?: string,
): { outcome: 'SUCCEEDED' | FailureType; message: string } {
  if (failure === undefined) return { outcome: end.outcome, message: `${end.message}; ${mode} mode restored` };
  return {
    outcome: end.outcome === 'SUCCEEDED' ? 'ModeNotRestored' : end.outcome,
    message:
      `${end.message}; but the mode could not be restored to ${mode} (${failure}): ${target} was left in ` +
      `MAINTENANCE mode (automatic failover off); restore it with ${howToSetMode(target, mode)}`,
  };
}

/** The record of one mode step. */
export function modeChange(
  step: MaintenanceModeChange['step'],
  at: string,
  outcome:
    | { from: ClusterMode; to: ClusterMode; changed: boolean; taskId?: string }
    | { from?: ClusterMode; to: ClusterMode; failure: string },
): MaintenanceModeChange {
  if ('failure' in outcome) {
    const from = outcome.from !== undefined ? { from: outcome.from } : {};
    return { step, ...from, to: outcome.to, result: 'failed', message: outcome.failure, at };
  }
  return {
    step,
    from: outcome.from,
    to: outcome.to,
    result: outcome.changed ? 'set' : 'unchanged',
    ...(outcome.taskId !== undefined ? { taskId: outcome.taskId } : {}),
    at,
  };
}
