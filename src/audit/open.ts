/**
 * Opens the audit store its settings select (see `./settings`). The table is created or migrated
 * before the store is returned, so a worker with a broken store fails at start, not at a run's
 * end. Errors name the variable to fix and never show the database password.
 */
import { SecretRedactor } from '../vcenter/redact';
import type { AuditStore } from './audit-store';
import { PostgresAuditStore } from './postgres-store';
import { AUDIT_ENV, type AuditStoreConfig } from './settings';
import { SqliteAuditStore } from './sqlite-store';
import { auditTableNames } from './table-name';

/** Hides the password of a URL-like text (`scheme://user:password@…` or `?password=…`), parsable or not. */
export function redactUrl(text: string): string {
  // Greedy up to the authority's last `@`, as URL parsers split it, so a password holding `@` is hidden whole.
  return text.replace(/(\/\/[^/:@\s]*):[^/\s]*@/g, '$1:***@').replace(/([?&]password=)[^&\s]*/gi, '$1***');
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

/** Opens the store `config` selects and creates or migrates its table. */
export function openAuditStore(config: AuditStoreConfig): Promise<AuditStore> {
  try {
    auditTableNames(config.table, { allowSchema: config.kind === 'postgres' });
  } catch (error) {
    return Promise.reject(new Error(`${AUDIT_ENV.table}: ${describe(error)}`));
  }
  return config.kind === 'postgres' ? openPostgres(config.url, config.table) : openSqlite(config.path, config.table);
}
