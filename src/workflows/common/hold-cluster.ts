/**
 * Holding a VCHA cluster through its send ledger (`vchaClusterLedger`), shared by `vchaFailover`
 * and `vchaMaintenance`: the ledger's activity options, the parent a run names to the ledger, and
 * the release at the end. The rules are `cluster-ledger/rules.ts`; the activities `activities/ledger.ts`.
 */
import { proxyLocalActivities, workflowInfo, type LocalActivityOptions } from '@temporalio/workflow';
import type { FailoverActivities, FinishClusterInput } from '../../activities';
import {
  FAILURE_TYPES,
  LEDGER_REFUSED,
  WORKFLOW_TYPES,
  readMemo,
  type ClusterIdentity,
  type LedgerParent,
} from '../../contract';
import { causeMessage } from './activity-errors';

/**
 * The cluster's ledger (acquire, claim, finish): Updates to `vchaClusterLedger`, each idempotent for
 * the run that makes it, so a retry after a lost answer changes nothing. Local activities: one
 * marker each. Retried for a few minutes while Temporal is unreachable; a refusal is final.
 * Acquire and claim then fail closed (nothing is sent); a finish that never lands leaves the claim
 * unresolved, which the next run of the cluster reports instead of sending.
 */
export const LEDGER: LocalActivityOptions = {
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '5m',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '20s',
    nonRetryableErrorTypes: [...FAILURE_TYPES, LEDGER_REFUSED],
  },
};

/** This run's parent, with its type as the memo shows it (the ledger lets a fleet send once per cluster). */
export function parentOfThisRun(): LedgerParent | undefined {
  const { parent, memo } = workflowInfo();
  if (!parent) return undefined;
  const link = readMemo(memo);
  const type = link.maintenance ? WORKFLOW_TYPES.maintenance : link.fleet ? WORKFLOW_TYPES.fleet : 'workflow';
  return { workflowId: parent.workflowId, type };
}

/**
 * The run's end in the cluster's ledger: a claim ends with its verdict, and the lock is released.
 * Returns what to record when the ledger could not be told: the claim then stays unresolved, and
 * the next run of the cluster reports it instead of sending (fails closed).
 */
export async function finishInLedger(
  cluster: ClusterIdentity,
  verdict: FinishClusterInput['request']['verdict'],
): Promise<string | undefined> {
  const { workflowId, runId } = workflowInfo();
  try {
    await proxyLocalActivities<FailoverActivities>({
      ...LEDGER,
      summary: `${verdict ? 'record the verdict in' : 'release'} the ledger of cluster ${cluster}`,
    }).finishCluster({ cluster, request: { workflowId, runId, ...(verdict ? { verdict } : {}) } });
    return undefined;
  } catch (error) {
    return `the send ledger of cluster ${cluster} could not be told how this run ended (${causeMessage(error)})${verdict ? ': its claim stays unresolved' : ''}`;
  }
}
