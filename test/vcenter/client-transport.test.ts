import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, afterEach, describe, it } from 'node:test';
import { VcenterClient, VcenterUnreachableError, type VcenterClientOptions } from '../../src/vcenter';
import { classifyVcenterError, mayHaveReached } from '../../src/vcenter/classify';
import { SecretRedactor } from '../../src/vcenter/redact';
import { classifyTransportError } from '../../src/vcenter/transport-errors';
import { FakeVcenter, sendJson } from './fake-vcenter';
import { SecretAudit } from './secret-audit';

const audit = new SecretAudit();
const secrets: string[] = [];
const cleanups: (() => Promise<void>)[] = [];
const FAILOVER = 'POST /api/vcenter/vcha/cluster?action=failover&vmw-task=true';
const SHORT = { connectMs: 300, headersMs: 300, bodyMs: 300 };

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

after(() => {
  audit.assertNoSecrets(secrets);
});

async function startFake(): Promise<FakeVcenter> {
  const fake = await FakeVcenter.start();
  cleanups.push(async () => {
    secrets.push(
      fake.password,
      Buffer.from(`${fake.username}:${fake.password}`).toString('base64'),
      ...fake.issuedTokens,
    );
    await fake.stop();
  });
  return fake;
}

function clientFor(baseUrl: string, overrides: Partial<VcenterClientOptions> = {}): VcenterClient {
  const client = new VcenterClient({
    baseUrl,
    username: 'administrator@vsphere.local',
    password: 'Pa55-w0rd!secret',
    timeouts: SHORT,
    logger: audit.logger,
    ...overrides,
  });
  cleanups.push(() => client.close());
  return client;
}

