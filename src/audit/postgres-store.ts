/**
 * The audit store in PostgreSQL (a `pg` pool): for a shared, backed-up change-management record.
 * Times are `timestamptz`, JSON is `jsonb`, and the upsert is `ON CONFLICT … DO UPDATE`.
 */
import { Pool, type PoolClient } from 'pg';
import type { OutcomeRecord } from '../contract';
import { queryLimit, type AuditQuery, type AuditRow, type AuditStore } from './audit-store';
import { AUDIT_COLUMNS, isoTime, rowOf, upsertAssignments, valuesOf, type AuditValues } from './columns';
import { auditTableNames, type AuditTableNames } from './table-name';

/** Where the store lives. */
export interface PostgresAuditStoreOptions {
  /** `postgres://user:password@host:port/database` (any form `pg` accepts). */
  connectionString: string;
  /** Table name, optionally `schema.table`; default `vcha_failover_outcomes`. */
  table?: string;
  /** Pool size; a worker records one outcome per run, so a few connections are plenty. Default 4. */
  maxConnections?: number;
  /** How long to wait for a connection before failing; default 10 s. */
  connectTimeoutMs?: number;
}

/** Schema versions in order; an applied version is never edited, a change is a new version. */
const MIGRATIONS: { version: number; sql: (names: AuditTableNames) => string }[] = [
  {
    version: 1,
    sql: (names) => `
      CREATE TABLE ${names.table} (
        workflow_id   text        NOT NULL,
        run_id        text        NOT NULL,
        target        text        NOT NULL,
        planned       boolean     NOT NULL,
        dry_run       boolean     NOT NULL,
        outcome       text        NOT NULL,
        message       text        NOT NULL,
        reason        text,
        requested_by  text,
        started_at    timestamptz NOT NULL,
        triggered_at  timestamptz,
        finished_at   timestamptz NOT NULL,
        duration_ms   bigint      NOT NULL,
        task_id       text,
        active_before text,
        active_after  text,
        observations  jsonb       NOT NULL,
        started_by    text        NOT NULL,
        triggered     text        NOT NULL CHECK (triggered IN ('yes', 'no', 'unknown')),
        recorded_at   timestamptz NOT NULL,
        record_json   jsonb       NOT NULL,
        PRIMARY KEY (workflow_id, run_id)
      );
      CREATE INDEX ${names.finishedIndex} ON ${names.table} (finished_at DESC);
      CREATE INDEX ${names.targetIndex} ON ${names.table} (target, finished_at DESC);`,
  },
  {
    version: 2,
    sql: (names) => `
      ALTER TABLE ${names.table}
        ADD COLUMN approval_state   text,
        ADD COLUMN approved_by      text,
        ADD COLUMN approval_comment text,
        ADD COLUMN approval_at      timestamptz;`,
  },
  {
    version: 3,
    sql: (names) => `
      ALTER TABLE ${names.table}
        ADD COLUMN maintenance_id  text,
        ADD COLUMN maintenance_leg text;`,
  },
  {
    version: 4,
    sql: (names) => `
      ALTER TABLE ${names.table}
        ADD COLUMN approver_fingerprint  text,
        ADD COLUMN requester_fingerprint text;`,
  },
];

/** Casts that make `pg`'s text parameters land in the right column types. */
const PARAMETER_CASTS: Partial<Record<(typeof AUDIT_COLUMNS)[number], string>> = {
  started_at: '::timestamptz',
  triggered_at: '::timestamptz',
  finished_at: '::timestamptz',
  recorded_at: '::timestamptz',
  approval_at: '::timestamptz',
  observations: '::jsonb',
  record_json: '::jsonb',
};

/** What `pg` hands back: timestamptz as Date, bigint as text (it may exceed 2^53), jsonb parsed. */
type PgRow = Omit<
  AuditValues,
  'started_at' | 'triggered_at' | 'finished_at' | 'recorded_at' | 'duration_ms' | 'approval_at'
