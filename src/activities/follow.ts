/**
 * Follows a failover from inside long-running activities (Temporal's polling pattern: one request
 * per poll interval, heartbeats in between, no workflow timers), through the outage the failover
 * causes: refused connections, resets, timeouts, 503s, a lost session and a task id unknown on the
 * new node. The cluster state is the proof; the task status is supporting evidence.
 */
import { Context, log } from '@temporalio/activity';
import { allMembersUp, describeSnapshot, snapshotCluster, type ClusterSnapshot } from '../domain/cluster-snapshot';
import {
  VcenterApiError,
  VcenterError,
  VcenterResponseError,
  VcenterUnreachableError,
  type VcenterClient,
} from '../vcenter';
import type { ActivityDeps } from './deps';
import { clientOf, notAuthorizedFailure } from './failures';
import { withHeartbeats } from './heartbeat';
import {
  initialFollowState,
  observe,
  observeReachable,
  observeUnreachable,
  publicObservations,
  type FollowState,
} from './observations';

/** Input of {@link awaitSwitch}. */
export interface AwaitSwitchInput {
  target: string;
  taskId?: string;
  /** Identity of the node that was ACTIVE before the failover. */
  previousActive: string;
  /** Identity of the node that was PASSIVE before: it must become ACTIVE. */
  previousPassive: string;
  /** Epoch ms after which the activity gives up and reports what it saw. */
  deadline: number;
  pollIntervalMs: number;
}

/** How the switch ended, with everything seen on the way. */
export interface AwaitSwitchResult {
  outcome: 'switched' | 'failed' | 'deadline';
  snapshot?: ClusterSnapshot;
  taskStatus?: string;
  taskError?: string;
  observation: string;
  observations: string[];
  longestOutageMs: number;
}

/** Input of {@link awaitHealthy}. */
export interface AwaitHealthyInput {
  target: string;
  expectedActive: string;
  requireHealthy: boolean;
  deadline: number;
  pollIntervalMs: number;
}

/** How verification ended. */
export interface AwaitHealthyResult {
  outcome: 'verified' | 'deadline';
  snapshot?: ClusterSnapshot;
  observation: string;
  observations: string[];
}

/** Records a failed poll; throws only for errors no waiting can cure (403). */
function observeError(state: FollowState, target: string, error: unknown): void {
  if (error instanceof VcenterApiError && error.status === 403) throw notAuthorizedFailure(target, error);
  if (error instanceof VcenterUnreachableError) return observeUnreachable(state, error.reason);
  if (error instanceof VcenterApiError && (error.status === 503 || error.status === 504 || error.status === 502)) {
    return observeUnreachable(state, `HTTP ${error.status}`);
  }
  observeReachable(state);
  if (error instanceof VcenterResponseError)
    return observe(state, `unexpected response from vCenter: ${error.message}`, 'bad-response');
  if (error instanceof VcenterError) return observe(state, `vCenter error: ${error.message}`, 'error');
  observe(state, `error: ${String(error)}`, 'error');
}

/** Sleeps one poll interval, or less when the deadline comes first; rejects if the activity is cancelled. */
async function pause(pollIntervalMs: number, deadline: number): Promise<void> {
  const wait = Math.min(pollIntervalMs, deadline - Date.now());
  if (wait > 0) await Context.current().sleep(wait);
}

