/**
 * Builds and reads the compact picture of a VCHA cluster (its shape, `ClusterSnapshot`, is in the
 * contract): what the workflow stores in its history, shows in its `status` query and compares
 * before and after a failover.
 */
import type {
  VcenterVchaClusterInfo,
  VcenterVchaClusterIpInfo,
  VcenterVchaClusterNodeInfo,
  VcenterVchaClusterWitnessInfo,
  VcenterVchaOperationsInfo,
} from '../vcenter/schemas';
import type { ClusterSnapshot, MemberSnapshot } from '../contract/cluster';
import { isFailoverOperationId } from '../vcenter/operations';
import { clusterIdentityOf, type ClusterIdentity, type LedgerEvidence } from '../contract/ledger';

export type { ClusterSnapshot, MemberSnapshot } from '../contract/cluster';

function ipIdentity(ip: VcenterVchaClusterIpInfo | undefined): string | undefined {
  return ip?.ipv4?.address ?? ip?.ipv6?.address ?? undefined;
}

function member(
  slot: MemberSnapshot['slot'],
  info: VcenterVchaClusterNodeInfo | VcenterVchaClusterWitnessInfo | undefined,
): MemberSnapshot | undefined {
  if (!info) return undefined;
  return {
    slot,
    identity: ipIdentity(info.ha_ip) ?? slot,
    state: info.runtime?.state,
    role: info.runtime?.role,
  };
}

function onlyIdentityWithRole(members: MemberSnapshot[], role: string): string | undefined {
  const matching = members.filter((m) => m.slot !== 'witness' && m.role === role);
  return matching.length === 1 ? matching[0]!.identity : undefined;
}

/** Builds a snapshot from the cluster info and, when read, the mode and the operations. */
export function snapshotCluster(
  info: VcenterVchaClusterInfo,
  extra: { mode?: string; operations?: VcenterVchaOperationsInfo; observedAt: Date },
): ClusterSnapshot {
  const members = [member('node1', info.node1), member('node2', info.node2), member('witness', info.witness)].filter(
    (m): m is MemberSnapshot => m !== undefined,
  );
  const healthMessages = [
    ...(info.health_warnings ?? []).map((w) => w.error?.default_message ?? ''),
    ...(info.health_exception ?? []).map((m) => m.default_message ?? ''),
  ].filter((text) => text.length > 0);
  return {
    observedAt: extra.observedAt.toISOString(),
    mode: extra.mode ?? info.mode,
    configState: info.config_state,
    healthState: info.health_state,
    manualFailoverAllowed: info.manual_failover_allowed,
    members,
    activeNode: onlyIdentityWithRole(members, 'ACTIVE'),
    passiveNode: onlyIdentityWithRole(members, 'PASSIVE'),
    failoverDisabled: extra.operations ? extra.operations.disabled.some(isFailoverOperationId) : undefined,
    failoverRunning: extra.operations ? extra.operations.active.some(isFailoverOperationId) : undefined,
    healthMessages,
  };
}

/** The cluster's identity (the key of its lock and send ledger) from a cluster read; undefined unless all three `ha_ip` are there. */
export function clusterIdentity(info: VcenterVchaClusterInfo): ClusterIdentity | undefined {
  return clusterIdentityOf([
    ipIdentity(info.node1?.ha_ip),
    ipIdentity(info.node2?.ha_ip),
    ipIdentity(info.witness?.ha_ip),
  ]);
}

/** True when node1, node2 and the witness are all reported and UP. */
export function allMembersUp(snapshot: ClusterSnapshot): boolean {
  const slots = new Set(snapshot.members.filter((m) => m.state === 'UP').map((m) => m.slot));
  return slots.has('node1') && slots.has('node2') && slots.has('witness');
}

/** One line for logs and the status query, e.g. "active 10.0.0.1, DEGRADED, members UP". */
export function describeSnapshot(snapshot: ClusterSnapshot): string {
  const down = snapshot.members.filter((m) => m.state !== 'UP').map((m) => `${m.slot} ${m.state ?? 'missing'}`);
  const members = snapshot.members.length < 3 ? 'members missing' : down.length ? down.join(', ') : 'all members UP';
  return `active ${snapshot.activeNode ?? 'unknown'}, ${snapshot.healthState ?? 'health unknown'}, ${members}`;
}

/** The roles and running failover a snapshot shows, as the cluster's ledger takes them as evidence. */
export function ledgerEvidence(snapshot: ClusterSnapshot): LedgerEvidence {
  return {
    ...(snapshot.activeNode ? { activeNode: snapshot.activeNode } : {}),
    ...(snapshot.passiveNode ? { passiveNode: snapshot.passiveNode } : {}),
    ...(snapshot.failoverRunning !== undefined ? { failoverRunning: snapshot.failoverRunning } : {}),
    observedAt: snapshot.observedAt,
  };
}
