/**
 * Finds a schedule of this product by id for `schedule pause|unpause|trigger|delete` and `schedule
 * list`, refusing schedules that start anything but `vchaFailover` or `vchaMaintenance`.
 */
import { WORKFLOW_TYPES } from '../../../contract';
import type { ScheduleDescription, ScheduleHandle } from '@temporalio/client';
import type { TemporalSession } from '../../connect';
import { CliFailure } from '../../io';
import { clientSdk } from '../../sdk';

/** A schedule's handle and description. */
export interface FoundSchedule {
  handle: ScheduleHandle;
  description: ScheduleDescription;
}

/** Describes the schedule, or undefined when it does not exist (any more). */
export async function describeSchedule(
  { client }: TemporalSession,
  scheduleId: string,
): Promise<FoundSchedule | undefined> {
  const { ScheduleNotFoundError } = await clientSdk();
  const handle = client.schedule.getHandle(scheduleId);
  try {
    return { handle, description: await handle.describe() };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  }
}

/** The schedule, or a CliFailure when it is missing or starts neither vchaFailover nor vchaMaintenance. */
export async function findFailoverSchedule(session: TemporalSession, scheduleId: string): Promise<FoundSchedule> {
  const found = await describeSchedule(session, scheduleId);
  if (!found) throw new CliFailure(`no schedule ${scheduleId} in namespace ${session.namespace}`);
  const type = found.description.action.workflowType;
  if (type !== WORKFLOW_TYPES.failover && type !== WORKFLOW_TYPES.maintenance) {
    throw new CliFailure(`schedule ${scheduleId} starts ${type}, not vchaFailover or vchaMaintenance`);
  }
  return found;
}
