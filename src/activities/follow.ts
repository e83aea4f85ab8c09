/**
 * Follows a failover from inside one long-running activity (Temporal's polling pattern: one request
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
import type { FollowHeartbeat } from '../contract';
import type { ActivityDeps } from './deps';
import { clientOf, notAuthorizedFailure } from './failures';
import { withHeartbeats } from './heartbeat';
import {
  initialFollowHeartbeat,
  observe,
  observeReachable,
  observeUnreachable,
  publicObservations,
} from './observations';

/** Input of {@link followFailover}. */
export interface FollowFailoverInput {
  target: string;
  taskId?: string;
  /** Identity of the node that was ACTIVE before the failover. */
  previousActive: string;
  /** Identity of the node that was PASSIVE before: it must become ACTIVE. */
  previousPassive: string;
  /** Epoch ms by which the switch must be proven; after it the activity reports what it saw. */
  switchDeadline: number;
  /** How long after the switch the cluster may take to be back (all members UP, HEALTHY when required). */
  healthyTimeoutMs: number;
  requireHealthy: boolean;
  pollIntervalMs: number;
}

/**
 * How the failover ended: `verified` (switched and back), `failed` (the task FAILED and the old
 * node is still ACTIVE), `switch-deadline` (no proof of the switch in time) or `healthy-deadline`
 * (switched, but not back in time).
 */
export interface FollowFailoverResult {
  outcome: 'verified' | 'failed' | 'switch-deadline' | 'healthy-deadline';
  /** When the switch was first seen (ISO), if it was. */
  switchedAt?: string;
  snapshot?: ClusterSnapshot;
  taskStatus?: string;
  taskError?: string;
  observation: string;
  observations: string[];
  longestOutageMs: number;
}

/** Records a failed poll; throws only for errors no waiting can cure (403). */
function observeError(state: FollowHeartbeat, target: string, error: unknown): void {
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

/**
 * Builds the activity that follows a triggered failover to its end: first until the old passive
 * node is ACTIVE (or the task FAILED), then until all members are UP and the cluster is HEALTHY.
 * One activity for both stages keeps the history small; its heartbeat says which stage it is in
 * (`phase`), and a retried attempt resumes in the stage, and against the deadline, it left.
 */
export function makeFollowFailover(deps: ActivityDeps) {
  return async function followFailover(input: FollowFailoverInput): Promise<FollowFailoverResult> {
    const client = clientOf(deps, input.target);
    const state = initialFollowHeartbeat(Context.current().info.heartbeatDetails);
    let last: ClusterSnapshot | undefined;
    // A retried attempt that resumes in VERIFYING polls at once; after a fresh switch, one interval on.
    let pollNow = state.phase === 'VERIFYING';
    const result = (outcome: FollowFailoverResult['outcome']): FollowFailoverResult => ({
      outcome,
      switchedAt: state.switchedAt !== undefined ? new Date(state.switchedAt).toISOString() : undefined,
      snapshot: last,
      taskStatus: state.taskStatus,
      taskError: state.taskError,
      observation: state.observation,
      observations: publicObservations(state),
      longestOutageMs: state.longestOutageMs,
    });
    const verified = (snapshot: ClusterSnapshot) => {
      observe(state, `verified: ${describeSnapshot(snapshot)}`);
      return result('verified');
    };
    return withHeartbeats(
      async () => {
        while (state.phase !== 'VERIFYING') {
          if (Date.now() >= input.switchDeadline) {
            log.warn('failover deadline passed without proof of the switch', {
              target: input.target,
              observation: state.observation,
            });
            return result('switch-deadline');
          }
          state.polls += 1;
          renewSessionAfterOutage(client, state);
          const watchTask = input.taskId !== undefined && !state.taskGone && !isTerminal(state.taskStatus);
          try {
            if (watchTask) {
              await pollTask(client, input.taskId!, state);
            } else {
              last = snapshotCluster(await client.getCluster({ partial: false }), { observedAt: new Date() });
              observeReachable(state);
              if (last.activeNode === input.previousPassive) {
                observe(state, `switch complete: ${input.previousPassive} is ACTIVE (${describeSnapshot(last)})`);
                state.phase = 'VERIFYING';
                state.switchedAt = Date.now();
                // The snapshot that proved the switch may already show the cluster back.
                if (isBack(last, input)) return verified(last);
                continue;
              }
              if (last.activeNode === input.previousActive && state.taskStatus === 'FAILED') {
                observe(state, `task FAILED and ${input.previousActive} is still ACTIVE`);
                return result('failed');
              }
              observe(
                state,
                `waiting for ${input.previousPassive} to become ACTIVE (${describeSnapshot(last)})`,
                'waiting',
              );
            }
          } catch (error) {
            observeError(state, input.target, error);
          }
          await pause(input.pollIntervalMs, input.switchDeadline);
        }

        const healthyDeadline = (state.switchedAt ?? Date.now()) + input.healthyTimeoutMs;
        while (true) {
          if (!pollNow) await pause(input.pollIntervalMs, healthyDeadline);
          pollNow = false;
          if (Date.now() >= healthyDeadline) return result('healthy-deadline');
          renewSessionAfterOutage(client, state);
          try {
            last = snapshotCluster(await client.getCluster({ partial: false }), { observedAt: new Date() });
            observeReachable(state);
            if (isBack(last, input)) return verified(last);
            observe(state, notBackYet(last, input), 'waiting');
          } catch (error) {
            observeError(state, input.target, error);
          }
        }
      },
      () => state,
    );
  };
}

/**
 * After vCenter was unreachable the failover has most likely switched nodes, and the new active
 * node does not know the old session: log in first instead of spending a request on a 401.
 */
function renewSessionAfterOutage(client: VcenterClient, state: FollowHeartbeat): void {
  if (state.unreachableSince !== undefined) client.forgetSession();
}

/** Whether the new active node is the expected one with all members UP (and HEALTHY when required). */
function isBack(snapshot: ClusterSnapshot, input: FollowFailoverInput): boolean {
  return (
    snapshot.activeNode === input.previousPassive &&
    allMembersUp(snapshot) &&
    (!input.requireHealthy || snapshot.healthState === 'HEALTHY')
  );
}

function notBackYet(snapshot: ClusterSnapshot, input: FollowFailoverInput): string {
  if (snapshot.activeNode !== input.previousPassive)
    return `expected ${input.previousPassive} ACTIVE, saw ${snapshot.activeNode ?? 'none'}`;
  if (!allMembersUp(snapshot)) return `waiting for all members UP (${describeSnapshot(snapshot)})`;
  return `cluster ${snapshot.healthState ?? 'health unknown'}, waiting for HEALTHY`;
}

function isTerminal(status: string | undefined): boolean {
  return status === 'SUCCEEDED' || status === 'FAILED';
}

async function pollTask(client: VcenterClient, taskId: string, state: FollowHeartbeat): Promise<void> {
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
