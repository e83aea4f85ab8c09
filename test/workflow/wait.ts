/** Waits for a failover run to reach a phase, by polling its `status` query (or its live view). */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { readLiveRun } from '../../src/cli/live-status';
import { mergeProgress } from '../../src/cli/progress';
import { PHASES, type FailoverPhase, type FailoverStatus, type vchaFailover } from '../../src/workflows';

/** Resolves with the status once the run is at `phase` or later. */
export async function waitForPhase(
  handle: WorkflowHandle<typeof vchaFailover>,
  phase: FailoverPhase,
  timeoutMs = 30_000,
): Promise<FailoverStatus> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const status = await handle.query<FailoverStatus>('status');
      if (PHASES.indexOf(status.phase) >= PHASES.indexOf(phase)) return status;
    } catch {
      // The first workflow task may not have run yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${handle.workflowId} did not reach ${phase} within ${timeoutMs} ms`);
}

/**
 * Resolves once the run shows `phase` the way `vcha-failover status` shows it: the `status` query
 * merged with the follow activity's heartbeat (VERIFYING is known there first).
 */
export async function waitForLivePhase(
  client: Client,
  handle: WorkflowHandle<typeof vchaFailover>,
  phase: FailoverPhase,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { progress } = await readLiveRun(client, handle);
    const shown = mergeProgress(progress).phase as FailoverPhase;
    if (PHASES.includes(shown) && PHASES.indexOf(shown) >= PHASES.indexOf(phase)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`run ${handle.workflowId} did not show ${phase} within ${timeoutMs} ms`);
}
