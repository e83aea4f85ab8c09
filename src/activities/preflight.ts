/**
 * Preflight: reads the cluster (with its mode) and its operations where it answers, checks every
 * failover rule, and whether the run could follow the cluster to where it answers after the switch.
 */
import { ApplicationFailure, log } from '@temporalio/activity';
import { UnknownTargetError } from '../config';
import { policyDecision, requiresSignedDecision, type ApprovalPolicy, type PolicyDecision } from '../contract/policy';
import { clusterIdentity, ledgerEvidence, snapshotCluster, type ClusterSnapshot } from '../domain/cluster-snapshot';
import type { ClusterIdentity, LedgerEvidence } from '../contract/ledger';
import type { LastFailover } from '../contract/cluster';
import { VCHA_CLUSTER_SERVICE_ID, type CisTaskInfo, type VcenterClient } from '../vcenter';
import { evaluatePreflight, type PreflightCheck } from '../domain/preflight-rules';
import type { ActivityDeps } from './deps';
import { clientOf, readFailure, unknownTargetFailure } from './failures';
import { withHeartbeats } from './heartbeat';
import { decideFollow, reachCluster } from './addresses';

/** Input of {@link preflight}. */
export interface PreflightInput {
  target: string;
  planned: boolean;
  /**
   * A dry run (`vcha-failover check`): also read vCenter's task list for the last failover, so the
   * check can flag roles that changed recently. Real runs skip the extra request.
   */
  lookBack?: boolean;
}

/** The cluster as preflight saw it, every rule's verdict, and what the target's policy says. */
export interface PreflightReport {
  snapshot: ClusterSnapshot;
  checks: PreflightCheck[];
  /**
   * `approval` when the target's policy asks for approval of this kind of failover. Absent from
   * reports of workers older than the policy, which the workflow reads as `allow`.
   */
  policy?: Exclude<PolicyDecision, 'deny'>;
  /**
   * When the policy asks for approval and for signed decisions: what they must prove. Absent from
   * reports of workers older than signed approvals and for named approvals.
   */
  signedApproval?: ApprovalPolicy;
  /**
   * The cluster's identity (`clusterIdentityOf` the three members' `ha_ip`), the key of its lock
   * and send ledger; absent when vCenter did not report all three, and from older workers' reports.
   */
  cluster?: ClusterIdentity;
  /**
   * The URL the cluster will answer at once the passive node is ACTIVE, when that is not where
   * preflight read it (the node's failover IP or its URL in the targets file): the follow reads it
   * there. Absent when the address does not move, and from older workers' reports.
   */
  followAt?: string;
}

/** Builds the preflight activity. */
export function makePreflight(deps: ActivityDeps) {
  return async function preflight(input: PreflightInput): Promise<PreflightReport> {
    // The policy is the worker's configuration: a refused run ends here, before any vCenter request.
    const policy = decisionFor(deps, input);
    const rules = deps.policyFor(input.target);
    const signedApproval = policy === 'approval' && requiresSignedDecision(rules) ? rules.approval : undefined;
    return withHeartbeats(
      async () => ({ ...(await readAndCheck(deps, input)), policy, ...(signedApproval ? { signedApproval } : {}) }),
      () => ({ stage: 'reading the cluster' }),
    );
  };
}

/** The policy's word on this run; `deny` is the non-retryable `PolicyDenied`. */
function decisionFor(deps: ActivityDeps, input: PreflightInput): Exclude<PolicyDecision, 'deny'> {
  let decision: PolicyDecision;
  try {
    decision = policyDecision(deps.policyFor(input.target), input.planned);
  } catch (error) {
    if (error instanceof UnknownTargetError) throw unknownTargetFailure(error);
    throw error;
  }
  if (decision !== 'deny') return decision;
  const kind = input.planned ? 'planned' : 'forced';
  throw ApplicationFailure.create({
    type: 'PolicyDenied',
    message:
      `the policy of ${input.target} denies ${kind} failovers (targets file: targets.${input.target}.policy.${kind} ` +
      `or the file-wide policy.${kind} is "deny"): nothing was read from or sent to vCenter`,
    nonRetryable: true,
  });
}

