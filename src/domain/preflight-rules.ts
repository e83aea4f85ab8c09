/**
 * The documented conditions for a VCHA failover, evaluated all at once so a rejection can list
 * every broken rule instead of the first. Pure: used by the preflight activity and unit tests.
 */
import type { ClusterSnapshot, PreflightCheck } from '../contract/cluster';

export type { PreflightCheck } from '../contract/cluster';

const MEMBER_SLOTS = ['node1', 'node2', 'witness'] as const;

/** Evaluates every rule of the failover contract against a snapshot taken with the operations. */
export function evaluatePreflight(snapshot: ClusterSnapshot, planned: boolean): PreflightCheck[] {
  const checks: PreflightCheck[] = [];
  const check = (id: string, ok: boolean, detail: string) => checks.push({ id, ok, detail });

  check(
    'mode',
    snapshot.mode === 'ENABLED' || snapshot.mode === 'MAINTENANCE',
    `mode is ENABLED or MAINTENANCE (saw ${snapshot.mode ?? 'nothing'})`,
  );
  check(
    'config-state',
    snapshot.configState === 'CONFIGURED',
    `config_state is CONFIGURED (saw ${snapshot.configState ?? 'nothing'})`,
  );
  for (const slot of MEMBER_SLOTS) {
    const member = snapshot.members.find((m) => m.slot === slot);
    check(
      `${slot}-up`,
      member?.state === 'UP',
      `${slot} is UP (saw ${member ? (member.state ?? 'no state') : 'no ' + slot})`,
    );
  }
  const nodes = snapshot.members.filter((m) => m.slot !== 'witness');
  const roles = nodes.map((m) => m.role ?? 'no role').sort();
  check(
    'roles',
    snapshot.activeNode !== undefined && snapshot.passiveNode !== undefined,
    `one node is ACTIVE and one PASSIVE (saw ${roles.length ? roles.join(' and ') : 'no nodes'})`,
  );
  check(
    'manual-failover-allowed',
    snapshot.manualFailoverAllowed !== false,
    'manual_failover_allowed is not false' + (snapshot.manualFailoverAllowed === false ? ' (saw false)' : ''),
  );
  check(
    'failover-not-disabled',
    snapshot.failoverDisabled === false,
    snapshot.failoverDisabled === undefined
      ? 'the failover operation is not disabled (operations could not be read)'
      : 'the failover operation is not listed in operations.disabled' + (snapshot.failoverDisabled ? ' (it is)' : ''),
  );
  check(
    'no-failover-running',
    snapshot.failoverRunning !== true,
    'no failover is already running' + (snapshot.failoverRunning ? ' (operations.active lists one)' : ''),
  );
  if (planned) {
    check(
      'healthy',
      snapshot.healthState === 'HEALTHY',
      `a planned failover needs health_state HEALTHY (saw ${snapshot.healthState ?? 'nothing'})`,
    );
  }
  return checks;
}

/** The failed checks only, in evaluation order. */
export function failedChecks(checks: PreflightCheck[]): PreflightCheck[] {
  return checks.filter((c) => !c.ok);
}

/** What the run's input asks of the cluster beyond the failover contract. */
export interface InputRules {
  /** Fail over only away from this node (a maintenance run's failback sets it). */
  expectedActive?: string;
}

/**
 * The rules that depend on the run's input, one verdict each (none when the input asks nothing).
 * Evaluated by the workflow on the preflight report, since the preflight activity never sees them.
 */
export function evaluateInputRules(snapshot: ClusterSnapshot, rules: InputRules): PreflightCheck[] {
  if (rules.expectedActive === undefined) return [];
  return [
    {
      id: 'expected-active',
      ok: snapshot.activeNode === rules.expectedActive,
      detail: `${rules.expectedActive} is ACTIVE (saw ${snapshot.activeNode ?? 'no ACTIVE node'})`,
    },
  ];
}
