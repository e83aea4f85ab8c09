/**
 * The client through the outage signatures of a real vCenter (issue 22): a connection the moved
 * address silently dropped, Envoy's plain-text 503, and the hard overall deadline of every request.
 * After an exchange that met an outage, the next request goes out on a fresh connection.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { VcenterApiError, VcenterClient, VcenterUnreachableError, type VcenterClientOptions } from '../../src/vcenter';
import { classifyVcenterError, isOutage } from '../../src/vcenter/classify';
import { pollUntil } from '../harness/poll';
import { rejection } from './clients';
import { FakeVcenter } from './fake-vcenter';

const cleanups: (() => Promise<void>)[] = [];
const ROLES = 'POST /api/vcenter/vcha/cluster?action=get';

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function startFake(): Promise<FakeVcenter> {
  const fake = await FakeVcenter.start();
  cleanups.push(() => fake.stop());
  return fake;
}

function clientFor(fake: FakeVcenter, overrides: Partial<VcenterClientOptions> = {}): VcenterClient {
  const client = new VcenterClient({
    baseUrl: fake.url,
    username: fake.username,
    password: fake.password,
    maxConnections: 2,
    ...overrides,
  });
  cleanups.push(() => client.close());
  return client;
}

/** Opens two kept-alive connections (two reads at once) and returns when both are idle again. */
async function twoIdleConnections(client: VcenterClient, fake: FakeVcenter): Promise<void> {
  await client.login();
  await Promise.all([client.getOperations(), client.getMode()]);
  assert.equal(fake.connectionCount, 2, 'two pooled connections');
}

describe('the client after an outage', () => {
  it('ends a request on a silently dropped connection at its overall deadline, whatever the header timeout allows', async () => {
    const fake = await startFake();
    const client = clientFor(fake, { timeouts: { headersMs: 30_000, bodyMs: 30_000, totalMs: 700 } });
    await twoIdleConnections(client, fake);
    fake.dropConnectionsSilently();
    const started = performance.now();
    const error = await rejection(client.getCluster());
    const elapsed = performance.now() - started;
    assert.ok(error instanceof VcenterUnreachableError, String(error));
    assert.equal(error.code, 'VCENTER_TOTAL_TIMEOUT');
    assert.match(error.message, /no complete answer from http:\/\/127\.0\.0\.1:\d+ within 700 ms/);
    assert.ok(elapsed >= 650 && elapsed < 2_000, `ended after ${Math.round(elapsed)} ms`);
    const errorClass = classifyVcenterError(error, 'cluster.get');
    assert.equal(errorClass.kind, 'lost');
    assert.ok(isOutage(errorClass));
  });

  it('sends the requests after an outage on fresh connections, never on a kept-alive one the moved address dropped', async () => {
    const fake = await startFake();
    const client = clientFor(fake, { timeouts: { headersMs: 500 } });
    await twoIdleConnections(client, fake);
    fake.dropConnectionsSilently();
    const lost = await rejection(client.getCluster());
    assert.ok(lost instanceof VcenterUnreachableError && lost.reason === 'timeout', String(lost));
    // The other pooled connection was dropped too: no read after the outage may be sent on it (two
    // at once, as two runs of one target do, would otherwise reach it).
    const started = performance.now();
    const [mode, operations] = await Promise.all([client.getMode(), client.getOperations()]);
    assert.equal(mode.mode, 'ENABLED');
    assert.deepEqual(operations.active, []);
    assert.ok(performance.now() - started < 400, 'both answered at once, on new connections');
    assert.equal(fake.connectionCount, 4);
    assert.equal(client.loginCount, 1, 'the session is kept: only the connections are new');
  });

  it('after Envoy’s plain-text 503, the next request opens a new connection and the old ones close', async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    await twoIdleConnections(client, fake);
    fake.on(ROLES, (_request, res) => {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('no healthy upstream');
    });
    const error = await rejection(client.getCluster());
    assert.ok(error instanceof VcenterApiError && error.status === 503, String(error));
    const errorClass = classifyVcenterError(error, 'cluster.get');
    assert.equal(errorClass.kind === 'gateway' && errorClass.envoy, true);
    assert.equal(fake.connectionCount, 2, 'the 503 came on a pooled connection');
    assert.equal((await client.getOperations()).active.length, 0);
    assert.equal(fake.connectionCount, 3, 'a new connection after the outage answer');
    await pollUntil(
      () => fake.openConnections,
      (open) => open === 1,
      2_000,
      20,
      'the old connections closed',
    );
  });

  it('keeps its connections while vCenter answers', async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    await twoIdleConnections(client, fake);
    for (let i = 0; i < 4; i += 1) await client.getMode();
    assert.equal(fake.connectionCount, 2);
  });
});
