/** Activity dependencies for tests that run an activity with MockActivityEnvironment. */
import type { Client } from '@temporalio/client';
import type { ActivityDeps } from '../../src/activities';
import type { VcenterClient } from '../../src/vcenter';
import { MemoryRecorder } from '../harness/recorder';

/** Deps whose every target is served by `vcenter`; Temporal is not reachable from them. */
export function depsFor(vcenter: VcenterClient, overrides: Partial<ActivityDeps> = {}): ActivityDeps {
  return {
    clientFor: () => vcenter,
    policyFor: () => ({ forced: 'allow', planned: 'allow' }),
    targetNames: () => ['lab'],
    temporal: {} as Client,
    ledgerTaskQueue: 'unreachable-ledger',
    recorder: new MemoryRecorder(),
    ...overrides,
  };
}
