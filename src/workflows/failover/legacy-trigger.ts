/**
 * The legacy path: the combined check-and-send `triggerFailover` activity, scheduled only by runs
 * whose history has no `send-failover-once` marker (started by 0.1.0, see `patches.ts`). It keeps
 * their histories replaying; it goes when that switch does.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { FailoverActivities } from '../../activities';
import { SEND_FAILURE_TYPES } from '../../contract';
import type { ValidatedFailoverInput } from '../../contract/input/failover';
import { applicationCause, causeMessage, contractTypeOf } from '../common/activity-errors';
import { LEGACY_TRIGGER } from './activity-options';
import { failed, type PassedPreflight, type RunEnd, type Sent } from './shapes';

/** Checks and sends in one activity with retries, as 0.1.0 did; then the cluster state decides. */
export async function legacyTrigger(
  input: ValidatedFailoverInput,
  passed: PassedPreflight,
  run: { note(observation: string): void },
): Promise<Sent | RunEnd> {
  const at = Date.now();
  try {
    const trigger = await proxyActivities<FailoverActivities>(LEGACY_TRIGGER).triggerFailover({
      target: input.target,
      planned: input.planned,
      expectedActive: passed.active,
      notBefore: new Date(at).toISOString(),
    });
    run.note(trigger.note);
    return { triggered: trigger.sent, taskId: trigger.taskId, at };
  } catch (error) {
    const type = contractTypeOf(error);
    if (type) return failed(type, causeMessage(error));
    if (applicationCause(error)?.type === SEND_FAILURE_TYPES.notSent) {
      return failed(
        'PreflightRejected',
        `the failover request never reached ${input.target}: ${causeMessage(error)}; nothing was sent`,
        {
          failedChecks: [
            { id: 'reachable', ok: false, detail: `vCenter accepts the failover request (${causeMessage(error)})` },
          ],
        },
      );
    }
    // The last attempt may have sent it: the cluster state decides.
    run.note(`trigger outcome unknown (${causeMessage(error)}); following the cluster state`);
    return { triggered: 'unknown', at, why: causeMessage(error) };
  }
}
