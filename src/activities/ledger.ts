/**
 * The failover and maintenance runs' way to their cluster's ledger (`vchaClusterLedger`): Updates
 * through the worker's Temporal client. `acquireCluster` starts the ledger on first use
 * (Update-with-Start) and, when another workflow id's run holds the cluster, asks Temporal whether
 * that run is closed before taking over from it: a closed run can no longer send, a running one may.
 * (An earlier run of the caller's own workflow id is closed by definition: the ledger hands its
 * hold and its open claim to the caller without asking.) The rules themselves run inside the ledger's Update validators,
 * so two replicas asking at once get one answer each, in order.
 */
import { ApplicationFailure } from '@temporalio/activity';
import {
  WithStartWorkflowOperation,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import {
  LEDGER_REFUSED,
  WORKFLOW_TYPES,
  clusterLedgerWorkflowId,
  ledgerAcquireUpdate,
  ledgerClaimUpdate,
  ledgerFinishUpdate,
  type AcquireReply,
  type AcquireRequest,
  type ClaimRequest,
  type ClusterIdentity,
  type FinishReply,
  type FinishRequest,
  type LedgerEntry,
  type LedgerRefusal,
  type LedgerRun,
} from '../contract';
import type { ActivityDeps } from './deps';

/** What the ledger activities need of the worker's dependencies. */
export type LedgerDeps = Pick<ActivityDeps, 'temporal' | 'ledgerTaskQueue' | 'versionedDeployment'>;

/** Input of {@link makeAcquireCluster}'s activity. */
export interface AcquireClusterInput {
  cluster: ClusterIdentity;
  request: Omit<AcquireRequest, 'takeOverFrom' | 'at'>;
}

/** What acquiring found: the lock held (with what the ledger knows that matters to the run), or the running holder. */
export type AcquireClusterResult =
  Extract<AcquireReply, { held: true }> | (Extract<AcquireReply, { held: false }> & { holderType?: string });

/** The ledger's refusal as a non-retryable failure the workflow reads (`details[0]` is the `LedgerRefusal`). */
function refusalFailure(refusal: LedgerRefusal): ApplicationFailure {
  return ApplicationFailure.create({
    type: LEDGER_REFUSED,
    message: refusal.message,
    details: [refusal],
    nonRetryable: true,
  });
}

/** A refused Update's `LedgerRefusal`, if the failure is one. */
function refusalOf(error: unknown): LedgerRefusal | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = error.cause;
  if (!(cause instanceof ApplicationFailure) || cause.type !== LEDGER_REFUSED) return undefined;
  return cause.details?.[0] as LedgerRefusal | undefined;
}

/** Runs an Update; a refusal becomes the non-retryable `LedgerRefused`, anything else stays retryable. */
async function update<Reply>(run: () => Promise<Reply>): Promise<Reply> {
  try {
    return await run();
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal) throw refusalFailure(refusal);
    throw error;
  }
}

/** Whether Temporal describes the run as closed (it can no longer schedule anything). */
async function isClosed(deps: LedgerDeps, run: LedgerRun): Promise<{ closed: boolean; type?: string }> {
  try {
    const described = await deps.temporal.workflow.getHandle(run.workflowId, run.runId).describe();
    return { closed: described.status.name !== 'RUNNING', type: described.type };
  } catch (error) {
    // A run Temporal no longer knows (retention passed) closed long ago.
    if ((error as Error).name === 'WorkflowNotFoundError') return { closed: true };
    throw error;
  }
}

/** The ledger's handle (its latest run: the ledger continues as new). */
function ledger(deps: LedgerDeps, cluster: ClusterIdentity): WorkflowHandle {
  return deps.temporal.workflow.getHandle(clusterLedgerWorkflowId(cluster));
}

/** Builds the activity that takes the cluster's lock. */
export function makeAcquireCluster(deps: LedgerDeps) {
  return async function acquireCluster(input: AcquireClusterInput): Promise<AcquireClusterResult> {
    const { cluster, request } = input;
    const ask = (takeOverFrom?: LedgerRun) =>
      update(() =>
        deps.temporal.workflow.executeUpdateWithStart(ledgerAcquireUpdate, {
          args: [{ ...request, ...(takeOverFrom ? { takeOverFrom } : {}), at: new Date().toISOString() }],
          startWorkflowOperation: new WithStartWorkflowOperation(WORKFLOW_TYPES.clusterLedger, {
            workflowId: clusterLedgerWorkflowId(cluster),
            taskQueue: deps.ledgerTaskQueue,
            args: [{ cluster }],
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
            // A ledger someone terminated is not silently replaced by an empty one: runs fail closed
            // until an operator starts it again (docs/safety.md).
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
            staticSummary: `send ledger and lock of VCHA cluster ${cluster}`,
            ...(deps.versionedDeployment ? { versioningOverride: 'AUTO_UPGRADE' as const } : {}),
          }),
        }),
      );
    let reply = await ask();
    if (!reply.held) {
      const holder = await isClosed(deps, reply.holder);
      if (!holder.closed) return { ...reply, holderType: holder.type };
      // The holder closed without releasing (terminated, reset, timed out): it can no longer send.
      reply = await ask({ workflowId: reply.holder.workflowId, runId: reply.holder.runId });
      if (!reply.held) return reply;
    }
    return reply;
  };
}

/** Input of the claim activity. */
export interface ClaimSendInput {
  cluster: ClusterIdentity;
  request: Omit<ClaimRequest, 'at'>;
}

/** Builds the activity that claims the send, just before the failover request. */
export function makeClaimSend(deps: LedgerDeps) {
  return async function claimSend(input: ClaimSendInput): Promise<LedgerEntry> {
    return update(() =>
      ledger(deps, input.cluster).executeUpdate(ledgerClaimUpdate, {
        args: [{ ...input.request, at: new Date().toISOString() }],
      }),
    );
  };
}

/** Input of the finish activity. */
export interface FinishClusterInput {
  cluster: ClusterIdentity;
  request: Omit<FinishRequest, 'at'>;
}

/** Builds the activity that ends the run's claim with its verdict and releases the lock. */
export function makeFinishCluster(deps: LedgerDeps) {
  return async function finishCluster(input: FinishClusterInput): Promise<FinishReply> {
    return update(() =>
      ledger(deps, input.cluster).executeUpdate(ledgerFinishUpdate, {
        args: [{ ...input.request, at: new Date().toISOString() }],
      }),
    );
  };
}
