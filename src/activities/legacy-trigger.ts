/**
 * The activity runs started before the failover request had an activity of its own still
 * schedule (`triggerFailover`: check and send in one). It keeps their histories replaying and
 * their failovers safe: only the first attempt may send, and only to a cluster whose roles are
 * still as preflight saw them; a retried attempt never sends, and anything but an accepted
 * request is reported as "unknown", so the cluster state decides. Remove it with the workflow's
 * legacy branch once no such run is left (see `src/workflows/failover/patches.ts`).
 */
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { SEND_FAILURE_TYPES } from '../contract';
import { makeCheckCluster } from './check-cluster';
import type { ActivityDeps } from './deps';
import { clientOf } from './failures';
import { withHeartbeats } from './heartbeat';
import { sendOnce } from './send-failover';

/** Input of {@link triggerFailover}, as those runs send it. */
export interface TriggerInput {
  target: string;
  planned: boolean;
  /** Identity of the node preflight saw ACTIVE. */
  expectedActive: string;
  /** When the workflow decided to trigger (ISO). */
  notBefore: string;
}

/** Whether the request went out, as far as can be proven. */
export interface TriggerResult {
  sent: 'yes' | 'unknown';
  taskId?: string;
  at: string;
  note: string;
}

/** Builds the legacy trigger activity. */
export function makeTriggerFailover(deps: ActivityDeps) {
  const checkCluster = makeCheckCluster(deps);
  return async function triggerFailover(input: TriggerInput): Promise<TriggerResult> {
    const at = () => new Date().toISOString();
    const { attempt } = Context.current().info;
    if (attempt > 1) {
      return {
        sent: 'unknown',
        at: at(),
        note: `attempt ${attempt} does not send: an earlier attempt may have been accepted`,
      };
    }
    return withHeartbeats(
      async () => {
        const check = await checkCluster({ target: input.target, expectedActive: input.expectedActive });
        if (!check.unchanged) {
          throw ApplicationFailure.create({
            type: 'PreflightRejected',
            message: `vCenter ${input.target} changed since preflight (${check.detail}): not triggering`,
            nonRetryable: true,
          });
        }
        try {
          const sent = await sendOnce(clientOf(deps, input.target), input);
          return {
            sent: 'yes',
            taskId: sent.taskId,
            at: sent.at,
            note: `vCenter accepted the failover as ${sent.taskId}`,
          };
        } catch (error) {
          if (error instanceof ApplicationFailure && error.type === SEND_FAILURE_TYPES.notSent) {
            // Nothing was sent: the run ends saying so, and re-running it is safe.
            throw ApplicationFailure.create({
              type: SEND_FAILURE_TYPES.notSent,
              message: error.message,
              nonRetryable: true,
            });
          }
          if (!(error instanceof ApplicationFailure)) throw error;
          log.warn('failover request not confirmed; the cluster state decides', {
            target: input.target,
            error: error.message,
          });
          return { sent: 'unknown', at: at(), note: `${error.message}; not re-sending, judging by the cluster state` };
        }
      },
      () => ({ stage: `attempt ${attempt}: checking the cluster, then sending` }),
    );
  };
}