> & {
  approval_at: Date | null;
  started_at: Date;
  triggered_at: Date | null;
  finished_at: Date;
  recorded_at: Date;
  duration_ms: string;
};

/** {@link AuditStore} on a PostgreSQL database. */
export class PostgresAuditStore implements AuditStore {
  /** The table name as configured. */
  readonly table: string;
  private readonly names: AuditTableNames;
  private readonly pool: Pool;
  private closed = false;

  /** Creates the pool (no connection is made until the first call); call {@link migrate} before writing. */
  constructor(options: PostgresAuditStoreOptions) {
    this.names = auditTableNames(options.table, { allowSchema: true });
    this.table = this.names.display;
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 4,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection the server dropped is reported here; the pool discards it and the next
    // query opens a fresh one and reports its own error. Without a listener it would crash the worker.
    this.pool.on('error', () => {});
  }

  /** Checks that the database answers; used to report a bad URL before anything else runs. */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    let healthy = true;
    try {
      await client.query('BEGIN');
      // Serialises workers that start at once: concurrent CREATE TABLE IF NOT EXISTS can still fail.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`vcha-audit:${this.names.table}`]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.names.migrations} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const applied = await client.query<{ version: number }>(`SELECT version FROM ${this.names.migrations}`);
      const versions = new Set(applied.rows.map((row) => row.version));
      for (const migration of MIGRATIONS) {
        if (versions.has(migration.version)) continue;
        await client.query(migration.sql(this.names));
        await client.query(`INSERT INTO ${this.names.migrations} (version) VALUES ($1)`, [migration.version]);
      }
      await client.query('COMMIT');
    } catch (error) {
      healthy = await rollback(client);
      throw error;
    } finally {
      // A connection that could not even roll back is destroyed rather than returned to the pool.
      client.release(!healthy);
    }
  }

  async record(outcome: OutcomeRecord): Promise<void> {
    const values = valuesOf(outcome, new Date());
    const placeholders = AUDIT_COLUMNS.map((column, index) => `$${index + 1}${PARAMETER_CASTS[column] ?? ''}`);
    const parameters = AUDIT_COLUMNS.map((column) =>
      // Serialised by hand: pg would send a JS array as a PostgreSQL array, not as JSON.
      column === 'observations' || column === 'record_json' ? JSON.stringify(values[column]) : values[column],
    );
    await this.pool.query(
      `INSERT INTO ${this.names.table} (${AUDIT_COLUMNS.join(', ')}) VALUES (${placeholders.join(', ')})
       ON CONFLICT (workflow_id, run_id) DO UPDATE SET ${upsertAssignments()}`,
      parameters,
    );
  }

  async list(query: AuditQuery = {}): Promise<AuditRow[]> {
    const limit = queryLimit(query);
    const result = await this.pool.query<PgRow>(
      `SELECT ${AUDIT_COLUMNS.join(', ')} FROM ${this.names.table}
       WHERE ($1::text IS NULL OR target = $1)
       ORDER BY finished_at DESC, recorded_at DESC, workflow_id, run_id LIMIT $2`,
      [query.target ?? null, limit],
    );
    return result.rows.map((row) =>
      rowOf({
        ...row,
        started_at: isoTime(row.started_at, 'started_at'),
        triggered_at: row.triggered_at === null ? null : isoTime(row.triggered_at, 'triggered_at'),
        finished_at: isoTime(row.finished_at, 'finished_at'),
        recorded_at: isoTime(row.recorded_at, 'recorded_at'),
        approval_at: row.approval_at === null ? null : isoTime(row.approval_at, 'approval_at'),
        duration_ms: Number(row.duration_ms),
      }),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/** Rolls back; false when the connection is broken (the original error is the one worth reporting). */
async function rollback(client: PoolClient): Promise<boolean> {
  try {
    await client.query('ROLLBACK');
    return true;
  } catch {
    return false;
  }
}
