/** Names the run that holds a target's lock, so `TargetBusy` can say who is failing it over. */
import type { ActivityDeps } from './deps';

/** The run that holds a target's lock, as Temporal describes it. */
export interface LockHolder {
  workflowId: string;
  runId?: string;
  /** False once the holder has closed and its lock is about to end. */
  running: boolean;
  /** The holder's workflow type, e.g. `vchaFailover` or `vchaMaintenance`. */
  type?: string;
}

/** Builds the activity that describes a lock workflow's parent: its holder. */
export function makeDescribeTargetLock(deps: ActivityDeps) {
  return async function describeTargetLock(input: { lockWorkflowId: string }): Promise<LockHolder | undefined> {
    try {
      const lock = await deps.temporal.workflow.getHandle(input.lockWorkflowId).describe();
      const parent = lock.parentExecution;
      if (lock.status.name !== 'RUNNING' || !parent?.workflowId) return undefined;
      const holder = await deps.temporal.workflow.getHandle(parent.workflowId, parent.runId ?? undefined).describe();
      return {
        workflowId: parent.workflowId,
        runId: parent.runId ?? undefined,
        running: holder.status.name === 'RUNNING',
        type: holder.type,
      };
    } catch {
      // The lock or its holder ended between the failed start and this call: nobody to name.
      return undefined;
    }
  };
}
