/**
 * Loads the Temporal client SDK on first use: `--help` and argument errors answer without paying
 * for it, and commands that talk to Temporal share one loaded copy.
 */
import type * as ClientSdk from '@temporalio/client';

let loaded: Promise<typeof ClientSdk> | undefined;

/** The `@temporalio/client` module. */
export function clientSdk(): Promise<typeof ClientSdk> {
  loaded ??= import('@temporalio/client');
  return loaded;
}
