/**
 * Taking a target's lock (the `vchaTargetLock` child under `vcha-lock-<target>`), shared by
 * `vchaFailover` and `vchaMaintenance`. A `vchaFailover` run whose parent holds the lock (a
 * maintenance run's leg) runs under its parent's lock: the maintenance holds the target for its
 * whole length, between its legs too, and nobody else gets in.
 */
import {
  CancellationScope,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  proxyActivities,
  sleep,
  startChild,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { FailoverActivities } from '../../activities';
import { WORKFLOW_TYPES, targetLockSummary, targetLockWorkflowId } from '../../contract';
import { vchaTargetLock } from './target-lock';

/** Naming a busy target's holder: a Temporal describe, nice to have and quick to give up on. */
const LOCK_HOLDER: ActivityOptions = { startToCloseTimeout: '30s', retry: { maximumAttempts: 3 } };

/** How often, and how long apart, a run retries a lock whose holder has just closed. */
const LOCK_STALE_RETRIES = 10;
const LOCK_STALE_RETRY_INTERVAL_MS = 500;

/** Why a target could not be held: who holds it, as far as Temporal says. */
export interface TargetBusy {
  message: string;
  heldBy?: { workflowId: string; runId?: string };
}

/** Holds `target` until this run closes; `undefined` once held (or held by this run's parent), else who holds it. */
export async function holdTarget(target: string): Promise<TargetBusy | undefined> {
  const info = workflowInfo();
  const lockWorkflowId = targetLockWorkflowId(target);
  const { describeTargetLock } = proxyActivities<FailoverActivities>({
    ...LOCK_HOLDER,
    summary: `name the run that holds ${lockWorkflowId}`,
  });
  for (let attempt = 1; ; attempt++) {
    try {
      // Started outside the cancellable scope: cancelling this run must not free the target while a
      // failover runs. Released (cancelled, so it completes) by the parent-close policy when this
      // run ends, however it ends.
      await CancellationScope.nonCancellable(() =>
        startChild(vchaTargetLock, {
          workflowId: lockWorkflowId,
          args: [{ target, holder: { workflowId: info.workflowId, runId: info.runId } }],
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
          staticSummary: targetLockSummary(target, info.workflowId),
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    const holder = await describeTargetLock({ lockWorkflowId }).catch(() => undefined);
    // A maintenance run holds the target for its legs: they run under its lock.
    if (holder?.running && info.parent !== undefined && holder.workflowId === info.parent.workflowId) return undefined;
    // A holder that has just closed leaves its lock for a moment until the server ends it.
    if (holder?.running === false && attempt < LOCK_STALE_RETRIES) {
      await sleep(LOCK_STALE_RETRY_INTERVAL_MS, { summary: `wait for the closed holder to release ${target}` });
      continue;
    }
    const doing = holder?.type === WORKFLOW_TYPES.maintenance ? 'holding it for maintenance' : 'failing it over';
    return holder
      ? {
          message: `target ${target} is busy: run ${holder.workflowId} (${holder.runId ?? 'run id unknown'}) is ${doing}`,
          heldBy: { workflowId: holder.workflowId, runId: holder.runId },
        }
      : { message: `target ${target} is busy: another run holds ${lockWorkflowId}` };
  }
}
