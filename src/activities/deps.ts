/** What the activities need from the worker process: targets, vCenter clients, the outcome recorder. */
import type { TargetRegistry } from '../config';
import type { VcenterClient } from '../vcenter';
import type { OutcomeRecorder } from './outcome-recorder';
import type { WebhookConfig } from './webhook';

/** The run that holds a target's lock, as Temporal describes it. */
export interface LockHolder {
  workflowId: string;
  runId?: string;
  /** False once the holder has closed and its lock is about to end. */
  running: boolean;
}

/** Dependencies injected into the activity functions by the worker (or a test). */
export interface ActivityDeps {
  targets: TargetRegistry;
  /** The cached client of a configured target (one session per target per worker). */
  clientFor(target: string): VcenterClient;
  recorder: OutcomeRecorder;
  /** The completion webhook, when configured. */
  webhook?: WebhookConfig;
  /** Who holds the lock workflow with this id, if it is running. */
  describeLockHolder(lockWorkflowId: string): Promise<LockHolder | undefined>;
}