/** A raw TCP server whose connection handling the test controls. */
async function startTcp(onConnection: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function unreachable(promise: Promise<unknown>): Promise<VcenterUnreachableError> {
  const error = await audit.rejection(promise);
  assert.ok(error instanceof VcenterUnreachableError, `expected VcenterUnreachableError, got ${String(error)}`);
  return error;
}

describe('transport failures', () => {
  it('a refused connection is "refused" in the connect phase and never reached vCenter', async () => {
    const server = createHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const error = await unreachable(clientFor(`http://127.0.0.1:${port}`).getMode());
    assert.equal(error.reason, 'refused');
    assert.equal(error.phase, 'connect');
    assert.equal(error.mayHaveReachedVcenter, false);
    assert.equal(error.operation, 'session.create');
    assert.equal(error.code, 'ECONNREFUSED');
  });

  it('a server that accepts and never answers is a timeout that may have reached vCenter', async () => {
    const fake = await startFake();
    const client = clientFor(fake.url);
    await client.login();
    fake.on(FAILOVER, () => undefined);
    const started = Date.now();
    const error = await unreachable(client.startFailover({ planned: true }));
    assert.equal(error.reason, 'timeout');
    assert.equal(error.phase, 'response');
    assert.equal(error.mayHaveReachedVcenter, true);
    assert.equal(error.operation, 'cluster.failover');
    assert.equal(error.code, 'UND_ERR_HEADERS_TIMEOUT');
    assert.match(error.message, /no response from http:\/\/127\.0\.0\.1:\d+ within 300 ms/);
    assert.ok(Date.now() - started < 5_000);
    assert.equal(mayHaveReached(classifyVcenterError(error, 'cluster.failover')), true);
    assert.equal(fake.requestsFor(FAILOVER).length, 1, 'a failover that may have been received is never re-sent');
  });

  it('a body that stalls mid-way is a body timeout that may have reached vCenter', async () => {
    const fake = await startFake();
    const client = clientFor(fake.url);
    fake.on('GET /api/vcenter/vcha/operations', (_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"disabled": [');
    });
    const error = await unreachable(client.getOperations());
    assert.equal(error.reason, 'timeout');
    assert.equal(error.code, 'UND_ERR_BODY_TIMEOUT');
    assert.equal(error.mayHaveReachedVcenter, true);
  });

  it('a connection reset after the request was sent is "reset" and may have reached vCenter', async () => {
    const fake = await startFake();
    const client = clientFor(fake.url);
    await client.login();
    fake.on(FAILOVER, (_request, res) => {
      res.socket?.destroy();
    });
    const error = await unreachable(client.startFailover({ planned: false }));
    assert.equal(error.reason, 'reset');
    assert.equal(error.phase, 'response');
    assert.equal(error.mayHaveReachedVcenter, true);
    assert.equal(fake.requestsFor(FAILOVER).length, 1);
  });

  it('a TCP reset by a raw server is "reset" and may have reached vCenter', async () => {
    const address = await startTcp((socket) => {
      socket.once('data', () => socket.resetAndDestroy());
    });
    const error = await unreachable(clientFor(`http://${address}`).login());
    assert.equal(error.reason, 'reset');
    assert.equal(error.mayHaveReachedVcenter, true);
  });

  it('a TLS handshake that never completes is a connect timeout that never reached vCenter', async () => {
    const address = await startTcp(() => undefined);
    const error = await unreachable(clientFor(`https://${address}`).login());
    assert.equal(error.reason, 'timeout');
    assert.equal(error.phase, 'connect');
    assert.equal(error.code, 'UND_ERR_CONNECT_TIMEOUT');
    assert.equal(error.mayHaveReachedVcenter, false);
  });

  it('https against a plain-http server fails the handshake: "tls", connect phase, never reached vCenter', async () => {
    const fake = await startFake();
    const error = await unreachable(clientFor(fake.url.replace('http:', 'https:')).getMode());
    assert.equal(error.reason, 'tls');
    assert.equal(error.phase, 'connect');
    assert.equal(error.mayHaveReachedVcenter, false);
    assert.match(
      error.message,
      /^session\.create failed: vCenter unreachable \(tls during connect, \S+\): TLS with https:\/\/127\.0\.0\.1:\d+ failed \([^\n]+\)$/,
    );
    assert.ok(!error.message.includes('ssl3_record.c'), error.message);
    assert.equal(fake.requests.length, 0);
  });

  it('the client keeps working after transport failures (a new connection is made)', async () => {
    const fake = await startFake();
    const client = clientFor(fake.url);
    let hang = true;
    fake.on('GET /api/vcenter/vcha/cluster/mode', (_request, res) => {
      if (!hang) sendJson(res, 200, { mode: 'MAINTENANCE' });
    });
    await unreachable(client.getMode());
    hang = false;
    assert.equal((await client.getMode()).mode, 'MAINTENANCE');
  });
});

describe('classifyTransportError', () => {
  const context = {
    operation: 'cluster.failover' as const,
    origin: 'https://vc01.example.com',
    failedWhileConnecting: false,
    headersTimeoutMs: 1,
    bodyTimeoutMs: 1,
    redactor: new SecretRedactor(),
  };
  function withCode(code: string, message = code): Error {
    return Object.assign(new Error(message), { code });
  }

  const cases: [string, string, boolean][] = [
    ['ENOTFOUND', 'dns', false],
    ['EAI_AGAIN', 'dns', false],
    ['ECONNREFUSED', 'refused', false],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout', false],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls', false],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls', false],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls', false],
    ['CERT_HAS_EXPIRED', 'tls', false],
    ['ECONNRESET', 'reset', true],
    ['EPIPE', 'reset', true],
    ['UND_ERR_SOCKET', 'reset', true],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout', true],
    ['UND_ERR_BODY_TIMEOUT', 'timeout', true],
    ['ETIMEDOUT', 'timeout', true],
    ['ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC', 'tls', true],
    ['UND_ERR_ABORTED', 'other', true],
    ['HPE_INVALID_CONSTANT', 'other', true],
  ];
  for (const [code, reason, mayHaveReached] of cases) {
    it(`${code} → ${reason}, mayHaveReachedVcenter ${mayHaveReached}`, () => {
      const error = classifyTransportError(withCode(code), context);
      assert.equal(error.reason, reason);
      assert.equal(error.mayHaveReachedVcenter, mayHaveReached);
      assert.equal(error.phase, mayHaveReached ? 'response' : 'connect');
    });
  }

  it('an error without a code is "other" and may have reached vCenter', () => {
    const error = classifyTransportError(new Error('something odd'), context);
    assert.equal(error.reason, 'other');
    assert.equal(error.mayHaveReachedVcenter, true);
  });

  it('any error the pool reported while connecting is proof that nothing was sent', () => {
    const error = classifyTransportError(withCode('ECONNRESET'), { ...context, failedWhileConnecting: true });
    assert.equal(error.reason, 'reset');
    assert.equal(error.phase, 'connect');
    assert.equal(error.mayHaveReachedVcenter, false);
  });

  it('uses the first code inside an AggregateError (Happy Eyeballs)', () => {
    const error = classifyTransportError(new AggregateError([withCode('ECONNREFUSED')], 'all failed'), context);
    assert.equal(error.reason, 'refused');
    assert.equal(error.mayHaveReachedVcenter, false);
  });

  it('certificate failures tell the user to configure caFile', () => {
    const error = classifyTransportError(
      withCode('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in chain'),
      context,
    );
    assert.match(error.message, /caFile/);
  });

  it('redacts secrets from underlying messages', () => {
    const redactor = new SecretRedactor();
    redactor.add('hunter2-secret');
    const error = classifyTransportError(withCode('ECONNRESET', 'reset near hunter2-secret'), { ...context, redactor });
    assert.ok(!error.message.includes('hunter2-secret'));
    assert.match(error.message, /\[redacted\]/);
  });
});
