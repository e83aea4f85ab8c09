/** Waits for a failover run to reach a phase, by polling its `status` query. */
import type { WorkflowHandle } from '@temporalio/client';
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
