/**
 * The shared vocabulary of the product: what the workflows, the activities, the CLI, the audit
 * store and other teams' code agree on. Pure and free of I/O, so workflow code imports it too;
 * nothing in it depends on the workflow bundle.
 */
export * from './approval';
export * from './approval-message';
export * from './cluster';
export * from './duration';
export * from './fleet';
export * from './failure';
export * from './follow-heartbeat';
export * from './maintenance';
export * from './memo';
export * from './names';
export * from './nexus-service';
export * from './outcomes';
export * from './phases';
export * from './policy';
export * from './queries';
export * from './readiness';
export * from './record';
export * from './search-attributes';
export * from './send';
export * from './target-name';
export type { VchaFailoverInput } from './input/failover';
export type { FleetFailoverInput } from './input/fleet';
export * from './user-metadata';
export type { VchaMaintenanceInput } from './input/maintenance';
export * from './ledger';
