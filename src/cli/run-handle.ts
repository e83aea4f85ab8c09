/**
 * Finds runs by workflow id, with clear errors when there is none or it has the wrong type: a
 * `vchaFailover` run (`cancel`, `status`), the run `approve` and `reject` decide (a failover, or
 * the waiting leg of a `vchaMaintenance` run), and any run (`status`, `maintenance done`).
 */
import type { WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { TemporalSession } from './connect';
import { WORKFLOW_TYPES, maintenanceStatusQuery } from '../contract';
import { CliFailure } from './io';

/** A run's handle (pinned to its run id) and its description. */
export interface FoundRun {
  handle: WorkflowHandle;
  description: WorkflowExecutionDescription;
}

/** Describes the run (the latest with this id unless `runId` is given); fails unless it is a vchaFailover run. */
export async function findFailoverRun(session: TemporalSession, workflowId: string, runId?: string): Promise<FoundRun> {
  const found = await describeRun(session, workflowId, runId);
  if (found.description.type !== WORKFLOW_TYPES.failover) {
    throw new CliFailure(`${workflowId} is a ${found.description.type} workflow, not a vchaFailover run`);
  }
  return found;
}

/**
 * The run `approve` and `reject` decide: a vchaFailover run, or the leg a vchaMaintenance run is
 * running (where its approval waits).
 */
export async function findApprovalRun(session: TemporalSession, workflowId: string, runId?: string): Promise<FoundRun> {
  const found = await describeRun(session, workflowId, runId);
  if (found.description.type !== WORKFLOW_TYPES.maintenance || found.description.status.name !== 'RUNNING') {
    return findFailoverRun(session, workflowId, runId);
  }
  const status = await found.handle.query(maintenanceStatusQuery);
  const leg = status.legs.find((l) => l.outcome === undefined);
  if (!leg) throw new CliFailure(`${workflowId} is in ${status.phase}: no failover of it is waiting for approval`);
  return findFailoverRun(session, leg.workflowId);
}

/** Describes the run (the latest with this id unless `runId` is given), whatever its type. */
export async function describeRun(
  { client, namespace }: TemporalSession,
  workflowId: string,
  runId?: string,
): Promise<FoundRun> {
  let description;
  try {
    description = await client.workflow.getHandle(workflowId, runId).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new CliFailure(
        `no run with workflow id ${workflowId}${runId ? ` and run id ${runId}` : ''} in namespace ${namespace}`,
      );
    }
    throw error;
  }
  return { handle: client.workflow.getHandle(workflowId, description.runId), description };
}
