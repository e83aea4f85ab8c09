/**
 * Ties a throwaway service (PostgreSQL, the Temporal cluster's nodes) to this process: when the
 * process exits or gets SIGINT/SIGTERM without the service having been stopped, a synchronous
 * cleanup kills it, since child servers do not die with their parent.
 */

/**
 * Runs `cleanupSync` on exit, SIGINT or SIGTERM, once; returns the function that removes the guard
 * (call it from the service's own stop). After a signal, the signal is raised again when no other
 * handler is left to end the process, so it still ends as it would have.
 */
export function guardProcessEnd(cleanupSync: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    unguard();
    cleanupSync();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const unguard = () => {
    process.off('exit', cleanupSync);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.once('exit', cleanupSync);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return unguard;
}
