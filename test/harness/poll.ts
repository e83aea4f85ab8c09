/** Waiting for a condition in tests: one polling loop for every suite. */

/**
 * Polls `read` until `done` holds for its value; fails after `timeoutMs`, naming `what` (or the
 * condition) and the last value read.
 */
export async function pollUntil<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 10,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${what} not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
}
