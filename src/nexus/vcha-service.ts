/**
 * The handlers of the `vcha` Nexus service (`src/contract/nexus-service.ts`), registered by the
 * worker. Each one checks its input at the boundary and hands the work to what already does it:
 * the `vchaFailover`, `vchaMaintenance` and `fleetFailover` workflows (run on this worker's task
 * queue, so a caller's cancel reaches the run) and the runs' `approve` / `reject` Updates.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { getClient, startWorkflow, WorkflowRunOperationHandler } from '@temporalio/nexus';
import * as nexus from 'nexus-rpc';
import {
  WORKFLOW_TYPES,
  approveUpdate,
  failoverUserMetadata,
  maintenanceUserMetadata,
  rejectUpdate,
  vchaNexusService,
  type ApprovalRecord,
  type FleetFailoverInput,
  type FleetFailoverWorkflow,
  type NexusApproveInput,
  type NexusRejectInput,
  type VchaFailoverWorkflow,
  type VchaMaintenanceWorkflow,
} from '../contract';
import { nexusInputProblems, type NexusOperationName } from './operation-inputs';

/** How many targets a readiness check reads at once unless the caller says otherwise (as `vcha-failover check`). */
const READINESS_CONCURRENCY = 10;

/** What the runs' user metadata says they were started through. */
const STARTED_THROUGH = 'the vcha Nexus service';

/**
 * Refuses an input that does not pass the operation's schema, with every problem by field path.
 * The failure is the `InvalidInput` a run would end with, so a caller handles it as it would a
 * child's; nothing is started.
 */
function checkInput(operation: NexusOperationName, input: unknown): void {
  const problems = nexusInputProblems(operation, input);
  if (problems.length === 0) return;
  const message = `invalid ${operation} input: ${problems.join('; ')}`;
  throw new nexus.OperationError('failed', message, {
    cause: ApplicationFailure.create({ type: 'InvalidInput', message, nonRetryable: true, details: [{ problems }] }),
  });
}

/** Sends a decision to the waiting run; a refusal by its validator is an `ApprovalRefused` failure. */
async function decide(
  kind: 'approve' | 'reject',
  input: NexusApproveInput | NexusRejectInput,
): Promise<ApprovalRecord> {
  checkInput(kind, input);
  const { workflowId, runId, ...args } = input;
  const handle = getClient().workflow.getHandle(workflowId, runId);
  try {
    return kind === 'approve'
      ? await handle.executeUpdate(approveUpdate, { args: [args as NexusApproveInput] })
      : await handle.executeUpdate(rejectUpdate, { args: [args as NexusRejectInput] });
  } catch (error) {
    const refusal =
      error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure
        ? error.cause.message
        : error instanceof WorkflowNotFoundError
          ? `no running run with workflow id ${workflowId}${runId ? ` and run id ${runId}` : ''}`
          : undefined;
    if (refusal === undefined) throw error;
    const message = `${kind} of ${workflowId} refused: ${refusal}`;
    throw new nexus.OperationError('failed', message, {
      cause: ApplicationFailure.create({ type: 'ApprovalRefused', message: refusal, nonRetryable: true }),
    });
  }
}

/** The `vcha` service handler for `nexusServices` in the worker options. */
export function vchaNexusServiceHandler() {
  return nexus.serviceHandler(vchaNexusService, {
    failover: new WorkflowRunOperationHandler(async (ctx, { workflowId, input }) => {
      checkInput('failover', { workflowId, input });
      return startWorkflow<VchaFailoverWorkflow>(ctx, WORKFLOW_TYPES.failover, {
        workflowId: workflowId ?? `vcha-failover-${input.target}-${ctx.requestId}`,
        args: [input],
        memo: { startedBy: 'nexus' },
        ...failoverUserMetadata(input, STARTED_THROUGH),
      });
    }),

    maintenance: new WorkflowRunOperationHandler(async (ctx, { workflowId, input }) => {
      checkInput('maintenance', { workflowId, input });
      return startWorkflow<VchaMaintenanceWorkflow>(ctx, WORKFLOW_TYPES.maintenance, {
        workflowId: workflowId ?? `vcha-maintenance-${input.target}-${ctx.requestId}`,
        args: [input],
        memo: { startedBy: 'nexus' },
        ...maintenanceUserMetadata(input, STARTED_THROUGH),
      });
    }),

    readiness: new WorkflowRunOperationHandler(async (ctx, input) => {
      checkInput('readiness', input);
      const fleetInput: FleetFailoverInput = {
        targets: input.targets,
        planned: true,
        dryRun: true,
        stopOnFailure: false,
        concurrency: input.concurrency ?? READINESS_CONCURRENCY,
        reason: 'readiness check',
        ...(input.requestedBy !== undefined ? { requestedBy: input.requestedBy } : {}),
      };
      return startWorkflow<FleetFailoverWorkflow>(ctx, WORKFLOW_TYPES.fleet, {
        workflowId: input.workflowId ?? `vcha-readiness-${ctx.requestId}`,
        args: [fleetInput],
        memo: { startedBy: 'nexus' },
      });
    }),

    approve: (_ctx, input) => decide('approve', input),
    reject: (_ctx, input) => decide('reject', input),
  });
}
