/**
 * The audit store against real databases: the shared suite on a SQLite file and on a throwaway
 * PostgreSQL cluster, then backend selection from the environment, its errors, and the table text.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import {
  auditStoreConfig,
  formatAuditTable,
  openAuditStore,
  PostgresAuditStore,
  redactUrl,
  SqliteAuditStore,
  type AuditRow,
} from '../../src/audit';
import { freePort } from '../../src/devtools/dev-server';
import { fullOutcome, minimalOutcome, rowOf } from './fixtures';
import { auditStoreSuite } from './store-suite';
import { startThrowawayPostgres, TEST_POSTGRES_URL_ENV } from './throwaway-postgres';

const root = path.resolve(__dirname, '..', '..');

describe('audit store', () => {
  let scratch = '';
  let postgresUrl = '';
  let stopPostgres = async () => {};
  let serial = 0;
  /** Tables made on a server we did not start, dropped at the end so the tests leave nothing behind. */
  const borrowedTables: string[] = [];
  const uniqueTable = () => {
    const table = `vcha_audit_test_${process.pid}_${++serial}`;
    borrowedTables.push(table);
    return table;
  };

  before(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'vcha-audit-'));
  });

  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  describe('SQLite', () => {
    auditStoreSuite({
      freshLocation: () => {
        const file = path.join(scratch, `store-${++serial}`, 'audit.sqlite');
        return () => new SqliteAuditStore({ path: file });
      },
      withTable: (table) => new SqliteAuditStore({ path: path.join(scratch, 'names.sqlite'), table }),
    });

    it('creates the parent folder and uses WAL mode', async () => {
      const file = path.join(scratch, 'deep', 'er', 'audit.sqlite');
      const store = new SqliteAuditStore({ path: file });
      await store.migrate();
      await store.close();
      const db = new Database(file, { readonly: true });
      try {
        assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      } finally {
        db.close();
      }
    });
  });

  describe('on PostgreSQL', () => {
    before(async () => {
      const external = process.env[TEST_POSTGRES_URL_ENV];
      if (external) {
        postgresUrl = external;
        stopPostgres = () => dropTables(external, borrowedTables);
        return;
      }
      const server = await startThrowawayPostgres();
      postgresUrl = server.url;
      stopPostgres = () => server.stop();
    });

    after(async () => {
      await stopPostgres();
    });

    describe('PostgreSQL', () => {
      auditStoreSuite({
        freshLocation: () => {
          const table = uniqueTable();
          return () => new PostgresAuditStore({ connectionString: postgresUrl, table });
        },
        withTable: (table) => new PostgresAuditStore({ connectionString: postgresUrl, table }),
      });

      it('stores times as timestamptz and JSON as jsonb, and accepts a schema-qualified table', async () => {
        const table = uniqueTable();
        const store = new PostgresAuditStore({ connectionString: postgresUrl, table });
        await store.migrate();
        await store.close();
        const types = await sql<{ column_name: string; data_type: string }>(
          postgresUrl,
          'SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1',
          [table],
        );
        const typeOf = new Map(types.map((row) => [row.column_name, row.data_type]));
        assert.equal(typeOf.get('finished_at'), 'timestamp with time zone');
        assert.equal(typeOf.get('record_json'), 'jsonb');
        assert.equal(typeOf.get('observations'), 'jsonb');
        assert.equal(typeOf.get('planned'), 'boolean');

        const schema = `vcha_audit_schema_${process.pid}`;
        await sql(postgresUrl, `CREATE SCHEMA IF NOT EXISTS ${schema}`);
        try {
          const qualified = new PostgresAuditStore({ connectionString: postgresUrl, table: `${schema}.outcomes` });
          await qualified.migrate();
          await qualified.record(fullOutcome());
          assert.equal((await qualified.list()).length, 1);
          await qualified.close();
        } finally {
          await sql(postgresUrl, `DROP SCHEMA ${schema} CASCADE`);
        }
      });
    });

    describe('openAuditStore', () => {
      it('defaults to SQLite at <repo>/.data/vcha-audit.sqlite and the default table', () => {
        assert.deepEqual(auditStoreConfig({}), {
          kind: 'sqlite',
          path: path.join(root, '.data', 'vcha-audit.sqlite'),
          table: 'vcha_failover_outcomes',
        });
        assert.deepEqual(auditStoreConfig({ VCHA_AUDIT_DATABASE_URL: '' }).kind, 'sqlite');
      });

      it('opens and migrates SQLite at VCHA_AUDIT_DB', async () => {
        const file = path.join(scratch, 'opened', 'nested', 'audit.sqlite');
        const store = await openAuditStore(auditStoreConfig({ VCHA_AUDIT_DB: file }));
        try {
          assert.ok(store instanceof SqliteAuditStore);
          assert.equal(store.path, file);
          assert.ok(existsSync(file));
          await store.record(minimalOutcome());
          assert.equal((await store.list()).length, 1);
        } finally {
          await store.close();
        }
      });

      it('opens and migrates PostgreSQL when VCHA_AUDIT_DATABASE_URL is set, which wins over VCHA_AUDIT_DB', async () => {
        assert.equal(auditStoreConfig({ VCHA_AUDIT_DATABASE_URL: postgresUrl }).table, 'vcha_failover_outcomes');
        const unused = path.join(scratch, 'unused', 'audit.sqlite');
        const table = uniqueTable();
        const store = await openAuditStore(
          auditStoreConfig({
            VCHA_AUDIT_DATABASE_URL: postgresUrl,
            VCHA_AUDIT_DB: unused,
            VCHA_AUDIT_TABLE: table,
          }),
        );
        try {
          assert.ok(store instanceof PostgresAuditStore);
          assert.equal(store.table, table);
          await store.record(fullOutcome());
          assert.equal((await store.list()).length, 1);
          assert.equal(existsSync(unused), false);
        } finally {
          await store.close();
        }
      });

      it('names the variable and hides the password when PostgreSQL cannot be reached or used', async () => {
        const closedPort = await freePort();
        const refused = openAuditStore(
          auditStoreConfig({
            VCHA_AUDIT_DATABASE_URL: `postgres://vcha:pa55%21word@127.0.0.1:${closedPort}/audit`,
          }),
        );
        await assert.rejects(refused, (error: Error) => {
          assert.ok(
            error.message.startsWith(
              `VCHA_AUDIT_DATABASE_URL: cannot connect to postgres://vcha:***@127.0.0.1:${closedPort}/audit: `,
            ),
            error.message,
          );
          assert.doesNotMatch(error.message, /pa55/);
          return true;
        });

        // A real server, a database that does not exist: the server's own reason comes through.
        const missingDb = new URL(postgresUrl);
        missingDb.password = 'top-secret';
        missingDb.pathname = '/no_such_database';
        await assert.rejects(
          openAuditStore(auditStoreConfig({ VCHA_AUDIT_DATABASE_URL: missingDb.href })),
          (error: Error) => {
            assert.match(error.message, /^VCHA_AUDIT_DATABASE_URL: cannot connect to .*no_such_database/);
            assert.doesNotMatch(error.message, /top-secret/);
            return true;
          },
        );

        const inQuery = `postgres://vcha@127.0.0.1:${closedPort}/audit?password=qu3ry-secret`;
        await assert.rejects(openAuditStore(auditStoreConfig({ VCHA_AUDIT_DATABASE_URL: inQuery })), (error: Error) => {
          assert.match(error.message, /^VCHA_AUDIT_DATABASE_URL: cannot connect to .*password=\*\*\*/);
          assert.doesNotMatch(error.message, /qu3ry-secret/);
          return true;
        });

        for (const [url, reason] of [
          ['mysql://root:hunter2@db/audit', /^VCHA_AUDIT_DATABASE_URL: expected a postgres:\/\//],
          ['postgres://root:hunter2@[not-a-host/audit', /^VCHA_AUDIT_DATABASE_URL: not a valid URL/],
        ] as const) {
          await assert.rejects(openAuditStore(auditStoreConfig({ VCHA_AUDIT_DATABASE_URL: url })), (error: Error) => {
            assert.match(error.message, reason);
            assert.doesNotMatch(error.message, /hunter2/);
            return true;
          });
        }
      });

      it('redacts passwords in URLs, including ones holding @ and ones in the query', () => {
        assert.equal(redactUrl('postgres://u:p@ss@db:5432/audit'), 'postgres://u:***@db:5432/audit');
        assert.equal(redactUrl('postgres://u@db/audit?password=s3&ssl=1'), 'postgres://u@db/audit?password=***&ssl=1');
        assert.equal(redactUrl('postgres://db/audit'), 'postgres://db/audit');
      });

      it('names VCHA_AUDIT_DB and VCHA_AUDIT_TABLE when they are unusable', async () => {
        const aFile = path.join(scratch, 'plain-file');
        writeFileSync(aFile, 'not a folder');
        await assert.rejects(
          openAuditStore(auditStoreConfig({ VCHA_AUDIT_DB: path.join(aFile, 'audit.sqlite') })),
          /^Error: VCHA_AUDIT_DB: /,
        );
        await assert.rejects(
          openAuditStore(
            auditStoreConfig({ VCHA_AUDIT_DB: path.join(scratch, 't.sqlite'), VCHA_AUDIT_TABLE: 'x;drop' }),
          ),
          /^Error: VCHA_AUDIT_TABLE: /,
        );
      });
    });
  });

  describe('formatAuditTable', () => {
    const row = (record = fullOutcome()): AuditRow => rowOf(record, record.finishedAt);

    it('prints one aligned line per row under a header', () => {
      const text = formatAuditTable([row(), row(minimalOutcome())]);
      const lines = text.split('\n');
      assert.equal(lines.length, 3);
      assert.match(lines[0]!, /^FINISHED\s+TARGET\s+OUTCOME\s+KIND\s+DRY RUN\s+ACTIVE BEFORE → AFTER\s+DURATION/);
      assert.match(
        lines[1]!,
        /^2024-05-01 10:04:12Z\s+vc-lab-01\s+SUCCEEDED\s+planned\s+no\s+10\.0\.0\.1 → 10\.0\.0\.2/,
      );
      assert.match(lines[1]!, /4m13s\s+schedule:weekly-patching\s+vcha-failover-vc-lab-01-1$/);
      assert.match(
        lines[2]!,
        /^2024-06-02 08:00:01Z\s+vc-lab-02\s+PreflightRejected\s+forced\s+yes\s+- → -\s+1s\s+other/,
      );
      const column = lines[0]!.indexOf('WORKFLOW ID');
      assert.equal(lines[1]!.indexOf('vcha-failover-vc-lab-01-1'), column);
      assert.equal(lines[2]!.indexOf('vcha-failover-vc-lab-02-7'), column);
    });

    it('says so when there are no rows', () => {
      assert.equal(formatAuditTable([]), 'No failover outcomes recorded.');
    });
  });
});

/** Runs one statement on its own connection. */
async function sql<T extends object = object>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function dropTables(url: string, tables: string[]): Promise<void> {
  for (const table of tables) {
    await sql(url, `DROP TABLE IF EXISTS "${table}", "${table}_migrations"`);
  }
}
