/**
 * The behaviour every {@link AuditStore} must have, as one suite that the test file runs against
 * each backend, so SQLite and PostgreSQL are held to exactly the same contract.
 */
import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import type { AuditRow, AuditStore } from '../../src/audit';
import type { OutcomeRecord } from '../../src/contract';
import { fullOutcome, minimalOutcome, rowOf } from './fixtures';

/** A backend under test. */
export interface AuditBackend {
  /** A fresh, empty place (file or table); the returned function opens a store on it, unmigrated. */
  freshLocation(): () => AuditStore;
  /** Builds a store with the given table name (for the name checks). */
  withTable(table: string): AuditStore;
}

/** The row `list` must return for a record written between `from` and `to`. */
function assertRowOf(row: AuditRow | undefined, record: OutcomeRecord, from: Date, to: Date): void {
  assert.ok(row, 'expected a row');
  const { recordedAt } = row;
  assert.deepEqual(row, rowOf(record, recordedAt));
  const at = Date.parse(recordedAt);
  assert.ok(at >= from.getTime() && at <= to.getTime(), `recordedAt ${recordedAt} outside the write`);
}

/** Registers the shared tests; call inside a `describe` per backend. */
export function auditStoreSuite(backend: AuditBackend): void {
  const opened: AuditStore[] = [];
  const open = (location: () => AuditStore) => {
    const store = location();
    opened.push(store);
    return store;
  };
  const freshStore = async () => {
    const store = open(backend.freshLocation());
    await store.migrate();
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('migrates idempotently, twice on one store and again from a second store, keeping rows', async () => {
    const location = backend.freshLocation();
    const store = open(location);
    await store.migrate();
    await store.migrate();
    await store.record(fullOutcome());
    const again = open(location);
    await again.migrate();
    assert.equal((await again.list()).length, 1);
  });

  it('lets two stores migrate the same fresh location at the same time', async () => {
    const location = backend.freshLocation();
    const [first, second] = [open(location), open(location)];
    await Promise.all([first.migrate(), second.migrate()]);
    await first.record(fullOutcome());
    assert.equal((await second.list()).length, 1);
  });

  it('records an outcome and lists it back with every field', async () => {
    const store = await freshStore();
    const record = fullOutcome();
    const from = new Date();
    await store.record(record);
    const rows = await store.list();
    assert.equal(rows.length, 1);
    assertRowOf(rows[0], record, from, new Date());
  });

  it('keeps one row, updated, when the same workflow id + run id is recorded twice (a retried activity)', async () => {
    const store = await freshStore();
    await store.record(fullOutcome());
    const retried = fullOutcome({ message: 'rewritten by the retry', observations: ['one more poll'] });
    const from = new Date();
    await store.record(retried);
    const rows = await store.list();
    assert.equal(rows.length, 1);
    assertRowOf(rows[0], retried, from, new Date());
    // Another run of the same workflow id is another row.
    await store.record(fullOutcome({ runId: 'second-run' }));
    assert.equal((await store.list()).length, 2);
  });

  it('lists newest first, by target and with a limit', async () => {
    const store = await freshStore();
    const at = (day: number) => `2024-07-0${day}T12:00:00.000Z`;
    // Written out of order: the order must come from finishedAt, not insertion.
    for (const [id, target, day] of [
      ['wf-2', 'vc-a', 2],
      ['wf-4', 'vc-a', 4],
      ['wf-1', 'vc-a', 1],
      ['wf-3', 'vc-b', 3],
    ] as const) {
      await store.record(fullOutcome({ workflowId: id, target, startedAt: at(day), finishedAt: at(day) }));
    }
    const ids = (rows: AuditRow[]) => rows.map((row) => row.workflowId);
    assert.deepEqual(ids(await store.list()), ['wf-4', 'wf-3', 'wf-2', 'wf-1']);
    assert.deepEqual(ids(await store.list({ target: 'vc-a' })), ['wf-4', 'wf-2', 'wf-1']);
    assert.deepEqual(ids(await store.list({ target: 'vc-a', limit: 2 })), ['wf-4', 'wf-2']);
    assert.deepEqual(ids(await store.list({ limit: 1 })), ['wf-4']);
    assert.deepEqual(await store.list({ target: 'vc-none' }), []);
    await assert.rejects(store.list({ limit: 0 }), RangeError);
    await assert.rejects(store.list({ limit: 1.5 }), RangeError);
  });

  it('round-trips false/true flags and absent optional fields as null', async () => {
    const store = await freshStore();
    const minimal = minimalOutcome();
    const from = new Date();
    await store.record(minimal);
    await store.record(fullOutcome({ planned: true, dryRun: false }));
    const rows = await store.list({ target: 'vc-lab-02' });
    assertRowOf(rows[0], minimal, from, new Date());
    assert.equal(rows[0]!.planned, false);
    assert.equal(rows[0]!.dryRun, true);
    const [full] = await store.list({ target: 'vc-lab-01' });
    assert.equal(full!.planned, true);
    assert.equal(full!.dryRun, false);
  });

  it('round-trips observations: order, quotes, newlines, unicode, many and none', async () => {
    const store = await freshStore();
    const tricky = ['said "hello"', "it's", 'line one\nline two', 'ümlaut → 日本', '[1,2]', '{"a":1}', ''];
    const many = Array.from({ length: 300 }, (_, i) => `poll ${i}: vCenter unreachable for ${i * 5} s`);
    await store.record(fullOutcome({ workflowId: 'tricky', observations: tricky }));
    await store.record(fullOutcome({ workflowId: 'many', observations: many }));
    await store.record(fullOutcome({ workflowId: 'none', observations: [] }));
    const byId = new Map((await store.list()).map((row) => [row.workflowId, row]));
    assert.deepEqual(byId.get('tricky')?.observations, tricky);
    assert.deepEqual(byId.get('many')?.observations, many);
    assert.deepEqual(byId.get('none')?.observations, []);
    assert.deepEqual(byId.get('tricky')?.record.observations, tricky);
  });

  it('normalises times to ISO UTC and rejects a record without its identity', async () => {
    const store = await freshStore();
    await store.record(fullOutcome({ finishedAt: '2024-05-01T12:04:12.5+02:00' }));
    assert.equal((await store.list())[0]?.finishedAt, '2024-05-01T10:04:12.500Z');
    await assert.rejects(store.record(fullOutcome({ runId: '' })), /workflowId and runId are required/);
    await assert.rejects(store.record(fullOutcome({ finishedAt: 'yesterday' })), /finishedAt is not a valid time/);
  });

  it('refuses table names that are not plain identifiers', () => {
    for (const table of ['outcomes; DROP TABLE x', 'Outcomes', '1outcomes', 'a"b', '', 'a.b.c']) {
      assert.throws(() => backend.withTable(table), /is not allowed/, table);
    }
  });
}
