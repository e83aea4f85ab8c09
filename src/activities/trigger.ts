/**
 * Sends the failover request at most once per workflow run. A retry of this activity first looks
 * for evidence that an earlier attempt's request reached vCenter and, if it finds any, does not
 * send again: a failover sent twice fails back.
 */
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { snapshotCluster } from '../domain/cluster-snapshot';
import { UnknownTargetError } from '../config';
import {
  mayHaveExecuted,
  VCHA_CLUSTER_SERVICE_ID,
  VcenterApiError,
  VcenterError,
  VcenterUnreachableError,
  type VcenterClient,
} from '../vcenter';
import type { ActivityDeps } from './deps';
import { clientOf, notAuthorizedFailure, readFailure, unknownTargetFailure } from './failures';
import { withHeartbeats } from './heartbeat';

/** Input of {@link triggerFailover}. */
export interface TriggerInput {
  target: string;
  planned: boolean;
  /** Identity of the node preflight saw ACTIVE. */
  expectedActive: string;
  /** When the workflow decided to trigger (ISO): tasks older than this are not ours. */
  notBefore: string;
}

/** Whether the request went out, as far as can be proven. */
export interface TriggerResult {
  sent: 'yes' | 'unknown';
  taskId?: string;
  at: string;
  note: string;
}

/** vCenter's and this worker's clocks may disagree; a task this much older than our intent is still ours. */
const CLOCK_SKEW_ALLOWANCE_MS = 5 * 60_000;

/** Builds the trigger activity. */
export function makeTriggerFailover(deps: ActivityDeps) {
  return async function triggerFailover(input: TriggerInput): Promise<TriggerResult> {
    const attempt = Context.current().info.attempt;
    let stage = `attempt ${attempt}: checking the cluster before sending`;
    return withHeartbeats(
      async () => {
        const client = clientOf(deps, input.target);
        const earlier = await findEarlierTrigger(client, input, attempt);
        if (earlier) return earlier;

        stage = `attempt ${attempt}: sending the failover request`;
        log.info('sending failover request', { target: input.target, planned: input.planned, attempt });
        try {
          const taskId = await client.startFailover({ planned: input.planned });
          return {
            sent: 'yes',
            taskId,
            at: new Date().toISOString(),
            note: `vCenter accepted the failover as ${taskId}`,
          };
        } catch (error) {
          return handleSendError(input, error);
        }
      },
      () => ({ stage }),
    );
  };
}

function handleSendError(input: TriggerInput, error: unknown): TriggerResult {
  if (error instanceof UnknownTargetError) throw unknownTargetFailure(error);
  if (error instanceof VcenterApiError && error.status === 403) throw notAuthorizedFailure(input.target, error);
  if (!mayHaveExecuted(error, 'cluster.failover')) {
    // Proven not sent (refused connection, or the login on its behalf failed): safe to retry, and
    // the next attempt still looks for evidence before sending.
    throw ApplicationFailure.create({
      type: 'FailoverNotSent',
      message: `the failover request did not reach vCenter ${input.target}: ${error instanceof Error ? error.message : String(error)}`,
      details: error instanceof VcenterError ? [error.toJSON()] : [],
    });
  }
  if (error instanceof VcenterApiError && error.status !== 503 && error.status !== 504) {
    // A definitive answer: vCenter received the request and refused it.
    throw ApplicationFailure.create({
      type: 'FailoverFailed',
      message: `vCenter ${input.target} refused the failover (HTTP ${error.status}${error.errorType ? ` ${error.errorType}` : ''}): ${error.messages.join('; ') || error.message}`,
      nonRetryable: true,
      details: [error.toJSON()],
    });
  }
  // The request may have reached vCenter (reset, timeout, gateway error): never send it again.
  const detail = error instanceof VcenterError ? error.message : String(error);
  log.warn('failover request outcome unknown; following the cluster state instead of re-sending', {
    target: input.target,
    detail,
  });
  return {
    sent: 'unknown',
    at: new Date().toISOString(),
    note: `the failover request may have reached vCenter (${detail}); not re-sending, judging by the cluster state`,
  };
}

/**
 * Looks at the cluster before sending. On the first attempt a changed active node or a running
 * failover means someone else is failing over: stop. On a retry the same signs mean our earlier
 * attempt got through: follow it instead of sending again.
 */
async function findEarlierTrigger(
  client: VcenterClient,
  input: TriggerInput,
  attempt: number,
): Promise<TriggerResult | undefined> {
  const retry = attempt > 1;
  let snapshot;
  try {
    const info = await client.getCluster({ partial: false });
    const operations = await client.getOperations();
    snapshot = snapshotCluster(info, { operations, observedAt: new Date() });
  } catch (error) {
    if (retry && error instanceof VcenterUnreachableError) {
      return unknown(`vCenter is unreachable after an interrupted attempt (${error.message})`);
    }
    throw readFailure(input.target, error);
  }
  const activeChanged = snapshot.activeNode !== undefined && snapshot.activeNode !== input.expectedActive;
  const switching = snapshot.activeNode === undefined;
  if (!retry) {
    if (activeChanged || snapshot.failoverRunning || switching) {
      throw ApplicationFailure.create({
        type: 'PreflightRejected',
        message:
          `vCenter ${input.target} changed since preflight (active ${snapshot.activeNode ?? 'none'}, expected ` +
          `${input.expectedActive}${snapshot.failoverRunning ? ', a failover is running' : ''}): not triggering`,
        nonRetryable: true,
      });
    }
    return undefined;
  }
  const taskId = await findRecentFailoverTask(client, input.notBefore);
  if (activeChanged || switching || snapshot.failoverRunning || taskId) {
    const sign = activeChanged
      ? `the active node is now ${snapshot.activeNode}`
      : switching
        ? 'no node is ACTIVE (switch in progress)'
        : snapshot.failoverRunning
          ? 'a failover is running'
          : `task ${taskId} exists`;
    return unknown(`an earlier attempt's failover reached vCenter: ${sign}`, taskId);
  }
  log.info('no sign of an earlier failover request; sending it now', { target: input.target, attempt });
  return undefined;
}

async function findRecentFailoverTask(client: VcenterClient, notBefore: string): Promise<string | undefined> {
  const threshold = Date.parse(notBefore) - CLOCK_SKEW_ALLOWANCE_MS;
  try {
    const tasks = await client.listTasks({ services: [VCHA_CLUSTER_SERVICE_ID] });
    const recent = Object.entries(tasks).filter(
      ([, task]) =>
        (task.operation ?? '').endsWith('failover') &&
        (task.start_time === undefined || Date.parse(task.start_time) >= threshold),
    );
    return recent.at(-1)?.[0];
  } catch (error) {
    log.warn('could not list vCenter tasks while reconciling', { error: String(error) });
    return undefined;
  }
}

function unknown(note: string, taskId?: string): TriggerResult {
  return { sent: 'unknown', taskId, at: new Date().toISOString(), note };
}
