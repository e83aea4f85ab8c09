/**
 * The queries the workflows answer. Defined once here so the workflows, the CLI and other teams'
 * clients use the same names and answer types.
 */
import { defineQuery } from '@temporalio/workflow';
import type { FleetTargetOutcome } from './fleet';
import type { FailoverStatus } from './record';

/** `vchaFailover`: the run's current phase and latest observation. */
export const statusQuery = defineQuery<FailoverStatus>('status');

/** `fleetFailover`: each target's state. */
export const fleetStatusQuery = defineQuery<FleetTargetOutcome[]>('status');
