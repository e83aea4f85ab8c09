import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import {
  VcenterApiError,
  VcenterClient,
  VcenterClientClosedError,
  type VcenterClientOptions,
  type VcenterRequestEvent,
} from '../../src/vcenter';
import { TestClients } from './clients';
import { clusterInfoExample, taskInfoExample } from './examples';
import { FakeVcenter, sendJson, sendVapiError } from './fake-vcenter';
import { SecretAudit } from './secret-audit';

const audit = new SecretAudit();
const secrets: string[] = [];

let fake: FakeVcenter;
const clients = new TestClients({ logger: audit.logger });

function clientFor(server: FakeVcenter, overrides: Partial<VcenterClientOptions> = {}): VcenterClient {
  return clients.create(server.url, server, overrides);
}

beforeEach(async () => {
  fake = await FakeVcenter.start();
});

afterEach(async () => {
  await clients.closeAll();
  secrets.push(fake.password, Buffer.from(`${fake.username}:${fake.password}`).toString('base64'));
  secrets.push(...fake.issuedTokens);
  await fake.stop();
});

after(() => {
  audit.assertNoSecrets(secrets);
});

describe('login and session header', () => {
  it('logs in again on the next call after forgetSession, without a logout or a 401', async () => {
    const client = clientFor(fake);
    await client.getMode();
    const firstToken = fake.requests[1]?.headers['vmware-api-session-id'];
    client.forgetSession();
    await client.getMode();
    assert.deepEqual(
      fake.requests.map((r) => `${r.method} ${r.path}`),
      [
        'POST /api/session',
        'GET /api/vcenter/vcha/cluster/mode',
        'POST /api/session',
        'GET /api/vcenter/vcha/cluster/mode',
      ],
    );
    assert.equal(client.loginCount, 2);
    assert.notEqual(fake.requests[3]?.headers['vmware-api-session-id'], firstToken);
  });

  it('logs in lazily with Basic credentials and sends the token on every call', async () => {
    const client = clientFor(fake);
    assert.equal(fake.requests.length, 0, 'constructing the client sends nothing');
    await client.getMode();
    await client.getOperations();

    const [login, mode, operations] = fake.requests;
    assert.equal(fake.requests.length, 3);
    assert.equal(`${login?.method} ${login?.path}`, 'POST /api/session');
    const expected = `Basic ${Buffer.from(`${fake.username}:${fake.password}`).toString('base64')}`;
    assert.equal(login?.headers.authorization, expected);
    assert.equal(login?.headers['vmware-api-session-id'], undefined);
    const token = fake.issuedTokens[0];
    assert.equal(mode?.headers['vmware-api-session-id'], token);
    assert.equal(mode?.headers.authorization, undefined, 'credentials are not repeated after login');
    assert.equal(operations?.headers['vmware-api-session-id'], token);
    assert.equal(client.loginCount, 1);
  });

  it('login() checks credentials up front and is not repeated while the session lasts', async () => {
    const client = clientFor(fake);
    await client.login();
    await client.login();
    assert.equal(fake.requestsFor('POST /api/session').length, 1);
    assert.equal(client.loginCount, 1);
  });

  it('bad credentials fail with a 401 VcenterApiError for session.create that does not contain the password', async () => {
    const client = clientFor(fake, { password: 'wrong-password-123' });
    secrets.push('wrong-password-123');
    const error = await audit.rejection(client.getCluster());
    assert.ok(error instanceof VcenterApiError);
    assert.equal(error.operation, 'session.create');
    assert.equal(error.status, 401);
    assert.equal(error.errorType, 'UNAUTHENTICATED');
    assert.match(error.message, /username or password/);
    assert.equal(client.loginCount, 0);
    assert.equal(fake.requestsFor('POST /api/vcenter/vcha/cluster?action=get').length, 0);
  });

  it('login answered with a non-string body is a response error that does not quote the body', async () => {
    fake.on('POST /api/session', (_request, res) => {
      res.writeHead(201, { 'content-type': 'application/json' }).end('tok-unquoted-session-value');
    });
    secrets.push('tok-unquoted-session-value');
    const client = clientFor(fake);
    const error = await audit.rejection(client.login());
    assert.equal((error as Error).name, 'VcenterResponseError');
    assert.match((error as Error).message, /session\.create.*not valid JSON/);
  });
});

