/**
 * One failover per target at a time, however runs are started: a run holds its target by running
 * this workflow as a child under a fixed id. A second child with the same id cannot start while the
 * first runs. The parent-close policy (terminate) ends the lock when its holder ends in any way
 * (completed, failed, terminated, timed out), so a crashed or killed run never strands it, and
 * the holder's history pays no events for releasing it. Terminating rather than requesting a
 * cancel spares the lock a workflow task at release: it has nothing to clean up. Its id comes
 * from `targetLockWorkflowId` in the contract.
 */
import { CancellationScope, isCancellation } from '@temporalio/workflow';

/** Input of {@link vchaTargetLock}: shown in the UI so an operator sees who holds what. */
export interface TargetLockInput {
  target: string;
  holder: { workflowId: string; runId: string };
}

/** Holds a target until its holder closes (the server then terminates it) or an operator cancels it. */
export async function vchaTargetLock(_input: TargetLockInput): Promise<void> {
  try {
    await CancellationScope.current().cancelRequested;
  } catch (error) {
    // Cancellation is the normal release: end as completed rather than as an error.
    if (!isCancellation(error)) throw error;
  }
}
