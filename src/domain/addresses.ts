/**
 * Where a VCHA cluster answers, as pure decisions: each node's failover IP from the cluster info,
 * the URL the cluster will answer at once a given node is active, whether a run may send a failover
 * it can then follow, and which of a target's known URLs to try. No I/O: the address activities
 * (`src/activities/addresses.ts`) probe and read; these functions decide.
 */
import type { PreflightCheck } from '../contract/cluster';
import type { VcenterVchaClusterInfo, VcenterVchaClusterIpInfo } from '../vcenter/schemas';

/** One node (node1 or node2) and the address it serves clients at once active, if it has its own. */
export interface NodeAddress {
  slot: 'node1' | 'node2';
  /** The node's identity as the run knows it: its `ha_ip`, else its slot. */
  identity: string;
  /** The node's `failover_ip`; absent: it takes the public address when it becomes active. */
  failoverIp?: string;
}

/** Where the cluster answers once a node is active, and what says so. */
export interface FollowPlan {
  /** The base URL to read the cluster at after the switch. */
  url: string;
  /**
   * `targets-file`: the node's URL in the targets file (`nodes`); `failover-ip`: the node's failover
   * IP on the target's scheme and port; `public`: the node has no failover IP, so the target's URL.
   */
  source: 'targets-file' | 'failover-ip' | 'public';
  /** The node's failover IP, when it has one. */
  failoverIp?: string;
}

/** What a connection attempt to an address showed before the send (see `probeAddress`). */
export type AddressProbe =
  | { kind: 'connected' }
  | { kind: 'refused' }
  | { kind: 'no-route'; code: string }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'error'; code: string };

function ipOf(ip: VcenterVchaClusterIpInfo | undefined): string | undefined {
  return ip?.ipv4?.address ?? ip?.ipv6?.address ?? undefined;
}

/** node1 and node2 of a cluster read (partial or not), with their failover IPs where set. */
export function nodeAddresses(info: VcenterVchaClusterInfo): NodeAddress[] {
  const nodes: NodeAddress[] = [];
  for (const slot of ['node1', 'node2'] as const) {
    const node = info[slot];
    if (!node) continue;
    const failoverIp = ipOf(node.failover_ip);
    nodes.push({ slot, identity: ipOf(node.ha_ip) ?? slot, ...(failoverIp ? { failoverIp } : {}) });
  }
  return nodes;
}

/** `baseUrl` with its host replaced by `ip` (scheme, port and path kept; the default port made explicit). */
export function urlAtAddress(baseUrl: string, ip: string): string {
  const url = new URL(baseUrl);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const host = ip.includes(':') ? `[${ip}]` : ip;
  return `${url.protocol}//${host}:${port}${url.pathname.replace(/\/+$/, '')}`;
}

/** The URL the targets file names for a node (`nodes`), by its `ha_ip` first, then by its slot. */
export function configuredNodeUrl(
  nodes: Readonly<Record<string, string>> | undefined,
  node: NodeAddress,
): string | undefined {
  return nodes?.[node.identity] ?? nodes?.[node.slot];
}

/**
 * Where the cluster answers once `node` is active: the targets file's URL for the node when it names
 * one (the operator's word, e.g. a NAT address), else the node's failover IP on the target's scheme
 * and port, else the target's own URL (the public address moves with the active role).
 */
export function followPlanFor(
  node: NodeAddress,
  target: { url: string; nodes?: Readonly<Record<string, string>> },
): FollowPlan {
  const named = configuredNodeUrl(target.nodes, node);
  if (named !== undefined) {
    return { url: named, source: 'targets-file', ...(node.failoverIp ? { failoverIp: node.failoverIp } : {}) };
  }
  if (node.failoverIp !== undefined) {
    return { url: urlAtAddress(target.url, node.failoverIp), source: 'failover-ip', failoverIp: node.failoverIp };
  }
  return { url: target.url, source: 'public' };
}

/** Whether a probe proves the worker reaches the address: something there answered, even with a refusal. */
export function probeReaches(probe: AddressProbe): boolean {
  return probe.kind === 'connected' || probe.kind === 'refused';
}

function describeProbe(probe: AddressProbe): string {
  switch (probe.kind) {
    case 'connected':
      return 'a connection was accepted';
    case 'refused':
      return 'the host answered (connection refused: nothing serves there before the switch)';
    case 'no-route':
      return `no route from this worker (${probe.code})`;
    case 'timeout':
      return `no answer within ${probe.afterMs} ms`;
    case 'error':
      return `the connection failed (${probe.code})`;
  }
}

/**
 * The `follow-address` preflight check: may this run send a failover it can follow? Passes when the
 * cluster stays at the address the run reads it at, when the targets file names the node's URL, or
 * when the probe of the failover IP's address reached it; fails (nothing is sent) otherwise, naming
 * the node, its failover IP, what the probe saw and the targets-file entry that would fix it. A plan
 * that would carry the credentials over plain http to a non-loopback address fails too.
 */
export function followCheck(
  node: NodeAddress,
  plan: FollowPlan,
  context: { target: string; readAt: string; probe?: AddressProbe; plainHttpAllowed: boolean },
): PreflightCheck {
  const id = 'follow-address';
  const entry = `targets.${context.target}.nodes["${node.identity}"]`;
  if (plan.url === context.readAt) {
    return { id, ok: true, detail: `the cluster answers at ${plan.url} once ${node.identity} is ACTIVE, as now` };
  }
  const host = new URL(plan.url).hostname;
  if (new URL(plan.url).protocol === 'http:' && !isLoopback(host) && !context.plainHttpAllowed) {
    return {
      id,
      ok: false,
      detail: `${node.identity} would serve at ${plan.url}, plain http to a non-loopback address; name an https URL for it in ${entry}`,
    };
  }
  if (plan.source === 'targets-file') {
    return { id, ok: true, detail: `the run follows ${node.identity} to ${plan.url} (targets file, ${entry})` };
  }
  if (plan.source === 'public') {
    return { id, ok: true, detail: `${node.identity} has no failover IP: the run follows it to ${plan.url}` };
  }
  const probe = context.probe;
  const seen = probe === undefined ? 'not probed' : describeProbe(probe);
  if (probe !== undefined && probeReaches(probe)) {
    return {
      id,
      ok: true,
      detail: `the run follows ${node.identity} to its failover IP ${plan.failoverIp} at ${plan.url} (${seen})`,
    };
  }
  return {
    id,
    ok: false,
    detail:
      `${node.identity} serves at its failover IP ${plan.failoverIp} once ACTIVE, and this worker cannot reach ` +
      `${plan.url} (${seen}): the run could not follow the cluster; name the URL it reaches that node at in ${entry}`,
  };
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * The URLs to try, in order, for a target whose cluster may have moved: where it last answered,
 * the target's URL, the targets file's per-node URLs, then failover-IP URLs learned from earlier
 * reads; each once.
 */
export function candidateUrls(known: {
  current: string;
  configured: string;
  nodes?: Readonly<Record<string, string>>;
  learned?: readonly string[];
}): string[] {
  return [...new Set([known.current, known.configured, ...Object.values(known.nodes ?? {}), ...(known.learned ?? [])])];
}