describe('session renewal', () => {
  it('logs in again once after a 401 and repeats the call', async () => {
    const client = clientFor(fake);
    await client.getMode();
    fake.expireSessions();
    const mode = await client.getMode();

    assert.equal(mode.mode, 'ENABLED');
    assert.equal(client.loginCount, 2);
    const routes = fake.requests.map((request) => `${request.method} ${request.path}`);
    assert.deepEqual(routes, [
      'POST /api/session',
      'GET /api/vcenter/vcha/cluster/mode',
      'GET /api/vcenter/vcha/cluster/mode',
      'POST /api/session',
      'GET /api/vcenter/vcha/cluster/mode',
    ]);
    assert.equal(fake.requests[4]?.headers['vmware-api-session-id'], fake.issuedTokens[1]);
  });

  it('a 401 right after a fresh login is an error, after exactly one renewal', async () => {
    const client = clientFor(fake);
    fake.on('GET /api/vcenter/vcha/operations', (_request, res) => {
      sendVapiError(res, 401, 'UNAUTHENTICATED', 'This method requires authentication.');
    });
    const error = await audit.rejection(client.getOperations());
    assert.ok(error instanceof VcenterApiError);
    assert.equal(error.operation, 'operations.get');
    assert.equal(error.status, 401);
    assert.equal(error.errorType, 'UNAUTHENTICATED');
    assert.equal(fake.requestsFor('POST /api/session').length, 2);
    assert.equal(fake.requestsFor('GET /api/vcenter/vcha/operations').length, 2);
  });

  it('never sends the failover twice, not even after a 401: the 401 is an error and the next call logs in', async () => {
    const client = clientFor(fake);
    await client.login();
    fake.expireSessions();
    const error = await audit.rejection(client.startFailover({ planned: true }));
    assert.ok(error instanceof VcenterApiError);
    assert.equal(error.status, 401);
    assert.equal(error.operation, 'cluster.failover');
    assert.equal(error.vapiBody, true);
    assert.equal(fake.requestsFor('POST /api/vcenter/vcha/cluster?action=failover&vmw-task=true').length, 1);
    assert.equal(fake.requestsFor('POST /api/session').length, 1, 'no login on behalf of a second send');
    await client.getOperations();
    assert.equal(fake.requestsFor('POST /api/session').length, 2, 'the next call logged in again');
  });

  it('concurrent calls that all hit a 401 share one login', async () => {
    const client = clientFor(fake);
    await client.login();
    fake.expireSessions();
    const results = await Promise.all([
      client.getMode(),
      client.getOperations(),
      client.getCluster(),
      client.getTask('task-1:x'),
      client.getMode(),
    ]);
    assert.equal(results.length, 5);
    assert.equal(fake.requestsFor('POST /api/session').length, 2);
    assert.equal(client.loginCount, 2);
  });

  it('concurrent first calls share one login', async () => {
    const client = clientFor(fake);
    await Promise.all([client.getMode(), client.getOperations(), client.getMode()]);
    assert.equal(fake.requestsFor('POST /api/session').length, 1);
  });
});

