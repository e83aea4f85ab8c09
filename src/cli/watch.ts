/**
 * `--wait`: shows a run's progress until it ends, then returns how it ended. Ctrl-C stops the
 * watching only; the run goes on.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { CliFailure, type CliIo } from './io';
import { EXIT_CODES } from './exit-codes';
import { readLiveRun } from './live-status';
import { awaitRunEnding, type RunEnding } from './outcome';
import { mergeProgress, ProgressPrinter } from './progress';

/** How often progress is refreshed. */
const REFRESH_MS = 1_000;

/** Waits one refresh interval, or less when one of `events` settles first (a rejection is thrown). */
async function pause(events: readonly Promise<unknown>[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([...events, new Promise((resolve) => (timer = setTimeout(resolve, REFRESH_MS)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Follows the run until it ends, printing progress. */
export async function watchRun(client: Client, handle: WorkflowHandle, io: CliIo): Promise<RunEnding> {
  const printer = new ProgressPrinter(io);
  let settled = false;
  // Aborted on Ctrl-C: a pending long poll for the result would otherwise keep the process alive.
  const stopWaiting = new AbortController();
  const ending = client
    .withAbortSignal(stopWaiting.signal, () => awaitRunEnding(handle))
    .finally(() => {
      settled = true;
    });
  ending.catch(() => undefined); // Rejections surface through the races below, not as unhandled.
  let interrupt: (() => void) | undefined;
  const interrupted = new Promise<never>((_, reject) => {
    interrupt = () => {
      stopWaiting.abort();
      printer.finish();
      reject(
        new CliFailure(
          `stopped watching; run ${handle.workflowId} goes on (vcha-failover status ${handle.workflowId})`,
          EXIT_CODES.interrupted,
        ),
      );
    };
    process.once('SIGINT', interrupt);
  });
  interrupted.catch(() => undefined); // Observed through the race below.
  try {
    while (!settled) {
      try {
        const live = await Promise.race([readLiveRun(client, handle), interrupted]);
        if (!settled && live.description.status.name === 'RUNNING') printer.update(mergeProgress(live.progress));
      } catch (error) {
        if (error instanceof CliFailure) throw error;
        // A failed refresh is not the run's end: the next one may work, and the ending decides.
      }
      await pause([ending, interrupted]);
    }
    printer.finish();
    return await Promise.race([ending, interrupted]);
  } finally {
    if (interrupt) process.removeListener('SIGINT', interrupt);
  }
}
