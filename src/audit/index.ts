/**
 * The audit store: finished failover runs kept in SQLite or PostgreSQL beyond Temporal's history
 * retention, written by the worker's recording activity and read by the history command.
 */
export { DEFAULT_AUDIT_TABLE, type AuditRow, type AuditStore } from './audit-store';
export { alignedTable, formatAuditTable } from './format';
export { openAuditStore, redactUrl } from './open';
export { auditStoreConfig } from './settings';
export { PostgresAuditStore } from './postgres-store';
export { SqliteAuditStore } from './sqlite-store';
