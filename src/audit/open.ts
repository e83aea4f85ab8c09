/**
 * Chooses and opens the audit store from the environment: PostgreSQL when
 * `VCHA_AUDIT_DATABASE_URL` is set, otherwise a SQLite file. The table is created or migrated
 * before the store is returned, so a worker with a broken store fails at start, not at a run's end.
 */
import path from 'node:path';
import { projectRoot } from '../devtools/temporal-cli';
import { SecretRedactor } from '../vcenter/redact';
import { DEFAULT_AUDIT_TABLE, type AuditStore } from './audit-store';
import { PostgresAuditStore } from './postgres-store';
import { SqliteAuditStore } from './sqlite-store';
import { auditTableNames } from './table-name';

/** The variables that configure the audit store. */
export const AUDIT_ENV = {
  /** `postgres://…` selects PostgreSQL; it wins over `VCHA_AUDIT_DB`. */
  databaseUrl: 'VCHA_AUDIT_DATABASE_URL',
  /** The SQLite file when no URL is set. */
  sqlitePath: 'VCHA_AUDIT_DB',
  /** The table name (PostgreSQL also accepts `schema.table`). */
  table: 'VCHA_AUDIT_TABLE',
} as const;

/** Which store the environment selects. */
export type AuditStoreConfig =
  { kind: 'postgres'; url: string; table: string } | { kind: 'sqlite'; path: string; table: string };

/** The SQLite file used when nothing is configured: in the repository's git-ignored `.data/`. */
export function defaultSqlitePath(): string {
  return path.join(projectRoot(), '.data', 'vcha-audit.sqlite');
}

/** Hides the password of a URL-like text (`scheme://user:password@…` or `?password=…`), parsable or not. */
export function redactUrl(text: string): string {
  // Greedy up to the authority's last `@`, as URL parsers split it, so a password holding `@` is hidden whole.
  return text.replace(/(\/\/[^/:@\s]*):[^/\s]*@/g, '$1:***@').replace(/([?&]password=)[^&\s]*/gi, '$1***');
}

/** Which store the environment asks for; reads only, opens nothing. */
export function auditStoreConfig(env: NodeJS.ProcessEnv = process.env): AuditStoreConfig {
  const table = env[AUDIT_ENV.table] || DEFAULT_AUDIT_TABLE;
  const url = env[AUDIT_ENV.databaseUrl];
  if (url) return { kind: 'postgres', url, table };
  const file = env[AUDIT_ENV.sqlitePath];
  return { kind: 'sqlite', path: file ? path.resolve(file) : defaultSqlitePath(), table };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    // Node reports some socket failures as an AggregateError with an empty message.
    return error.message || (typeof code === 'string' ? code : error.name);
  }
  return String(error);
}

/** The secrets a database URL carries, raw and percent-decoded, for masking in error texts. */
function urlRedactor(url: URL): SecretRedactor {
  const redactor = new SecretRedactor();
  for (const secret of [url.password, url.searchParams.get('password') ?? '']) {
    redactor.add(secret);
    try {
      redactor.add(decodeURIComponent(secret));
    } catch {
      // A malformed escape: the raw form is masked already.
    }
  }
  return redactor;
}

async function openPostgres(raw: string, table: string): Promise<AuditStore> {
  const variable = AUDIT_ENV.databaseUrl;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${variable}: not a valid URL (${redactUrl(raw)}); expected postgres://user:password@host:port/db`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`${variable}: expected a postgres:// or postgresql:// URL, got ${url.protocol}//…`);
  }
  const redactor = urlRedactor(url);
  const shown = redactor.redact(redactUrl(raw));
  let store: PostgresAuditStore;
  try {
    store = new PostgresAuditStore({ connectionString: raw, table });
  } catch (error) {
    throw new Error(`${variable}: ${redactor.redact(describe(error))}`);
  }
  try {
    await store.ping();
  } catch (error) {
    await store.close();
    throw new Error(`${variable}: cannot connect to ${shown}: ${redactor.redact(describe(error))}`);
  }
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw new Error(
      `${variable}: cannot create or migrate table ${table} in ${shown}: ${redactor.redact(describe(error))}`,
    );
  }
  return store;
}

function openSqlite(file: string, table: string): Promise<AuditStore> {
  const variable = AUDIT_ENV.sqlitePath;
  let store: SqliteAuditStore;
  try {
    store = new SqliteAuditStore({ path: file, table });
  } catch (error) {
    return Promise.reject(new Error(`${variable}: cannot open ${file}: ${describe(error)}`));
  }
  return store.migrate().then(
    () => store,
    async (error: unknown) => {
      await store.close();
      throw new Error(`${variable}: cannot create or migrate table ${table} in ${file}: ${describe(error)}`);
    },
  );
}

/**
 * Opens the store the environment selects and creates or migrates its table. Errors name the
 * variable to fix and never show the database password.
 */
export function openAuditStore(env: NodeJS.ProcessEnv = process.env): Promise<AuditStore> {
  const config = auditStoreConfig(env);
  try {
    auditTableNames(config.table, { allowSchema: config.kind === 'postgres' });
  } catch (error) {
    return Promise.reject(new Error(`${AUDIT_ENV.table}: ${describe(error)}`));
  }
  return config.kind === 'postgres' ? openPostgres(config.url, config.table) : openSqlite(config.path, config.table);
}
