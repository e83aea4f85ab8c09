/**
 * The addresses a target's cluster answers at, as the worker process learns them: where it
 * answered last (a failover may have moved it to a node's failover IP), the failover IPs preflight
 * read, and the targets file's per-node URLs. Preflight finds the cluster through them and decides
 * whether a failover can be followed (`src/domain/addresses.ts` decides, this module probes and
 * reads); the follow activity reads the cluster at the new address once the old one stops answering.
 */
import { connect } from 'node:net';
import { log } from '@temporalio/activity';
import { clusterIdentity } from '../domain/cluster-snapshot';
import {
  candidateUrls,
  followCheck,
  followPlanFor,
  nodeAddresses,
  urlAtAddress,
  type AddressProbe,
} from '../domain/addresses';
import { isLoopbackHost } from '../config/loopback';
import type { PreflightCheck } from '../contract/cluster';
import { WORKFLOW_TYPES } from '../contract/names';
import { VCHA_OUTCOME, VCHA_TARGET } from '../contract/search-attributes';
import type { FailoverResult } from '../contract/record';
import type { Timed, VcenterClient, VcenterVchaClusterInfo } from '../vcenter';
import { isOutage } from '../vcenter/classify';
import { classOf, clientOf } from './failures';
import type { ActivityDeps } from './deps';

export type { TargetAddressing } from './deps';

/** How long a probe of an address before the send may take: a reachable host answers in far less. */
export const PROBE_DEADLINE_MS = 2_000;

/** Per-target memory of addresses for one worker process. */
export class AddressBook {
  private readonly serving = new Map<string, string>();
  private readonly learned = new Map<string, Set<string>>();
  private readonly identities = new Map<string, string>();

  /** Where the target's cluster answered last, or `configured` until it has moved. */
  servingUrl(target: string, configured: string): string {
    return this.serving.get(target) ?? configured;
  }

  answeredAt(target: string, url: string): void {
    if (this.serving.get(target) === url) return;
    this.serving.set(target, url);
  }

  learn(target: string, identity: string | undefined, urls: readonly string[]): void {
    if (identity !== undefined) this.identities.set(target, identity);
    const known = this.learned.get(target) ?? new Set<string>();
    for (const url of urls) known.add(url);
    this.learned.set(target, known);
  }

  learnedUrls(target: string): readonly string[] {
    return [...(this.learned.get(target) ?? [])];
  }

  identityOf(target: string): string | undefined {
    return this.identities.get(target);
  }
}

/**
 * Tries a TCP connection to the URL's host and port for at most `deadlineMs`, sending nothing.
 * Before the switch nothing serves at a failover IP, so an answer is all that can be proven: a
 * refusal or an accepted connection shows the worker reaches that host; no route or no answer
 * shows it does not (or not yet provably).
 */
export function probeAddress(url: string, deadlineMs = PROBE_DEADLINE_MS): Promise<AddressProbe> {
  const parsed = new URL(url);
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ kind: 'timeout', afterMs: deadlineMs });
    }, deadlineMs);
    const end = (probe: AddressProbe) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(probe);
    };
    socket.once('connect', () => end({ kind: 'connected' }));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'unknown';
      if (code === 'ECONNREFUSED') return end({ kind: 'refused' });
      if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'EADDRNOTAVAIL') {
        return end({ kind: 'no-route', code });
      }
      end({ kind: 'error', code });
    });
  });
}

/** A cluster read and where it answered. */
export interface ReachedCluster {
  client: VcenterClient;
  /** The base URL it answered at (empty when the worker keeps no addresses). */
  url: string;
  info: VcenterVchaClusterInfo;
  /** vCenter's time of the read (its `Date` header), when it sent one. */
  vcenterTime?: Date;
}

/**
 * Reads the target's cluster (a partial get) where it answered last; when that address gives an
 * outage, each other known URL in turn (`candidateUrls`), one read each, and last the `servedAt`
 * of the target's newest SUCCEEDED failover in Temporal (another worker process may have followed
 * the cluster there). A URL whose cluster has another identity than the one last read through this
 * target is skipped. The first that answers becomes the target's address; when none does, the
 * first address's error is thrown.
 */