async function readAndCheck(deps: ActivityDeps, input: PreflightInput): Promise<PreflightReport> {
  try {
    // Partial: the rules use runtime state, roles, mode and health, which need only read privilege and
    // no connection to the management vCenter (placement is not needed). The cluster is read where it
    // answered last, else at the other addresses the worker knows (a failover may have moved it).
    // A dry run ages the last failover task by vCenter's own time of this read (its `Date` header).
    const reached = await reachCluster(deps, input.target);
    const { client, info } = reached;
    // The cluster info carries the mode; the mode call is only needed when vCenter leaves it unset.
    const mode = info.mode ?? (await client.getMode()).mode;
    const operations = await client.getOperations();
    const snapshot = snapshotCluster(info, { mode, operations, observedAt: new Date() });
    if (input.lookBack) {
      const last = await lastFailoverOf(client, reached.vcenterTime ?? new Date(), input.target);
      if (last) snapshot.lastFailover = last;
    }
    const checks = evaluatePreflight(snapshot, input.planned);
    // Where the cluster answers once the passive node is ACTIVE: a run that could not follow it there sends nothing.
    const follow = await decideFollow(deps, input.target, reached, snapshot.passiveNode);
    if (follow) checks.push(follow.check);
    log.info('preflight evaluated', {
      target: input.target,
      failed: checks.filter((c) => !c.ok).map((c) => c.id),
      activeNode: snapshot.activeNode,
    });
    const cluster = clusterIdentity(info);
    return {
      snapshot,
      checks,
      ...(cluster ? { cluster } : {}),
      ...(follow?.followAt ? { followAt: follow.followAt } : {}),
    };
  } catch (error) {
    throw readFailure(input.target, error);
  }
}

/**
 * The latest SUCCEEDED failover task in vCenter's task list, aged by vCenter's clock (`now`). Only
 * informs the check: a list that cannot be read is logged and left out, never a failed preflight.
 */
async function lastFailoverOf(client: VcenterClient, now: Date, target: string): Promise<LastFailover | undefined> {
  let tasks: Record<string, CisTaskInfo>;
  try {
    tasks = await client.listTasks({ services: [VCHA_CLUSTER_SERVICE_ID] });
  } catch (error) {
    log.warn('could not read the task list for the last failover', { target, error: String(error) });
    return undefined;
  }
  const ended = Object.entries(tasks)
    .filter(([, task]) => task.operation.endsWith('failover') && task.status === 'SUCCEEDED' && task.end_time)
    .map(([taskId, task]) => ({ taskId, task, endedAt: Date.parse(task.end_time!) }))
    .filter(({ endedAt }) => Number.isFinite(endedAt))
    .sort((a, b) => a.endedAt - b.endedAt)
    .at(-1);
  if (!ended) return undefined;
  return {
    taskId: ended.taskId,
    endedAt: new Date(ended.endedAt).toISOString(),
    ...(ended.task.user ? { user: ended.task.user } : {}),
    automatic: /vpxd-extension/i.test(ended.task.user ?? ''),
    agoMs: Math.max(0, now.getTime() - ended.endedAt),
  };
}

/** What `identifyCluster` read: the cluster's identity and its roles now (evidence for the ledger). */
export interface ClusterIdentification {
  cluster?: ClusterIdentity;
  evidence: LedgerEvidence;
}

/** Builds the activity that reads a target's cluster identity (maintenance takes the cluster's lock with it). */
export function makeIdentifyCluster(deps: ActivityDeps) {
  return async function identifyCluster(input: { target: string }): Promise<ClusterIdentification> {
    const client = clientOf(deps, input.target);
    try {
      const info = await client.getCluster({ partial: true });
      const operations = await client.getOperations();
      const snapshot = snapshotCluster(info, { operations, observedAt: new Date() });
      const cluster = clusterIdentity(info);
      return { ...(cluster ? { cluster } : {}), evidence: ledgerEvidence(snapshot) };
    } catch (error) {
      throw readFailure(input.target, error);
    }
  };
}
