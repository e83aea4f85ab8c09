/**
 * Example for other teams: a maintenance workflow that fails its vCenter over as a child workflow
 * before patching the old active node. docs/operating.md shows this file; a test runs it.
 */
import { ApplicationFailure, ChildWorkflowFailure, executeChild } from '@temporalio/workflow';
import type { FailoverResult, VchaFailoverWorkflow } from '../src/contract';

// snippet:start
/** Fails `target` over (planned), then reports which node is free for patching. */
export async function patchVcenterNode(input: { target: string; ticket: string }): Promise<string> {
  let result: FailoverResult;
  try {
    result = await executeChild<VchaFailoverWorkflow>('vchaFailover', {
      workflowId: `failover-${input.target}-${input.ticket}`,
      taskQueue: 'vcha-failover', // the failover worker's queue (VCHA_TASK_QUEUE)
      args: [{ target: input.target, planned: true, reason: `patching, ${input.ticket}`, requestedBy: 'patch-bot' }],
    });
  } catch (error) {
    // Every unsuccessful end is an ApplicationFailure with a stable type and the run's record.
    if (error instanceof ChildWorkflowFailure && error.cause instanceof ApplicationFailure) {
      throw ApplicationFailure.nonRetryable(`failover not done (${error.cause.type}): ${error.cause.message}`);
    }
    throw error;
  }
  return `patch ${result.activeBefore} now: ${result.activeAfter} is active (${result.taskId})`;
}
// snippet:end