/** Builds the activity that waits until the old passive node is ACTIVE, the task fails, or the deadline. */
export function makeAwaitSwitch(deps: ActivityDeps) {
  return async function awaitSwitch(input: AwaitSwitchInput): Promise<AwaitSwitchResult> {
    const client = clientOf(deps, input.target);
    const state = initialFollowState(Context.current().info.heartbeatDetails);
    const result = (outcome: AwaitSwitchResult['outcome'], snapshot?: ClusterSnapshot): AwaitSwitchResult => ({
      outcome,
      snapshot,
      taskStatus: state.taskStatus,
      taskError: state.taskError,
      observation: state.observation,
      observations: publicObservations(state),
      longestOutageMs: state.longestOutageMs,
    });
    return withHeartbeats(
      async () => {
        while (Date.now() < input.deadline) {
          state.polls += 1;
          const watchTask = input.taskId !== undefined && !state.taskGone && !isTerminal(state.taskStatus);
          try {
            if (watchTask) {
              await pollTask(client, input.taskId!, state);
            } else {
              const snapshot = snapshotCluster(await client.getCluster({ partial: false }), { observedAt: new Date() });
              observeReachable(state);
              if (snapshot.activeNode === input.previousPassive) {
                observe(state, `switch complete: ${input.previousPassive} is ACTIVE (${describeSnapshot(snapshot)})`);
                return result('switched', snapshot);
              }
              if (snapshot.activeNode === input.previousActive && state.taskStatus === 'FAILED') {
                observe(state, `task FAILED and ${input.previousActive} is still ACTIVE`);
                return result('failed', snapshot);
              }
              observe(
                state,
                `waiting for ${input.previousPassive} to become ACTIVE (${describeSnapshot(snapshot)})`,
                'waiting',
              );
            }
          } catch (error) {
            observeError(state, input.target, error);
          }
          await pause(input.pollIntervalMs, input.deadline);
        }
        log.warn('failover deadline passed without proof of the switch', {
          target: input.target,
          observation: state.observation,
        });
        return result('deadline');
      },
      () => state,
    );
  };
}

function isTerminal(status: string | undefined): boolean {
  return status === 'SUCCEEDED' || status === 'FAILED';
}

async function pollTask(client: VcenterClient, taskId: string, state: FollowState): Promise<void> {
  try {
    const task = await client.getTask(taskId);
    observeReachable(state);
    state.taskStatus = task.status;
    const progress = task.progress
      ? ` ${Math.round((100 * task.progress.completed) / Math.max(task.progress.total, 1))}%`
      : '';
    if (task.status === 'FAILED') {
      const error = task.error;
      state.taskError =
        typeof error === 'string'
          ? error
          : (error?.messages?.map((m) => m.default_message).join('; ') ?? 'no error message');
      observe(state, `task FAILED: ${state.taskError}`);
    } else {
      observe(
        state,
        `task ${task.status}${progress}${task.progress?.message?.default_message ? ` (${task.progress.message.default_message})` : ''}`,
        `task-${task.status}`,
      );
    }
  } catch (error) {
    if (error instanceof VcenterApiError && error.status === 404) {
      state.taskGone = true;
      observeReachable(state);
      observe(state, `task ${taskId} unknown on the new node; judging by the cluster state`);
      return;
    }
    throw error;
  }
}

/** Builds the activity that waits for all members UP (and HEALTHY when required) on the new active node. */
export function makeAwaitHealthy(deps: ActivityDeps) {
  return async function awaitHealthy(input: AwaitHealthyInput): Promise<AwaitHealthyResult> {
    const client = clientOf(deps, input.target);
    const state = initialFollowState(Context.current().info.heartbeatDetails);
    let last: ClusterSnapshot | undefined;
    const result = (outcome: AwaitHealthyResult['outcome']): AwaitHealthyResult => ({
      outcome,
      snapshot: last,
      observation: state.observation,
      observations: publicObservations(state),
    });
    return withHeartbeats(
      async () => {
        while (Date.now() < input.deadline) {
          try {
            last = snapshotCluster(await client.getCluster({ partial: false }), { observedAt: new Date() });
            observeReachable(state);
            const activeOk = last.activeNode === input.expectedActive;
            const membersOk = allMembersUp(last);
            const healthOk = !input.requireHealthy || last.healthState === 'HEALTHY';
            if (activeOk && membersOk && healthOk) {
              observe(state, `verified: ${describeSnapshot(last)}`);
              return result('verified');
            }
            observe(
              state,
              !activeOk
                ? `expected ${input.expectedActive} ACTIVE, saw ${last.activeNode ?? 'none'}`
                : !membersOk
                  ? `waiting for all members UP (${describeSnapshot(last)})`
                  : `cluster ${last.healthState ?? 'health unknown'}, waiting for HEALTHY`,
              'waiting',
            );
          } catch (error) {
            observeError(state, input.target, error);
          }
          await pause(input.pollIntervalMs, input.deadline);
        }
        return result('deadline');
      },
      () => state,
    );
  };
}
