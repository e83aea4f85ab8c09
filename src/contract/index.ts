/**
 * The shared vocabulary of the product: what the workflows, the activities, the CLI, the audit
 * store and other teams' code agree on. Pure and free of I/O, so workflow code imports it too;
 * nothing in it depends on the workflow bundle.
 */
export * from './approval';
export * from './duration';
export * from './fleet';
export * from './follow-heartbeat';
export * from './maintenance';
export * from './names';
export * from './nexus-service';
export * from './outcomes';
export * from './phases';
export * from './policy';
export * from './queries';
export * from './record';
export * from './search-attributes';
export * from './send';
export type { VchaFailoverInput } from '../inputs/failover-input';
export type { FleetFailoverInput } from '../inputs/fleet-input';
export * from './user-metadata';
export type { VchaMaintenanceInput } from '../inputs/maintenance-input';
