/**
 * The state of one VCHA cluster as vCenter would report it, and how a scenario entry turns into
 * that state.
 */
import type { ClusterScenario, MemberScenario } from '../scenario';
import { steadyServices, type ApplianceHealth, type SimService } from './services';

/** VCHA cluster mode. */
export type ClusterMode = 'ENABLED' | 'DISABLED' | 'MAINTENANCE';
/** VCHA configuration state. */
export type ConfigState = 'CONFIGURED' | 'NOTCONFIGURED' | 'INVALID' | 'PREPARED';
/** VCHA cluster health. */
export type HealthState = 'HEALTHY' | 'DEGRADED' | 'ISOLATED';
/** Whether a cluster member is reachable. */
export type NodeState = 'UP' | 'DOWN';
/** Role of a cluster member. */
export type NodeRole = 'ACTIVE' | 'PASSIVE' | 'WITNESS';
/** The three members of a VCHA cluster. */
export type MemberName = 'node1' | 'node2' | 'witness';

/** The members in the order vCenter reports them. */
export const MEMBER_NAMES: readonly MemberName[] = ['node1', 'node2', 'witness'];

/** One member (appliance VM) of the cluster. */
export interface MemberState {
  vmName: string;
  /** Managed object id of the VM, e.g. `vm-1021`. */
  vmId: string;
  hostName: string;
  /** IPv4 address on the VCHA (heartbeat/replication) network. */
  haIp: string;
  state: NodeState;
  role: NodeRole;
  /** node1/node2: the address this node serves clients at when it becomes active (`failover_ip`), if any. */
  failoverIp?: string;
  /** node1/node2: the address clients reach the failover IP at through NAT; served in its place. */
  natAddress?: string;
}

/** Everything the VCHA API reports about a cluster, in model (camelCase) form. */
export interface ClusterState {
  mode: ClusterMode;
  configState: ConfigState;
  healthState: HealthState;
  healthException: string[];
  healthWarnings: string[];
  manualFailoverAllowed: boolean;
  autoFailoverAllowed: boolean;
  /** Operation ids listed in `operations.disabled` (either `vcenter.…` or `com.vmware.vcenter.…`). */
  disabledOperations: string[];
  members: Record<MemberName, MemberState>;
  /** The vCenter services of the active node, by service id. */
  services: Map<string, SimService>;
  /** The active node's appliance health and its last periodic check. */
  appliance: ApplianceHealth;
}

/** What a configured cluster normally lists as disabled: it is already deployed. */
const DEFAULT_DISABLED_OPERATIONS: readonly string[] = ['com.vmware.vcenter.vcha.cluster.deploy'];

/**
 * How many clusters' VCHA networks fit in 10.0.0.0/8 at four addresses each: a simulator starts its
 * clusters at a random one of them, so simulators sharing a Temporal server do not collide.
 */
export const HA_NETWORKS = 1 << 22;

/** The `ha_ip` of a member: 10.0.0.0/8, four addresses per cluster network, the member's index in it. */
function haAddress(network: number, memberIndex: number): string {
  const value = (network % HA_NETWORKS) * 4 + memberIndex + 1;
  return `10.${(value >> 16) & 255}.${(value >> 8) & 255}.${value & 255}`;
}

function defaultMember(
  clusterName: string,
  clusterIndex: number,
  member: MemberName,
  haNetworkBase: number,
): MemberState {
  const memberIndex = MEMBER_NAMES.indexOf(member);
  const serial = clusterIndex + 1;
  const vmSuffix = member === 'node1' ? '' : member === 'node2' ? '-peer' : '-witness';
  return {
    vmName: `${clusterName}${vmSuffix}`,
    vmId: `vm-${1000 + serial * 10 + memberIndex}`,
    hostName: `esx-${String(memberIndex + 1).padStart(2, '0')}.${clusterName}.lab`,
    haIp: haAddress(haNetworkBase + clusterIndex, memberIndex),
    state: 'UP',
    role: member === 'node1' ? 'ACTIVE' : member === 'node2' ? 'PASSIVE' : 'WITNESS',
  };
}