describe('calls', () => {
  it('getCluster posts to ?action=get with the partial flag and returns the parsed info', async () => {
    const client = clientFor(fake);
    assert.deepEqual(await client.getCluster(), clusterInfoExample());
    await client.getCluster({ partial: true });
    const [full, partial] = fake.requestsFor('POST /api/vcenter/vcha/cluster?action=get');
    assert.deepEqual(JSON.parse(full?.body ?? ''), {});
    assert.deepEqual(JSON.parse(partial?.body ?? ''), { partial: true });
    assert.equal(partial?.headers['content-type'], 'application/json');
  });

  it('startFailover posts {"planned": false} and returns the task id from the 202', async () => {
    const client = clientFor(fake);
    assert.equal(await client.startFailover({ planned: false }), 'task-1234:com.vmware.vcenter.vcha.cluster');
    const [request] = fake.requestsFor('POST /api/vcenter/vcha/cluster?action=failover&vmw-task=true');
    assert.deepEqual(JSON.parse(request?.body ?? ''), { planned: false });
  });

  it('a failover answered 200 instead of 202 is an API error', async () => {
    fake.on('POST /api/vcenter/vcha/cluster?action=failover&vmw-task=true', (_request, res) => {
      sendJson(res, 200, 'task-1:x');
    });
    const error = await audit.rejection(clientFor(fake).startFailover({ planned: true }));
    assert.ok(error instanceof VcenterApiError);
    assert.equal(error.status, 200);
    assert.equal(error.mayHaveReachedVcenter, true);
  });

  it('getTask sends a task id with a colon as one encoded path segment', async () => {
    const client = clientFor(fake);
    const task = await client.getTask('task-1234:com.vmware.vcenter.vcha.cluster');
    assert.equal(task.status, 'RUNNING');
    const request = fake.requests.find((candidate) => candidate.path.startsWith('/api/cis/tasks/'));
    assert.equal(request?.path, '/api/cis/tasks/task-1234%3Acom.vmware.vcenter.vcha.cluster');
    await client.getTask('odd/id?x=1');
    assert.equal(fake.requests.at(-1)?.path, '/api/cis/tasks/odd%2Fid%3Fx%3D1');
  });

  it('listTasks posts a filter_spec with only the given filters and returns the map', async () => {
    const client = clientFor(fake);
    const tasks = await client.listTasks({
      services: ['com.vmware.vcenter.vcha.cluster'],
      tasks: ['task-1234:com.vmware.vcenter.vcha.cluster'],
    });
    assert.deepEqual(Object.keys(tasks), ['task-1234:com.vmware.vcenter.vcha.cluster']);
    assert.deepEqual(tasks['task-1234:com.vmware.vcenter.vcha.cluster'], taskInfoExample());
    const [request] = fake.requestsFor('POST /api/cis/tasks?action=list');
    assert.deepEqual(JSON.parse(request?.body ?? ''), {
      filter_spec: {
        tasks: ['task-1234:com.vmware.vcenter.vcha.cluster'],
        services: ['com.vmware.vcenter.vcha.cluster'],
      },
    });
  });

  it('serves a base URL with a path prefix, with or without a trailing slash', async () => {
    const prefixed = await FakeVcenter.start({ prefix: '/vc/lab-01' });
    try {
      for (const baseUrl of [prefixed.url, `${prefixed.url}/`]) {
        const client = clientFor(prefixed, { baseUrl });
        assert.equal((await client.getMode()).mode, 'ENABLED');
      }
      assert.ok(prefixed.requests.length > 0);
      for (const request of prefixed.requests) assert.ok(request.rawUrl.startsWith('/vc/lab-01/api/'), request.rawUrl);
    } finally {
      await clients.closeAll();
      secrets.push(...prefixed.issuedTokens);
      await prefixed.stop();
    }
  });

  // An unread body holds its socket forever, so a regression shows up as a hang: the timeout turns it into a failure.
  it('reuses pooled connections for sequential calls, including error answers', { timeout: 5_000 }, async () => {
    const client = clientFor(fake);
    // Large enough that an unread body would keep its socket busy (undici buffers only a small window).
    const bigMessage = 'busy '.repeat(200_000);
    fake.on('GET /api/vcenter/vcha/operations', (_request, res) =>
      sendVapiError(res, 503, 'SERVICE_UNAVAILABLE', bigMessage),
    );
    await client.getMode();
    await client.getMode();
    // The pool may open a second socket while the first one is still being released after the login.
    const warmedUp = fake.connectionCount;
    assert.ok(warmedUp <= 2);
    for (let round = 0; round < 5; round += 1) {
      await audit.rejection(client.getOperations());
      await client.getCluster();
      await client.getTask('task-1:x');
    }
    assert.equal(fake.requests.length, 18);
    assert.equal(fake.connectionCount, warmedUp, 'every body was consumed so sockets went back to the pool');
  });

  it('reports every exchange to onRequest, including logins and the 401 before a renewal', async () => {
    const events: VcenterRequestEvent[] = [];
    const client = clientFor(fake, { onRequest: (event) => events.push(event) });
    await client.getMode();
    fake.expireSessions();
    await client.getMode();
    assert.deepEqual(
      events.map((event) => `${event.operation} ${event.method} ${event.status}`),
      [
        'session.create POST 201',
        'cluster.mode.get GET 200',
        'cluster.mode.get GET 401',
        'session.create POST 201',
        'cluster.mode.get GET 200',
      ],
    );
    for (const event of events) assert.ok(event.durationMs >= 0 && event.error === undefined);
  });

  it('a throwing onRequest hook does not break the call', async () => {
    const client = clientFor(fake, {
      onRequest: () => {
        throw new Error('metrics backend down');
      },
    });
    assert.equal((await client.getMode()).mode, 'ENABLED');
    assert.ok(audit.lines.some((line) => line.message === 'vCenter request hook failed'));
  });

  it('rejects a base URL with credentials or an unsupported scheme', () => {
    const options = { username: 'u', password: 'p4ssw0rd-x' };
    assert.throws(() => new VcenterClient({ ...options, baseUrl: 'https://u:p@vc.example.com' }), /credentials/);
    assert.throws(() => new VcenterClient({ ...options, baseUrl: 'ftp://vc.example.com' }), /https or http/);
    assert.throws(() => new VcenterClient({ ...options, baseUrl: 'not a url' }), /not a valid URL/);
  });
});

describe('logout and close', () => {
  it('close logs the session out with DELETE /api/session and later calls fail without sending', async () => {
    const client = clientFor(fake);
    await client.getMode();
    const token = fake.issuedTokens[0] ?? '';
    assert.ok(fake.validTokens.has(token));
    await client.close();

    const [logout] = fake.requestsFor('DELETE /api/session');
    assert.equal(logout?.headers['vmware-api-session-id'], token);
    assert.equal(fake.validTokens.has(token), false);
    const count = fake.requests.length;
    const error = await audit.rejection(client.getMode());
    assert.ok(error instanceof VcenterClientClosedError);
    assert.equal(error.mayHaveReachedVcenter, false);
    assert.equal(fake.requests.length, count);
    await client.close();
  });

  it('close without a session sends nothing', async () => {
    const client = clientFor(fake);
    await client.close();
    assert.equal(fake.requests.length, 0);
  });

  it('logout is best effort: a failing DELETE is logged, not thrown, and the next call logs in again', async () => {
    fake.on('DELETE /api/session', (_request, res) => sendVapiError(res, 503, 'SERVICE_UNAVAILABLE', 'busy'));
    const client = clientFor(fake);
    await client.getMode();
    await client.logout();
    assert.ok(audit.lines.some((line) => line.level === 'warn' && line.message === 'vCenter logout failed'));
    await client.getMode();
    assert.equal(client.loginCount, 2);
  });
});
