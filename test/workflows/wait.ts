/** Waits for a failover run to reach a phase, by polling its `status` query (or its live view). */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { readLiveRun } from '../../src/cli/live-status';
import { mergeProgress } from '../../src/cli/progress';
import { PHASES, type FailoverPhase, type FailoverStatus, type VchaFailoverWorkflow } from '../../src/contract';
import { pollUntil } from '../harness/poll';

const reached = (shown: string | undefined, phase: FailoverPhase) =>
  shown !== undefined &&
  PHASES.includes(shown as FailoverPhase) &&
  PHASES.indexOf(shown as FailoverPhase) >= PHASES.indexOf(phase);

/** Resolves with the status once the run is at `phase` or later. */
export async function waitForPhase(
  handle: WorkflowHandle<VchaFailoverWorkflow>,
  phase: FailoverPhase,
  timeoutMs = 30_000,
): Promise<FailoverStatus> {
  const status = await pollUntil(
    // The first workflow task may not have run yet: no answer is not an error.
    () => handle.query<FailoverStatus>('status').catch(() => undefined),
    (answer) => reached(answer?.phase, phase),
    timeoutMs,
    100,
    `run ${handle.workflowId} reaching ${phase}`,
  );
  return status!;
}

/**
 * Resolves once the run shows `phase` the way `vcha-failover status` shows it: the `status` query
 * merged with the follow activity's heartbeat (VERIFYING is known there first).
 */
export async function waitForLivePhase(
  client: Client,
  handle: WorkflowHandle<VchaFailoverWorkflow>,
  phase: FailoverPhase,
  timeoutMs = 30_000,
): Promise<void> {
  await pollUntil(
    async () => mergeProgress((await readLiveRun(client, handle)).progress).phase,
    (shown) => reached(shown, phase),
    timeoutMs,
    200,
    `run ${handle.workflowId} showing ${phase}`,
  );
}
