/**
 * Turns errors met in activities into Temporal failures with the contract's stable types, by what
 * the one vCenter error classifier says they prove: definitive answers become non-retryable,
 * transient trouble stays retryable.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { UnknownTargetError } from '../config';
import { VcenterError, type VcenterClient } from '../vcenter';
import type { CisTaskInfo } from '../vcenter/schemas';
import { classifyVcenterError, isUnauthorized, type VcenterErrorClass } from '../vcenter/classify';
import type { ActivityDeps } from './deps';

/** The privilege vCenter requires for a failover and for a full cluster read. */
const FAILOVER_PRIVILEGE = 'Global.VCServer';

/** Non-retryable failure for a target the worker has no configuration for. */
export function unknownTargetFailure(error: UnknownTargetError): ApplicationFailure {
  return ApplicationFailure.create({ type: 'UnknownTarget', message: error.message, nonRetryable: true });
}

/** Non-retryable failure for vCenter's 403: the configured account lacks a privilege. */
export function notAuthorizedFailure(
  target: string,
  error: VcenterError,
  privilege = FAILOVER_PRIVILEGE,
): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'NotAuthorized',
    message:
      `vCenter ${target} refused ${error.operation} (403): the account configured for this target needs the ` +
      `${privilege} privilege`,
    nonRetryable: true,
    details: [error.toJSON()],
  });
}

/** The class of an error of the client, judged against the call it was made for. */
export function classOf(error: unknown): VcenterErrorClass {
  return classifyVcenterError(error, error instanceof VcenterError ? error.operation : 'cluster.get');
}

/**
 * Maps an error from a read-only vCenter call: unknown target and vCenter's 403 are final; anything
 * else is rethrown as a retryable failure whose message is safe to store in history.
 */
export function readFailure(target: string, error: unknown): Error {
  if (error instanceof UnknownTargetError) return unknownTargetFailure(error);
  if (error instanceof VcenterError) {
    const errorClass = classOf(error);
    // Reads need only System.Read (a partial cluster get); a 403 there is a missing read privilege.
    if (isUnauthorized(errorClass)) return notAuthorizedFailure(target, error, 'System.Read');
    return ApplicationFailure.create({
      type: error.name,
      message: error.message,
      details: [{ ...error.toJSON(), errorClass: errorClass.kind }],
    });
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

/** The vCenter error message of a FAILED task, in one line. */
export function taskErrorText(task: CisTaskInfo): string {
  const error = task.error;
  if (typeof error === 'string') return error;
  return error?.messages?.map((m) => m.default_message).join('; ') ?? 'no error message';
}
