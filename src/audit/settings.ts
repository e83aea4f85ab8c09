/**
 * The audit store's variables, parsed into the store to open: PostgreSQL when
 * `VCHA_AUDIT_DATABASE_URL` is set, otherwise a SQLite file. The worker's and the CLI's settings
 * both use this, so the two processes read the same records. Empty values count as unset.
 */
import path from 'node:path';
import { projectRoot } from '../paths';
import { DEFAULT_AUDIT_TABLE } from './audit-store';

/** The variables that configure the audit store. */
export const AUDIT_ENV = {
  /** `postgres://…` selects PostgreSQL; it wins over `VCHA_AUDIT_DB`. */
  databaseUrl: 'VCHA_AUDIT_DATABASE_URL',
  /** The SQLite file when no URL is set. */
  sqlitePath: 'VCHA_AUDIT_DB',
  /** The table name (PostgreSQL also accepts `schema.table`). */
  table: 'VCHA_AUDIT_TABLE',
} as const;

/** Which store to open. */
export type AuditStoreConfig =
  { kind: 'postgres'; url: string; table: string } | { kind: 'sqlite'; path: string; table: string };

/** The SQLite file used when nothing is configured: in the repository's git-ignored `.data/`. */
export function defaultSqlitePath(): string {
  return path.join(projectRoot(), '.data', 'vcha-audit.sqlite');
}

/** Which store `env` asks for; reads only, opens nothing. */
export function auditStoreConfig(env: Readonly<Record<string, string | undefined>>): AuditStoreConfig {
  const table = env[AUDIT_ENV.table] || DEFAULT_AUDIT_TABLE;
  const url = env[AUDIT_ENV.databaseUrl];
  if (url) return { kind: 'postgres', url, table };
  const file = env[AUDIT_ENV.sqlitePath];
  return { kind: 'sqlite', path: file ? path.resolve(file) : defaultSqlitePath(), table };
}
