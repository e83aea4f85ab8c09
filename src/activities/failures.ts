/**
 * Turns errors met in activities into Temporal failures with the workflow contract's stable types:
 * definitive answers become non-retryable, transient trouble stays retryable.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { UnknownTargetError } from '../config';
import { VcenterApiError, VcenterError, type VcenterClient } from '../vcenter';
import type { ActivityDeps } from './deps';

/** The privilege vCenter requires for a failover and for a full cluster read. */
const FAILOVER_PRIVILEGE = 'Global.VCServer';

/** Non-retryable failure for a target the worker has no configuration for. */
export function unknownTargetFailure(error: UnknownTargetError): ApplicationFailure {
  return ApplicationFailure.create({ type: 'UnknownTarget', message: error.message, nonRetryable: true });
}

/** Non-retryable failure for a 403: the configured account lacks the failover privilege. */
export function notAuthorizedFailure(target: string, error: VcenterApiError): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'NotAuthorized',
    message:
      `vCenter ${target} refused ${error.operation} (403): the account configured for this target needs the ` +
      `${FAILOVER_PRIVILEGE} privilege`,
    nonRetryable: true,
    details: [error.toJSON()],
  });
}

/**
 * Maps an error from a read-only vCenter call: unknown target and 403 are final; anything else is
 * rethrown as a retryable failure whose message is safe to store in history.
 */
export function readFailure(target: string, error: unknown): Error {
  if (error instanceof UnknownTargetError) return unknownTargetFailure(error);
  if (error instanceof VcenterApiError && error.status === 403) return notAuthorizedFailure(target, error);
  if (error instanceof VcenterError) {
    return ApplicationFailure.create({ type: error.name, message: error.message, details: [error.toJSON()] });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** The target's client; an unconfigured target becomes the non-retryable `UnknownTarget`. */
export function clientOf(deps: ActivityDeps, target: string): VcenterClient {
  try {
    return deps.clientFor(target);
  } catch (error) {
    if (error instanceof UnknownTargetError) throw unknownTargetFailure(error);
    throw error;
  }
}
