/**
 * The read-only check around the failover request: are the roles still as preflight saw them, and
 * is no failover running? The workflow runs it before it sends the request (nothing may be sent
 * to a cluster that changed), and after vCenter refused the request (a refusal counts only when
 * the cluster shows it changed nothing). Retryable: it only reads. It also reports vCenter's own
 * time of the read (its `Date` header), so the follow can adopt only a failover task vCenter
 * started after the check before the request, by vCenter's clock rather than this worker's.
 */
import { log } from '@temporalio/activity';
import { describeSnapshot, snapshotCluster, type ClusterSnapshot } from '../domain/cluster-snapshot';
import type { ActivityDeps } from './deps';
import { clientOf, readFailure } from './failures';

/** Input of {@link checkCluster}: the roles preflight saw. */
export interface CheckClusterInput {
  target: string;
  /** Identity of the node preflight saw ACTIVE. */
  expectedActive: string;
  /** Identity of the node preflight saw PASSIVE; runs from older builds do not carry it, and compare the active node only. */
  expectedPassive?: string;
}

/** What the check saw. */
export interface ClusterCheck {
  /** The roles are as preflight saw them and no failover is running. */
  unchanged: boolean;
  snapshot: ClusterSnapshot;
  /** The check in words, e.g. "active 10.0.0.1, HEALTHY, all members UP; no failover running". */
  detail: string;
  /** When vCenter answered the cluster read, by its own clock (ISO, from its `Date` header: whole seconds); absent when it sent none. */
  vcenterTime?: string;
}

/** Builds the check activity. */
export function makeCheckCluster(deps: ActivityDeps) {
  return async function checkCluster(input: CheckClusterInput): Promise<ClusterCheck> {
    const client = clientOf(deps, input.target);
    let snapshot: ClusterSnapshot;
    let vcenterTime: Date | undefined;
    try {
      // Partial: roles, state, mode and health need only read privilege and no management vCenter.
      const cluster = await client.getClusterTimed({ partial: true });
      vcenterTime = cluster.vcenterTime;
      const operations = await client.getOperations();
      snapshot = snapshotCluster(cluster.value, { operations, observedAt: new Date() });
    } catch (error) {
      throw readFailure(input.target, error);
    }
    const rolesKept =
      snapshot.activeNode === input.expectedActive &&
      (input.expectedPassive === undefined || snapshot.passiveNode === input.expectedPassive);
    const running = snapshot.failoverRunning === true;
    const unchanged = rolesKept && !running;
    const detail =
      `${describeSnapshot(snapshot)}; ${running ? 'a failover is running' : 'no failover running'}` +
      (rolesKept
        ? ''
        : ` (preflight saw active ${input.expectedActive}${input.expectedPassive ? `, passive ${input.expectedPassive}` : ''})`);
    log.info('cluster checked', { target: input.target, unchanged, detail });
    return { unchanged, snapshot, detail, ...(vcenterTime ? { vcenterTime: vcenterTime.toISOString() } : {}) };
  };
}
