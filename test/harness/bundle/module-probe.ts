/**
 * Reports, from inside a run, which of the bundle's modules the run shares with every other run of
 * its worker thread: a shared module is evaluated once and frozen (`WORKFLOW_PRELOAD_MODULES`); any
 * other module is evaluated again for each run.
 */
import { PHASES } from '../../../src/contract';

/** This module is not preloaded: each run gets its own copy of this object. */
const PER_RUN_OBJECT = { evaluated: 'once per run' };

/**
 * Whether the product's phase list and this module's own object are frozen, and a stack trace
 * taken here (mapped to the TypeScript source by the bundle's source map).
 */
export function moduleSharingProbe(): Promise<{
  productModuleFrozen: boolean;
  harnessModuleFrozen: boolean;
  stack: string;
}> {
  return Promise.resolve({
    productModuleFrozen: Object.isFrozen(PHASES),
    harnessModuleFrozen: Object.isFrozen(PER_RUN_OBJECT),
    stack: new Error('where the probe ran').stack ?? '',
  });
}
