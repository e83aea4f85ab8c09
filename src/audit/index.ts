/**
 * The audit store: finished failover runs kept in SQLite or PostgreSQL beyond Temporal's history
 * retention, written by the worker's recording activity and read by the history command.
 */
export {
  DEFAULT_AUDIT_LIMIT,
  DEFAULT_AUDIT_TABLE,
  type AuditQuery,
  type AuditRow,
  type AuditStore,
} from './audit-store';
export { formatAuditTable } from './format';
export { openAuditStore, redactUrl } from './open';
export { AUDIT_ENV, auditStoreConfig, defaultSqlitePath, type AuditStoreConfig } from './settings';
export { PostgresAuditStore, type PostgresAuditStoreOptions } from './postgres-store';
export { SqliteAuditStore, type SqliteAuditStoreOptions } from './sqlite-store';
