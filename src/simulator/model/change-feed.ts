/**
 * Tells whoever waits on a cluster that its state changed, so tests and tools can wait for a
 * condition instead of polling.
 */
import { EventEmitter } from 'node:events';

/** Change notifications of one cluster, and waiting for a condition on its view. */
export class ChangeFeed<View> {
  private readonly events = new EventEmitter();

  constructor(
    private readonly view: () => View,
    /** Describes the view for the timeout message. */
    private readonly describe: (view: View) => string,
  ) {
    this.events.setMaxListeners(0);
  }

  /** Announces a change. */
  changed(): void {
    this.events.emit('change');
  }

  /**
   * Resolves with the view once `predicate` holds, re-checking on every change; rejects after
   * `timeoutMs` real milliseconds.
   */
  waitFor(predicate: (view: View) => boolean, timeoutMs: number): Promise<View> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const view = this.view();
        if (!predicate(view)) return false;
        cleanup();
        resolve(view);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`condition not met within ${timeoutMs} ms (${this.describe(this.view())})`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off('change', check);
      };
      this.events.on('change', check);
      check();
    });
  }

  /** Drops every waiter (simulator shutdown). */
  close(): void {
    this.events.removeAllListeners();
  }
}
