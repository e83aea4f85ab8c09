/**
 * The audit store in a local SQLite file (better-sqlite3): the default, needing no server. WAL mode
 * lets the history command read while a worker writes; a busy timeout lets two workers share a file.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { OutcomeRecord } from '../contract';
import { queryLimit, type AuditQuery, type AuditRow, type AuditStore } from './audit-store';
import { AUDIT_COLUMNS, rowOf, upsertAssignments, valuesOf, type AuditValues } from './columns';
import { auditTableNames, type AuditTableNames } from './table-name';

/** Where the store lives. */
export interface SqliteAuditStoreOptions {
  /** The database file; its folder is created when missing. `:memory:` works for throwaway use. */
  path: string;
  /** Table name (no schema); default `vcha_failover_outcomes`. */
  table?: string;
  /** How long a write waits for another connection's lock before failing; default 5 s. */
  busyTimeoutMs?: number;
}

/** Schema versions in order; an applied version is never edited, a change is a new version. */
const MIGRATIONS: { version: number; sql: (names: AuditTableNames) => string }[] = [
  {
    version: 1,
    sql: (names) => `
      CREATE TABLE ${names.table} (
        workflow_id   TEXT    NOT NULL,
        run_id        TEXT    NOT NULL,
        target        TEXT    NOT NULL,
        planned       INTEGER NOT NULL CHECK (planned IN (0, 1)),
        dry_run       INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
        outcome       TEXT    NOT NULL,
        message       TEXT    NOT NULL,
        reason        TEXT,
        requested_by  TEXT,
        started_at    TEXT    NOT NULL,
        triggered_at  TEXT,
        finished_at   TEXT    NOT NULL,
        duration_ms   INTEGER NOT NULL,
        task_id       TEXT,
        active_before TEXT,
        active_after  TEXT,
        observations  TEXT    NOT NULL,
        started_by    TEXT    NOT NULL,
        triggered     TEXT    NOT NULL CHECK (triggered IN ('yes', 'no', 'unknown')),
        recorded_at   TEXT    NOT NULL,
        record_json   TEXT    NOT NULL,
        PRIMARY KEY (workflow_id, run_id)
      );
      CREATE INDEX ${names.finishedIndex} ON ${names.table} (finished_at DESC);
      CREATE INDEX ${names.targetIndex} ON ${names.table} (target, finished_at DESC);`,
  },
  {
    version: 2,
    sql: (names) => `
      ALTER TABLE ${names.table} ADD COLUMN approval_state   TEXT;
      ALTER TABLE ${names.table} ADD COLUMN approved_by      TEXT;
      ALTER TABLE ${names.table} ADD COLUMN approval_comment TEXT;
      ALTER TABLE ${names.table} ADD COLUMN approval_at      TEXT;`,
  },
  {
    version: 3,
    sql: (names) => `
      ALTER TABLE ${names.table} ADD COLUMN maintenance_id  TEXT;
      ALTER TABLE ${names.table} ADD COLUMN maintenance_leg TEXT;`,
  },
  {
    version: 4,
    sql: (names) => `
      ALTER TABLE ${names.table} ADD COLUMN approver_fingerprint  TEXT;
      ALTER TABLE ${names.table} ADD COLUMN requester_fingerprint TEXT;`,
  },
];

/** What SQLite hands back: booleans as 0/1, arrays and objects as JSON text. */
type SqliteRow = Omit<AuditValues, 'planned' | 'dry_run' | 'observations' | 'record_json'> & {
  planned: number;
  dry_run: number;
  observations: string;
  record_json: string;
};

/** Runs synchronous work as a promise, so a throw becomes a rejection like the other backend's. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}

/** {@link AuditStore} on a SQLite file. */
export class SqliteAuditStore implements AuditStore {
  /** The database file. */
  readonly path: string;
  /** The table name as configured. */
  readonly table: string;
  private readonly names: AuditTableNames;
  private readonly db: Database.Database;

  /** Opens (creating when missing) the file; call {@link migrate} before writing. */
  constructor(options: SqliteAuditStoreOptions) {
    this.names = auditTableNames(options.table, { allowSchema: false });
    this.table = this.names.display;
    this.path = options.path === ':memory:' ? options.path : path.resolve(options.path);
    if (this.path !== ':memory:') mkdirSync(path.dirname(this.path), { recursive: true });
    this.db = new Database(this.path, { timeout: options.busyTimeoutMs ?? 5_000 });
    try {
      this.db.pragma('journal_mode = WAL');
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  migrate(): Promise<void> {
    return settle(() => {
      // IMMEDIATE takes the write lock before reading the applied versions, so two workers starting
      // on one file never both apply the same migration.
      this.db
        .transaction(() => {
          this.db.exec(
            `CREATE TABLE IF NOT EXISTS ${this.names.migrations} (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`,
          );
          const applied = new Set(
            this.db.prepare(`SELECT version FROM ${this.names.migrations}`).pluck().all() as number[],
          );
          const mark = this.db.prepare(`INSERT INTO ${this.names.migrations} (version, applied_at) VALUES (?, ?)`);
          for (const migration of MIGRATIONS) {
            if (applied.has(migration.version)) continue;
            this.db.exec(migration.sql(this.names));
            mark.run(migration.version, new Date().toISOString());
          }
        })
        .immediate();
    });
  }

  record(outcome: OutcomeRecord): Promise<void> {
    return settle(() => {
      const values = valuesOf(outcome, new Date());
      this.db
        .prepare(
          `INSERT INTO ${this.names.table} (${AUDIT_COLUMNS.join(', ')})
           VALUES (${AUDIT_COLUMNS.map((column) => `@${column}`).join(', ')})
           ON CONFLICT (workflow_id, run_id) DO UPDATE SET ${upsertAssignments()}`,
        )
        .run({
          ...values,
          planned: values.planned ? 1 : 0,
          dry_run: values.dry_run ? 1 : 0,
          observations: JSON.stringify(values.observations),
          record_json: JSON.stringify(values.record_json),
        });
    });
  }

  list(query: AuditQuery = {}): Promise<AuditRow[]> {
    return settle(() => {
      const limit = queryLimit(query);
      const where = query.target === undefined ? '' : 'WHERE target = @target';
      const rows = this.db
        .prepare(
          `SELECT ${AUDIT_COLUMNS.join(', ')} FROM ${this.names.table} ${where}
           ORDER BY finished_at DESC, recorded_at DESC, workflow_id, run_id LIMIT @limit`,
        )
        .all({ limit, ...(query.target === undefined ? {} : { target: query.target }) }) as SqliteRow[];
      return rows.map((row) =>
        rowOf({
          ...row,
          planned: row.planned === 1,
          dry_run: row.dry_run === 1,
          observations: JSON.parse(row.observations) as string[],
          record_json: JSON.parse(row.record_json) as OutcomeRecord,
        }),
      );
    });
  }

  close(): Promise<void> {
    return settle(() => {
      if (this.db.open) this.db.close();
    });
  }
}
