/**
 * `vchaGate`: the check Temporal's Worker Controller runs on a new build (its rollout `gate`)
 * before any new run is routed to it. It passes only when
 *
 * 1. every saved history (`test/histories/**`, shipped in the image) replays on this build's own
 *    workflow code, so the build can carry on what older builds recorded; and
 * 2. a dry run of one named target passes on this build: validation, policy and preflight against
 *    the real vCenter, and nothing is sent to it.
 *
 * It fails with `GateFailed`, naming each history that did not replay, or the dry run's failure.
 * Started by the controller on the new version, it and its dry-run child run on that version.
 */
import {
  ApplicationFailure,
  ChildWorkflowFailure,
  executeChild,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import {
  WORKFLOW_TYPES,
  failoverUserMetadata,
  type VchaFailoverWorkflow,
  type VchaGateInput,
  type VchaGateResult,
} from '../../contract';
import type { FailoverActivities } from '../../activities';

/** The failure type of a gate that did not pass. */
export const GATE_FAILED = 'GateFailed';

/** Replaying the saved histories takes seconds; a bundle is loaded once per replay. */
const { replaySavedHistories } = proxyActivities<FailoverActivities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '1m',
  retry: { maximumAttempts: 3 },
});

/** The target named in the input, or a non-retryable failure naming what is wrong. */
function targetOf(input: unknown): string {
  const target = (input as Partial<VchaGateInput> | undefined)?.target;
  if (typeof target !== 'string' || target.trim() === '') {
    throw ApplicationFailure.nonRetryable(
      'vchaGate input: "target" must name a configured target, e.g. {"target": "vc01"}',
      'InvalidInput',
    );
  }
  return target;
}

/** The one sentence a failed dry run ends with. */
function dryRunFailure(error: unknown): string {
  const cause = error instanceof ChildWorkflowFailure ? (error.cause ?? error) : error;
  const type = cause instanceof ApplicationFailure && cause.type ? `${cause.type}: ` : '';
  return `${type}${cause instanceof Error ? cause.message : String(cause)}`;
}

/** The gate: replay, then a dry run of the target. */
export async function vchaGate(input: VchaGateInput): Promise<VchaGateResult> {
  const target = targetOf(input);
  const replay = await replaySavedHistories();
  if (replay.failed.length > 0) {
    const names = replay.failed.map(({ history, error }) => `${history} (${error})`).join(', ');
    throw ApplicationFailure.nonRetryable(
      `${replay.failed.length} of ${replay.replayed} saved histories do not replay on this build: ${names}`,
      GATE_FAILED,
      replay.failed,
    );
  }
  const dryRunInput = {
    target,
    planned: true,
    dryRun: true,
    reason: `readiness check of a new build by ${workflowInfo().workflowId}`,
  };
  const workflowId = `${workflowInfo().workflowId}/dry-run`;
  let message: string;
  try {
    const result = await executeChild<VchaFailoverWorkflow>(WORKFLOW_TYPES.failover, {
      workflowId,
      args: [dryRunInput],
      ...failoverUserMetadata(dryRunInput, `gate ${workflowInfo().workflowId}`),
    });
    message = result.message;
  } catch (error) {
    throw ApplicationFailure.nonRetryable(
      `the dry run of ${target} (${workflowId}) did not pass: ${dryRunFailure(error)}`,
      GATE_FAILED,
    );
  }
  return { historiesReplayed: replay.replayed, dryRun: { workflowId, message } };
}
