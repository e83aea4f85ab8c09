/**
 * Names other teams' code and the operators' tools use: the task queue, the workflow and activity
 * types, and the lock's workflow id. Renaming any of them breaks callers and runs in flight.
 */
import type { FleetFailoverInput } from './input/fleet';
import type { VchaFailoverInput } from './input/failover';
import type { VchaMaintenanceInput } from './input/maintenance';
import type { FleetFailoverResult } from './fleet';
import type { MaintenanceResult } from './maintenance';
import type { FailoverResult } from './record';

/**
 * The workflow type names the worker registers: callers start and recognise runs by these. The
 * bundle's exported functions carry the same names (a test checks it).
 */
export const WORKFLOW_TYPES = {
  failover: 'vchaFailover',
  maintenance: 'vchaMaintenance',
  fleet: 'fleetFailover',
  targetLock: 'vchaTargetLock',
  gate: 'vchaGate',
  clusterLedger: 'vchaClusterLedger',
} as const;

/** One workflow type name. */
export type WorkflowTypeName = (typeof WORKFLOW_TYPES)[keyof typeof WORKFLOW_TYPES];

/** Default task queue of the worker (`VCHA_TASK_QUEUE` overrides it). */
export const DEFAULT_TASK_QUEUE = 'vcha-failover';

/** The signature of `vchaFailover`, for typed clients and parents: `executeChild<VchaFailoverWorkflow>('vchaFailover', …)`. */
export type VchaFailoverWorkflow = (input: VchaFailoverInput) => Promise<FailoverResult>;

/** The signature of `fleetFailover`. */
export type FleetFailoverWorkflow = (input: FleetFailoverInput) => Promise<FleetFailoverResult>;

/** The signature of `vchaMaintenance`: fail over, wait for the patching, fail back. */
export type VchaMaintenanceWorkflow = (input: VchaMaintenanceInput) => Promise<MaintenanceResult>;

/** The signature of `vchaGate`, the check a new build passes before it takes new runs. */
export type VchaGateWorkflow = (input: VchaGateInput) => Promise<VchaGateResult>;

/** `vchaGate`'s input: the target whose readiness the dry run checks (nothing is sent to it). */
export interface VchaGateInput {
  target: string;
}

/** What `vchaGate` returns when the build passed. */
export interface VchaGateResult {
  /** How many saved histories replayed on the build's workflow code. */
  historiesReplayed: number;
  /** The dry run's workflow id and one-sentence result. */
  dryRun: { workflowId: string; message: string };
}

/** The activity types the worker registers. */
export const ACTIVITY_TYPES = [
  'validateFailoverInput',
  'validateFleetInput',
  'validateMaintenanceInput',
  'listTargets',
  'preflight',
  'checkCluster',
  'sendFailover',
  // Runs started before the failover request had an activity of its own still schedule it (see the workflow).
  'triggerFailover',
  'followFailover',
  'recordOutcome',
  'notifyOutcome',
  'describeTargetLock',
  // The approval gate: an SSH signature over a decision (or a request) checked against the allowed signers.
  'verifySignature',
  // The cluster's lock and send ledger (vchaClusterLedger), reached by Updates.
  'identifyCluster',
  'acquireCluster',
  'claimSend',
  'finishCluster',
  // vchaMaintenance: the cluster mode (MAINTENANCE before the first leg, the original after the failback).
  'setClusterMode',
  // vchaGate: the saved histories replayed on the worker's own workflow code.
  'replaySavedHistories',
] as const;

/** One activity type. */
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** The lock's workflow id for a target: one run per target at a time holds it. */
export function targetLockWorkflowId(target: string): string {
  return `vcha-lock-${target}`;
}
