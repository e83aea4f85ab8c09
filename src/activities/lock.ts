/** Names the run that holds a target's lock, so `TargetBusy` can say who is failing it over. */
import type { ActivityDeps, LockHolder } from './deps';

/** Builds the activity that describes a lock workflow's parent. */
export function makeDescribeTargetLock(deps: ActivityDeps) {
  return async function describeTargetLock(input: { lockWorkflowId: string }): Promise<LockHolder | undefined> {
    return deps.describeLockHolder(input.lockWorkflowId);
  };
}
