/**
 * One failover per target at a time, however runs are started: a run holds its target by running
 * this workflow as a child under a fixed id. A second child with the same id cannot start while the
 * first runs. The parent-close policy (request cancel) releases the lock when its holder ends in any
 * way (completed, failed, terminated, timed out), so a crashed or killed run never strands it. The
 * lock then completes normally, with a result naming the run it held: nothing in the Web UI's list
 * reads as an accident after a normal failover. This costs the lock one workflow task at release
 * (BENCHMARKS.md); terminating it instead would cost none but leave a Terminated run per failover.
 * Its id comes from `targetLockWorkflowId` in the contract, its summary from `targetLockSummary`.
 */
import { CancellationScope, isCancellation, setCurrentDetails } from '@temporalio/workflow';
import { markdownList } from '../../contract';

/** Input of {@link vchaTargetLock}: shown in the UI so an operator sees who holds what. */
export interface TargetLockInput {
  target: string;
  holder: { workflowId: string; runId: string };
}

/** What a released lock returns: the run it held and when it let go. */
export interface TargetLockResult {
  target: string;
  heldBy: { workflowId: string; runId: string };
  releasedAt: string;
  message: string;
}

/** Holds a target until its holder closes (the server then cancels it) or an operator cancels it. */
export async function vchaTargetLock(input: TargetLockInput): Promise<TargetLockResult> {
  const { target, holder } = input;
  setCurrentDetails(markdownList([`**Holds:** ${target}`, `**For run:** ${holder.workflowId} (${holder.runId})`]));
  try {
    await CancellationScope.current().cancelRequested;
  } catch (error) {
    // Cancellation is the normal release: end as completed rather than as an error.
    if (!isCancellation(error)) throw error;
  }
  const releasedAt = new Date().toISOString();
  setCurrentDetails(
    `**Held:** ${target}\n**For run:** ${holder.workflowId} (${holder.runId})\n**Released:** ${releasedAt}`,
  );
  return {
    target,
    heldBy: holder,
    releasedAt,
    message: `held ${target} for run ${holder.workflowId} (${holder.runId}); released when that run closed`,
  };
}
