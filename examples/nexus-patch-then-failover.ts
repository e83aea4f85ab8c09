/**
 * Example for other teams: the maintenance workflow of `patch-then-failover.ts`, in a namespace of
 * its own, failing its vCenter over through the `vcha` Nexus endpoint instead of a child workflow.
 * docs/nexus.md shows this file; a test runs it from another namespace.
 */
import { NexusOperationFailure } from '@temporalio/common';
import { ApplicationFailure, createNexusServiceClient } from '@temporalio/workflow';
import { vchaNexusService } from '../src/contract';

// snippet:start
/** Fails `target` over (planned) through the endpoint, then reports which node is free for patching. */
export async function patchVcenterNodeThroughNexus(input: {
  endpoint: string;
  target: string;
  ticket: string;
}): Promise<string> {
  const vcha = createNexusServiceClient({ endpoint: input.endpoint, service: vchaNexusService });
  try {
    const result = await vcha.executeOperation('failover', {
      workflowId: `failover-${input.target}-${input.ticket}`,
      input: { target: input.target, planned: true, reason: `patching, ${input.ticket}`, requestedBy: 'patch-bot' },
    });
    return `patch ${result.activeBefore} now: ${result.activeAfter} is active (${result.taskId})`;
  } catch (error) {
    // A run's end is its ApplicationFailure, as a child's would be (stable type, the record in
    // details); a request refused before anything started comes inside an OperationError.
    const cause = error instanceof NexusOperationFailure ? error.cause : undefined;
    const failure = cause instanceof ApplicationFailure && cause.type === 'OperationError' ? cause.cause : cause;
    if (failure instanceof ApplicationFailure) {
      throw ApplicationFailure.nonRetryable(`failover not done (${failure.type}): ${failure.message}`);
    }
    throw error;
  }
}
// snippet:end
