/** Renders the cluster model as VcenterVchaClusterInfo and friends (snake_case, per swagger). */
import type { ClusterState, MemberName, MemberState } from './cluster-state';
import { MEMBER_NAMES } from './cluster-state';
import { localizable, type LocalizableMessage } from './vapi-errors';

/** VcenterVchaClusterIpInfo for an IPv4 address on a /24. */
interface IpInfo {
  ip_family: 'IPV4';
  ipv4: { address: string; subnet_mask: string; prefix: number };
}

/** VcenterVchaClusterNodeInfo / VcenterVchaClusterWitnessInfo. */
interface MemberInfo {
  /** node1/node2 only, and only when the node has a failover IP (partial get too). */
  failover_ip?: IpInfo;
  ha_ip: IpInfo;
  runtime: { state: string; role: string; placement?: Record<string, unknown> };
}

/** VcenterVchaClusterInfo. */
export interface ClusterInfoWire {
  config_state: string;
  node1: MemberInfo;
  node2: MemberInfo;
  witness: MemberInfo;
  mode: string;
  health_state: string;
  health_exception: LocalizableMessage[];
  health_warnings: { error: LocalizableMessage; recommendation?: LocalizableMessage }[];
  manual_failover_allowed: boolean;
  auto_failover_allowed: boolean;
}

/** The values the API reports that depend on more than the stored state (e.g. resyncing). */
export interface EffectiveFlags {
  manualFailoverAllowed: boolean;
  autoFailoverAllowed: boolean;
}

function ipInfo(address: string): IpInfo {
  return { ip_family: 'IPV4', ipv4: { address, subnet_mask: '255.255.255.0', prefix: 24 } };
}

/** Placement needs the management vCenter's credentials, so a partial get leaves it out. */
function placement(clusterName: string, member: MemberName, state: MemberState): Record<string, unknown> {
  const index = MEMBER_NAMES.indexOf(member);
  return {
    management_vcenter_name: `mgmt-vc.${clusterName}.lab`,
    vm_name: state.vmName,
    datacenter: 'datacenter-3',
    datacenter_name: 'Datacenter',
    host: `host-${20 + index}`,
    host_name: state.hostName,
    cluster: 'domain-c8',
    cluster_name: 'Management',
    ha_network: 'network-14',
    ha_network_name: 'VCHA Network',
    ha_network_type: 'STANDARD_PORTGROUP',
    management_network: 'network-13',
    management_network_name: 'VM Network',
    management_network_type: 'STANDARD_PORTGROUP',
    storage: { datastore: `datastore-${30 + index}`, datastore_name: `datastore-${index + 1}` },
  };
}

function memberInfo(clusterName: string, member: MemberName, state: MemberState, partial: boolean): MemberInfo {
  const runtime: MemberInfo['runtime'] = { state: state.state, role: state.role };
  if (!partial) runtime.placement = placement(clusterName, member, state);
  const failoverIp = member !== 'witness' && state.failoverIp !== undefined ? state.failoverIp : undefined;
  return {
    ...(failoverIp === undefined ? {} : { failover_ip: ipInfo(failoverIp) }),
    ha_ip: ipInfo(state.haIp),
    runtime,
  };
}

/** VcenterVchaClusterInfo for `POST …/cluster?action=get` (`partial` omits placement details). */
export function renderClusterInfo(
  clusterName: string,
  state: ClusterState,
  flags: EffectiveFlags,
  partial: boolean,
): ClusterInfoWire {
  return {
    config_state: state.configState,
    node1: memberInfo(clusterName, 'node1', state.members.node1, partial),
    node2: memberInfo(clusterName, 'node2', state.members.node2, partial),
    witness: memberInfo(clusterName, 'witness', state.members.witness, partial),
    mode: state.mode,
    health_state: state.healthState,
    health_exception: state.healthException.map((text) =>
      localizable('com.vmware.vcenter.vcha.health.exception', text),
    ),
    health_warnings: state.healthWarnings.map((text) => ({
      error: localizable('com.vmware.vcenter.vcha.health.warning', text),
    })),
    manual_failover_allowed: flags.manualFailoverAllowed,
    auto_failover_allowed: flags.autoFailoverAllowed,
  };
}
