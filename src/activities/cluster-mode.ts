/**
 * Sets the VCHA cluster mode for a maintenance run (`PUT /api/vcenter/vcha/cluster/mode?vmw-task=true`)
 * and follows vCenter's mode-set task to its end. Idempotent, so it may be retried: it reads the
 * mode first and sends nothing when the cluster already has the one asked for (and setting that
 * mode would change nothing on vCenter either). A transition that needs a HEALTHY cluster waits
 * for one through retries instead of starting a task vCenter would end FAILED.
 */
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { CLUSTER_MODE_SET, MODE_SET_FAILURE_TYPES, type ClusterMode } from '../contract';
import { VcenterError, type VcenterClient } from '../vcenter';
import type { CisTaskInfo } from '../vcenter/schemas';
import { isUnauthorized } from '../vcenter/classify';
import type { ActivityDeps } from './deps';
import { classOf, clientOf, notAuthorizedFailure, readFailure, taskErrorText } from './failures';
import { withHeartbeats } from './heartbeat';

/** Input of {@link makeSetClusterMode}. */
export interface SetClusterModeInput {
  target: string;
  mode: ClusterMode;
  /** How often the task is read, in ms. */
  pollInterval: number;
}

/** What the set did. */
export interface SetClusterModeResult {
  /** The mode read before the set. */
  from: ClusterMode;
  to: ClusterMode;
  /** False when the cluster already had the mode: nothing was sent. */
  changed: boolean;
  taskId?: string;
}

/** Builds the mode-set activity. */
export function makeSetClusterMode(deps: ActivityDeps) {
  return async function setClusterMode(input: SetClusterModeInput): Promise<SetClusterModeResult> {
    const client = clientOf(deps, input.target);
    let from: ClusterMode;
    try {
      from = (await client.getMode()).mode;
      if (from === input.mode) {
        log.info('cluster mode already set', { target: input.target, mode: from });
        return { from, to: input.mode, changed: false };
      }
      // Every transition into or out of MAINTENANCE needs a HEALTHY cluster (DISABLED is never asked for here).
      const health = (await client.getCluster({ partial: true })).health_state;
      if (health !== 'HEALTHY') {
        throw ApplicationFailure.create({
          type: MODE_SET_FAILURE_TYPES.needsHealthy,
          message: `the mode of ${input.target} can change from ${from} to ${input.mode} only when the cluster is HEALTHY; it is ${health ?? 'not reported'}`,
        });
      }
    } catch (error) {
      if (error instanceof ApplicationFailure) throw error;
      throw readFailure(input.target, error);
    }
    let taskId: string;
    try {
      taskId = await client.setMode(input.mode);
    } catch (error) {
      throw setFailure(input.target, error);
    }
    log.info('cluster mode set requested', { target: input.target, from, to: input.mode, taskId });
    const task = await withHeartbeats(
      () => followTask(client, taskId, input.pollInterval),
      () => ({ taskId }),
    );
    if (task.status === 'FAILED') {
      throw ApplicationFailure.create({
        type: MODE_SET_FAILURE_TYPES.notSet,
        message: `vCenter's task ${taskId} setting the mode of ${input.target} from ${from} to ${input.mode} ended FAILED: ${taskErrorText(task)}`,
        nonRetryable: true,
      });
    }
    let now: ClusterMode;
    try {
      now = (await client.getMode()).mode;
    } catch (error) {
      throw readFailure(input.target, error);
    }
    if (now !== input.mode) {
      throw ApplicationFailure.create({
        type: MODE_SET_FAILURE_TYPES.notSet,
        message: `vCenter's task ${taskId} setting the mode of ${input.target} to ${input.mode} succeeded, but the mode reads ${now}`,
        nonRetryable: true,
      });
    }
    return { from, to: input.mode, changed: true, taskId };
  };
}

/** Reads the task until it ends; a read that fails is retried on the next poll (the activity's timeout bounds it). */
async function followTask(client: VcenterClient, taskId: string, pollInterval: number): Promise<CisTaskInfo> {
  for (;;) {
    const task = await client.getTask(taskId).catch(() => undefined);
    if (task && (task.status === 'SUCCEEDED' || task.status === 'FAILED')) return task;
    await Context.current().sleep(pollInterval);
  }
}

/** The set's own errors: a 403 is the missing privilege (final); anything else may be retried, as the set is idempotent. */
function setFailure(target: string, error: unknown): Error {
  if (error instanceof VcenterError && isUnauthorized(classOf(error))) {
    return notAuthorizedFailure(target, error, CLUSTER_MODE_SET.privilege);
  }
  return readFailure(target, error);
}