export async function reachCluster(deps: ActivityDeps, target: string): Promise<ReachedCluster> {
  const addressing = deps.addresses;
  if (addressing === undefined) {
    const client = clientOf(deps, target);
    const read = await client.getClusterTimed({ partial: true });
    return { client, url: '', info: read.value, ...(read.vcenterTime ? { vcenterTime: read.vcenterTime } : {}) };
  }
  const current = addressing.servingUrl(target);
  const urls = candidateUrls({
    current,
    configured: addressing.configuredUrl(target),
    nodes: addressing.nodeUrls(target),
    learned: addressing.learnedUrls(target),
  });
  const known = addressing.identityOf(target);
  /** One read at `url`: the cluster, `undefined` for an outage or another cluster; any other error is thrown. */
  const readAt = async (url: string): Promise<ReachedCluster | undefined> => {
    const client = addressing.clientAt(target, url);
    let read: Timed<VcenterVchaClusterInfo>;
    try {
      read = await client.getClusterTimed({ partial: true });
    } catch (error) {
      if (!isOutage(classOf(error))) throw error;
      firstError ??= error instanceof Error ? error : new Error(String(error));
      return undefined;
    }
    const seen = clusterIdentity(read.value);
    if (url !== current && known !== undefined && seen !== undefined && seen !== known) {
      log.warn('another cluster answers at an address of the target; skipped', { target, url });
      return undefined;
    }
    if (url !== current) log.info('the cluster answers at another address', { target, from: current, to: url });
    addressing.answeredAt(target, url);
    return { client, url, info: read.value, ...(read.vcenterTime ? { vcenterTime: read.vcenterTime } : {}) };
  };
  let firstError: Error | undefined;
  for (const url of urls) {
    const reached = await readAt(url);
    if (reached) return reached;
  }
  // Only when every known address is dark: ask Temporal where the last failover left the cluster.
  const served = await lastServedAt(deps, target);
  if (served !== undefined && !urls.includes(served)) {
    const reached = await readAt(served);
    if (reached) return reached;
  }
  throw firstError ?? new Error(`no address of ${target} answers with its cluster (${urls.join(', ')})`);
}

/** What preflight adds when the failover would move the cluster's address. */
export interface FollowDecision {
  /** The `follow-address` check: may the run send a failover it can follow? */
  check: PreflightCheck;
  /** The URL to follow the cluster at after the switch, when the check passed. */
  followAt?: string;
}

/**
 * Learns the nodes' failover-IP URLs from a cluster read, and decides where the run will follow
 * the cluster once `becomingActive` is ACTIVE: undefined when it stays where preflight read it.
 * A failover IP is probed (one connection attempt, nothing sent) unless the targets file names the
 * node's URL.
 */
export async function decideFollow(
  deps: ActivityDeps,
  target: string,
  reached: ReachedCluster,
  becomingActive: string | undefined,
): Promise<FollowDecision | undefined> {
  const nodes = nodeAddresses(reached.info);
  const node = nodes.find((n) => n.identity === becomingActive);
  const addressing = deps.addresses;
  if (addressing === undefined) {
    if (node?.failoverIp === undefined) return undefined;
    return {
      check: {
        id: 'follow-address',
        ok: false,
        detail: `${node.identity} serves at its failover IP ${node.failoverIp} once ACTIVE, and this worker keeps no addresses to follow it`,
      },
    };
  }
  const configured = addressing.configuredUrl(target);
  const identity = clusterIdentity(reached.info);
  addressing.learn(
    target,
    identity,
    nodes.flatMap((n) => (n.failoverIp ? [urlAtAddress(configured, n.failoverIp)] : [])),
  );
  if (node === undefined) return undefined;
  const plan = followPlanFor(node, { url: configured, nodes: addressing.nodeUrls(target) });
  if (plan.url === reached.url) return undefined;
  const probe = plan.source === 'failover-ip' ? await probeAddress(plan.url) : undefined;
  const configuredHost = new URL(configured);
  const check = followCheck(node, plan, {
    target,
    readAt: reached.url,
    ...(probe ? { probe } : {}),
    // A target on plain http to a non-loopback host passed the targets file only with insecureAllowHttp.
    plainHttpAllowed: configuredHost.protocol === 'http:' && !isLoopbackHost(configuredHost.hostname),
  });
  log.info('the failover moves the cluster to another address', { target, node: node.identity, check });
  return { check, ...(check.ok ? { followAt: plan.url } : {}) };
}

/**
 * Where the target's newest SUCCEEDED failover (by any worker) says vCenter answered, from its
 * record in Temporal; undefined when there is none or Temporal cannot tell (it is only a hint).
 */
async function lastServedAt(deps: ActivityDeps, target: string): Promise<string | undefined> {
  // Target names are letters, digits, '.', '_' and '-': safe inside the quotes.
  const query = `WorkflowType = '${WORKFLOW_TYPES.failover}' AND ${VCHA_TARGET.name} = '${target}' AND ${VCHA_OUTCOME.name} = 'SUCCEEDED'`;
  try {
    for await (const run of deps.temporal.workflow.list({ query, pageSize: 1 })) {
      const result = (await deps.temporal.workflow.getHandle(run.workflowId, run.runId).result()) as FailoverResult;
      return result.servedAt;
    }
  } catch (error) {
    log.warn('could not read where the last failover left the cluster', { target, error: String(error) });
  }
  return undefined;
}
