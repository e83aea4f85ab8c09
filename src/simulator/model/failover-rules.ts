/**
 * When a failover is allowed: the mode is ENABLED or MAINTENANCE and all cluster members are
 * present (configured, all UP, one ACTIVE and one PASSIVE node, manual failover allowed, and the
 * failover operation not disabled).
 */
import { isFailoverOperationId, VCHA_FAILOVER_OPERATION_ID_QUALIFIED } from '../../vcenter/operations';
import { MEMBER_NAMES, type ClusterState } from './cluster-state';
import { localizable, type LocalizableMessage } from './vapi-errors';

/** One reason a failover cannot run now. */
export interface FailoverBlocker {
  /** Short machine-friendly code, e.g. `member-down`. */
  code:
    | 'mode-disabled'
    | 'not-configured'
    | 'member-down'
    | 'roles-invalid'
    | 'manual-failover-not-allowed'
    | 'operation-disabled'
    | 'failover-in-progress';
  message: LocalizableMessage;
}

/**
 * Everything that currently prevents a failover; empty when it may run.
 * `manualFailoverAllowed` is the value the API reports right now (false while resyncing).
 */
export function failoverBlockers(
  state: ClusterState,
  manualFailoverAllowed: boolean,
  failoverInProgress: boolean,
): FailoverBlocker[] {
  const blockers: FailoverBlocker[] = [];
  const add = (code: FailoverBlocker['code'], text: string, args: string[] = []): void => {
    blockers.push({ code, message: localizable(`com.vmware.vcenter.vcha.failover.${code}`, text, args) });
  };
  if (state.mode === 'DISABLED') add('mode-disabled', 'The VCHA cluster mode is DISABLED.', [state.mode]);
  if (state.configState !== 'CONFIGURED') {
    add('not-configured', `The VCHA cluster is not configured (config state ${state.configState}).`, [
      state.configState,
    ]);
  }
  for (const member of MEMBER_NAMES) {
    if (state.members[member].state === 'DOWN') add('member-down', `Cluster member ${member} is DOWN.`, [member]);
  }
  const roles = [state.members.node1.role, state.members.node2.role].sort().join(',');
  if (roles !== 'ACTIVE,PASSIVE' || state.members.witness.role !== 'WITNESS') {
    add('roles-invalid', 'The cluster does not have one ACTIVE node, one PASSIVE node and a witness.');
  }
  if (!manualFailoverAllowed) add('manual-failover-not-allowed', 'Manual failover is not allowed on this cluster.');
  if (state.disabledOperations.some(isFailoverOperationId)) {
    add('operation-disabled', 'The failover operation is disabled.', [VCHA_FAILOVER_OPERATION_ID_QUALIFIED]);
  }
  if (failoverInProgress) add('failover-in-progress', 'A failover is already in progress.');
  return blockers;
}
