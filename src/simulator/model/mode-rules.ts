/**
 * Which cluster mode changes vCenter allows, as the summary of `PUT /api/vcenter/vcha/cluster/mode`
 * in `vcenter-vcha-7.0.3.json` lists them: enabled → disabled in a healthy or degraded cluster,
 * enabled → maintenance, disabled → enabled, maintenance → enabled and maintenance → disabled only
 * in a healthy one (the simulated nodes always run the same version); all other transitions are not
 * allowed. Setting the mode the cluster already has is allowed in any state: it changes nothing.
 */
import type { ClusterMode, HealthState } from './cluster-state';
import { localizable, type LocalizableMessage } from './vapi-errors';

/** The health states each allowed transition needs, keyed `from->to`. */
const ALLOWED: Readonly<Record<string, readonly HealthState[]>> = {
  'ENABLED->DISABLED': ['HEALTHY', 'DEGRADED'],
  'ENABLED->MAINTENANCE': ['HEALTHY'],
  'DISABLED->ENABLED': ['HEALTHY'],
  'MAINTENANCE->ENABLED': ['HEALTHY'],
  'MAINTENANCE->DISABLED': ['HEALTHY'],
};

/** Why the mode cannot change from `from` to `to` in `health`, or undefined when it can. */
export function modeChangeBlocker(
  from: ClusterMode,
  to: ClusterMode,
  health: HealthState,
): LocalizableMessage | undefined {
  if (from === to) return undefined;
  const needs = ALLOWED[`${from}->${to}`];
  if (!needs) {
    return localizable(
      'com.vmware.vcenter.vcha.mode.transition_not_allowed',
      `The VCHA cluster mode cannot change from ${from} to ${to}.`,
      [from, to],
    );
  }
  if (needs.includes(health)) return undefined;
  return localizable(
    'com.vmware.vcenter.vcha.mode.transition_needs_health',
    `The VCHA cluster mode can change from ${from} to ${to} only when the cluster is ${needs.join(' or ')}; it is ${health}.`,
    [from, to, health],
  );
}
