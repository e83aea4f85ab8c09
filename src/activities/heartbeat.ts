/**
 * Keeps an activity heartbeating while it waits on slow vCenter calls, so Temporal can tell a busy
 * activity from a dead worker with a short heartbeat timeout.
 */
import { Context } from '@temporalio/activity';

/** Runs `work` while heartbeating `details()` every `everyMs` from `everyMs` on; stops when `work` settles. */
export async function withHeartbeats<T>(work: () => Promise<T>, details: () => unknown, everyMs = 1_000): Promise<T> {
  const context = Context.current();
  // No heartbeat at the start: each one the server records costs it a write, and an activity that
  // finishes within `everyMs` (most preflights and triggers) needs none.
  const timer = setInterval(() => context.heartbeat(details()), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
