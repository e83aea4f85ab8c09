/**
 * The shapes of a `vchaMaintenance` run: fail over, hold the target while the old active node is
 * patched, fail back. Its record links the two `vchaFailover` legs; its `status` query, the
 * `maintenanceDone` Update and the phases are defined here for the workflow and the CLI alike.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { FailureType, SuccessOutcome } from './outcomes';
import type { MaintenanceLink } from './memo';
import type { FailoverRecord } from './record';
import type { ClusterMode } from './cluster';

/** Where a maintenance run is. */
export const MAINTENANCE_PHASES = [
  'VALIDATING',
  'FAILING_OVER',
  'IN_MAINTENANCE',
  'FAILING_BACK',
  'COMPLETED',
] as const;

/** One phase of a maintenance run. */
export type MaintenancePhase = (typeof MAINTENANCE_PHASES)[number];

/** Which of the two failovers a leg is. */
export type MaintenanceLegName = MaintenanceLink['leg'];

/** One leg: its `vchaFailover` child run and, once it ended, how. */
export interface MaintenanceLeg {
  leg: MaintenanceLegName;
  workflowId: string;
  outcome?: SuccessOutcome | FailureType;
  message?: string;
  activeBefore?: string;
  activeAfter?: string;
  triggered?: FailoverRecord['triggered'];
}

/**
 * One step of the run on the cluster mode: `enter` puts the cluster in MAINTENANCE before the
 * first leg (so VCHA does not fail over by itself meanwhile), `restore` sets the original mode
 * again after the failback.
 */
export interface MaintenanceModeChange {
  step: 'enter' | 'restore';
  /** The mode read before the set; absent when the step failed before reading it. */
  from?: ClusterMode;
  to: ClusterMode;
  /** `set`: vCenter's mode task succeeded; `unchanged`: the cluster already had it; `failed`: see `message`. */
  result: 'set' | 'unchanged' | 'failed';
  /** vCenter's mode-set task, when one was started. */
  taskId?: string;
  /** Why the set failed, or what it left. */
  message?: string;
  at: string;
}

/** How the maintenance window ended: `maintenanceDone`, `maxDuration`, or a cancel ("done now"). */
export interface MaintenanceWindow {
  /** When the run entered IN_MAINTENANCE and until when it waits (ISO). */
  startedAt: string;
  until: string;
  endedAt?: string;
  endedBy?: 'maintenanceDone' | 'maxDuration' | 'cancel';
  by?: string;
  note?: string;
}

/** What the `status` query of `vchaMaintenance` returns. */
export interface MaintenanceStatus {
  target?: string;
  phase: MaintenancePhase;
  startedAt: string;
  timeline: { phase: MaintenancePhase; at: string }[];
  observation: string;
  /** The node that was ACTIVE before leg 1 (the one patched), once leg 1 has read it. */
  originalActive?: string;
  failback?: boolean;
  legs: MaintenanceLeg[];
  window?: MaintenanceWindow;
  /** The cluster mode before the run, once read (runs from before the mode steps have none). */
  originalMode?: ClusterMode;
  /** Every mode change the run made or tried, in order. */
  modeChanges?: MaintenanceModeChange[];
  cancelRequested: boolean;
  outcome?: SuccessOutcome | FailureType;
}

/** The record of a maintenance run: its result on success, its failure's details otherwise. */
export interface MaintenanceRecord {
  target: string;
  reason: string;
  requestedBy?: string;
  outcome: SuccessOutcome | FailureType;
  /** One sentence a human can act on, including where the cluster was left. */
  message: string;
  failback: boolean;
  originalActive?: string;
  /** The node ACTIVE at the end, as far as the legs proved it. */
  activeAtEnd?: string;
  legs: MaintenanceLeg[];
  window?: MaintenanceWindow;
  /** The cluster mode before the run (runs from before the mode steps have none). */
  originalMode?: ClusterMode;
  /** Every mode change the run made or tried, in order. */
  modeChanges?: MaintenanceModeChange[];
  timeline: { phase: MaintenancePhase; at: string }[];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

/** What `vchaMaintenance` returns on success. */
export type MaintenanceResult = MaintenanceRecord & { outcome: 'SUCCEEDED' };

/** Arguments of the `maintenanceDone` Update. */
export interface MaintenanceDoneArgs {
  /** Who says the patching is done (required). */
  by: string;
  note?: string;
}

/** `vchaMaintenance`: its phase, legs and window. */
export const maintenanceStatusQuery = defineQuery<MaintenanceStatus>('status');

/** Ends the maintenance window of a run in IN_MAINTENANCE; it fails back if configured. */
export const maintenanceDoneUpdate = defineUpdate<MaintenanceStatus, [MaintenanceDoneArgs]>('maintenanceDone');