function applyMember(target: MemberState, patch: MemberScenario | undefined): void {
  if (!patch) return;
  if (patch.vmName !== undefined) target.vmName = patch.vmName;
  if (patch.vmId !== undefined) target.vmId = patch.vmId;
  if (patch.hostName !== undefined) target.hostName = patch.hostName;
  if (patch.haIp !== undefined) target.haIp = patch.haIp;
  if (patch.state !== undefined) target.state = patch.state;
  if (patch.role !== undefined) target.role = patch.role;
  if (patch.failoverIp !== undefined) target.failoverIp = patch.failoverIp;
  if (patch.natAddress !== undefined) target.natAddress = patch.natAddress;
}

/** Where the simulator serves a member once it is active: its NAT address, else its failover IP (undefined: the public address). */
export function servedAddressOf(member: MemberState): string | undefined {
  return member.natAddress ?? member.failoverIp;
}

/** Applies the state fields of a scenario entry (or a runtime patch) to `state` in place. */
export function applyStatePatch(state: ClusterState, patch: ClusterScenario): void {
  if (patch.mode !== undefined) state.mode = patch.mode;
  if (patch.configState !== undefined) state.configState = patch.configState;
  if (patch.healthState !== undefined) state.healthState = patch.healthState;
  if (patch.healthException !== undefined) state.healthException = [...patch.healthException];
  if (patch.healthWarnings !== undefined) state.healthWarnings = [...patch.healthWarnings];
  if (patch.manualFailoverAllowed !== undefined) state.manualFailoverAllowed = patch.manualFailoverAllowed;
  if (patch.autoFailoverAllowed !== undefined) state.autoFailoverAllowed = patch.autoFailoverAllowed;
  if (patch.disabledOperations !== undefined) state.disabledOperations = [...patch.disabledOperations];
  for (const member of MEMBER_NAMES) applyMember(state.members[member], patch.nodes?.[member]);
  for (const [id, change] of Object.entries(patch.services ?? {})) {
    const service = state.services.get(id);
    if (!service || !change) continue;
    if (change.startupType !== undefined) service.startupType = change.startupType;
    if (change.state !== undefined) service.state = change.state;
    if (change.health !== undefined) service.health = change.health;
  }
  if (patch.applianceHealth !== undefined) {
    state.appliance.color = patch.applianceHealth;
    state.appliance.reported = patch.applianceHealth;
  }
}

/** How long before the simulator started the appliance's last periodic health check ran. */
const LAST_CHECK_BEFORE_START_MS = 60_000;

/**
 * Builds a healthy, enabled, configured cluster, its services running and its appliance green
 * (checked a minute before `now`), and then applies the scenario entry on top.
 */
export function buildClusterState(
  clusterName: string,
  clusterIndex: number,
  scenario: ClusterScenario,
  now: number,
  haNetworkBase = 0,
): ClusterState {
  const state: ClusterState = {
    mode: 'ENABLED',
    configState: 'CONFIGURED',
    healthState: 'HEALTHY',
    healthException: [],
    healthWarnings: [],
    manualFailoverAllowed: true,
    autoFailoverAllowed: true,
    disabledOperations: [...DEFAULT_DISABLED_OPERATIONS],
    members: {
      node1: defaultMember(clusterName, clusterIndex, 'node1', haNetworkBase),
      node2: defaultMember(clusterName, clusterIndex, 'node2', haNetworkBase),
      witness: defaultMember(clusterName, clusterIndex, 'witness', haNetworkBase),
    },
    services: steadyServices(),
    appliance: { color: 'green', reported: 'green', lastCheckAt: now - LAST_CHECK_BEFORE_START_MS },
  };
  applyStatePatch(state, scenario);
  return state;
}

/** The node (node1 or node2) currently in `role`, if exactly one is. */
export function memberInRole(state: ClusterState, role: 'ACTIVE' | 'PASSIVE'): 'node1' | 'node2' | undefined {
  const matches = (['node1', 'node2'] as const).filter((m) => state.members[m].role === role);
  return matches.length === 1 ? matches[0] : undefined;
}
