import assert from 'node:assert/strict';
import { type ServerResponse } from 'node:http';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import {
  VcenterApiError,
  VcenterClient,
  VcenterError,
  VcenterResponseError,
  VcenterUnreachableError,
} from '../../src/vcenter';
import { clusterInfoExample, taskInfoExample } from './examples';
import { classifyVcenterError, mayHaveReached } from '../../src/vcenter/classify';
import { FakeVcenter, sendJson, sendVapiError } from './fake-vcenter';
import { SecretAudit } from './secret-audit';

const audit = new SecretAudit();
const secrets: string[] = [];
const CLUSTER_GET = 'POST /api/vcenter/vcha/cluster?action=get';
const FAILOVER = 'POST /api/vcenter/vcha/cluster?action=failover&vmw-task=true';

let fake: FakeVcenter;
let client: VcenterClient;

beforeEach(async () => {
  fake = await FakeVcenter.start();
  client = new VcenterClient({
    baseUrl: fake.url,
    username: fake.username,
    password: fake.password,
    logger: audit.logger,
  });
});

afterEach(async () => {
  await client.close();
  secrets.push(
    fake.password,
    Buffer.from(`${fake.username}:${fake.password}`).toString('base64'),
    ...fake.issuedTokens,
  );
  await fake.stop();
});

after(() => {
  audit.assertNoSecrets(secrets);
});

describe('error statuses', () => {
  const cases: [number, string][] = [
    [400, 'NOT_ALLOWED_IN_CURRENT_STATE'],
    [403, 'UNAUTHORIZED'],
    [404, 'NOT_FOUND'],
    [500, 'ERROR'],
    [503, 'SERVICE_UNAVAILABLE'],
    [504, 'TIMED_OUT'],
  ];
  for (const [status, errorType] of cases) {
    it(`${status} ${errorType} becomes a VcenterApiError with its type and messages`, async () => {
      fake.on(FAILOVER, (_request, res) => {
        sendJson(res, status, {
          error_type: errorType,
          messages: [
            { id: 'outer.id', default_message: `outer message ${status}`, args: [] },
            { id: 'cause.id', default_message: 'the cause', args: ['a'] },
          ],
          data: { anything: true },
        });
      });
      const error = await audit.rejection(client.startFailover({ planned: true }));
      assert.ok(error instanceof VcenterApiError);
      assert.ok(error instanceof VcenterError);
      assert.equal(error.name, 'VcenterApiError');
      assert.equal(error.operation, 'cluster.failover');
      assert.equal(error.status, status);
      assert.equal(error.errorType, errorType);
      assert.deepEqual(error.messages, [`outer message ${status}`, 'the cause']);
      assert.equal(error.mayHaveReachedVcenter, true);
      assert.match(
        error.message,
        new RegExp(`^cluster\\.failover failed: HTTP ${status} ${errorType}: outer message ${status}; the cause`),
      );
      assert.equal(fake.requestsFor(FAILOVER).length, 1, 'an error status is never retried');
    });
  }

  it('a 401 that persists after renewal is a VcenterApiError with status 401', async () => {
    fake.on('GET /api/vcenter/vcha/cluster/mode', (_request, res) => {
      sendVapiError(res, 401, 'UNAUTHENTICATED', 'This method requires authentication.');
    });
    const error = await audit.rejection(client.getMode());
    assert.ok(error instanceof VcenterApiError);
    assert.equal(error.status, 401);
    assert.equal(error.errorType, 'UNAUTHENTICATED');
    assert.deepEqual(error.messages, ['This method requires authentication.']);
  });

  it('a 403 names the Global.VCServer privilege', async () => {
    fake.on(CLUSTER_GET, (_request, res) => {
      sendJson(res, 403, {
        messages: [{ id: 'vapi.security.authorization.invalid', default_message: 'Permission denied.', args: [] }],
      });
    });
    const error = await audit.rejection(client.getCluster());
    assert.ok(error instanceof VcenterApiError);
    assert.equal(error.errorType, undefined, 'error_type is optional (before 6.7.2)');
    assert.match(error.message, /Global\.VCServer/);
  });

  it('an error body that is not JSON still gives a VcenterApiError with a short, tag-free excerpt', async () => {
    fake.on(CLUSTER_GET, (_request, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(
        `<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>${'x'.repeat(5000)}</body></html>`,
      );
    });
    const error = await audit.rejection(client.getCluster());
    assert.ok(error instanceof VcenterApiError);
    assert.equal(error.status, 502);
    assert.equal(error.errorType, undefined);
    assert.deepEqual(error.messages, []);
    assert.match(error.bodyExcerpt ?? '', /^502 Bad Gateway Bad Gateway x+…$/);
    assert.ok(error.message.length < 400, 'the excerpt is short');
    assert.ok(!error.message.includes('<'));
  });

  it('an error body with a partly malformed vAPI error still yields its type and texts', async () => {
    fake.on(CLUSTER_GET, (_request, res) => {
      sendJson(res, 500, { error_type: 'ERROR', messages: [{ default_message: 'no id or args here' }] });
    });
    const error = await audit.rejection(client.getCluster());
    assert.ok(error instanceof VcenterApiError);
    assert.equal(error.errorType, 'ERROR');
    assert.deepEqual(error.messages, ['no id or args here']);
  });

  it('server text that echoes the password or session token is redacted', async () => {
    fake.on(CLUSTER_GET, (request, res) => {
      const token = String(request.headers['vmware-api-session-id']);
      sendVapiError(res, 500, 'ERROR', `user ${fake.username} with ${fake.password} and session ${token} failed`);
    });
    fake.on('GET /api/vcenter/vcha/operations', (request, res) => {
      res
        .writeHead(500, { 'content-type': 'text/plain' })
        .end(`session ${String(request.headers['vmware-api-session-id'])}`);
    });
    const error = await audit.rejection(client.getCluster());
    assert.ok(error instanceof VcenterApiError);
    assert.match(error.message, /with \[redacted\] and session \[redacted\] failed/);
    const plain = await audit.rejection(client.getOperations());
    assert.ok(plain instanceof VcenterApiError);
    assert.equal(plain.bodyExcerpt, 'session [redacted]');
  });
});

describe('malformed success bodies', () => {
  const cases: [string, (res: ServerResponse) => void, RegExp][] = [
    [
      'an HTML page',
      (res) =>
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Login</body></html>'),
      /cluster\.get failed: unexpected response body \(HTTP 200\): body is not valid JSON \(text\/html, 46 bytes\), starting: "Login"/,
    ],
    [
      'truncated JSON',
      (res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"config_state": "CONFIGURED", "node1": {'),
      /cluster\.get failed: unexpected response body \(HTTP 200\): body is not valid JSON \(application\/json, 41 bytes\)/,
    ],
    [
      'an empty body',
      (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(),
      /cluster\.get failed: .*body is empty/,
    ],
    [
      'wrong types',
      (res) => sendJson(res, 200, { ...clusterInfoExample(), manual_failover_allowed: 'yes', mode: 'SOMETIMES' }),
      /cluster\.get failed: unexpected response body \(HTTP 200\): mode: .*; manual_failover_allowed: .*expected boolean/,
    ],
    [
      'an unknown node state',
      (res) => {
        const info = clusterInfoExample() as { node2: { runtime: Record<string, unknown> } };
        info.node2.runtime.state = 'REBOOTING';
        sendJson(res, 200, info);
      },
      /node2\.runtime\.state: Invalid option/,
    ],
  ];
  for (const [label, respond, expected] of cases) {
    it(`${label} becomes a VcenterResponseError naming the operation`, async () => {
      fake.on(CLUSTER_GET, (_request, res) => respond(res));
      const error = await audit.rejection(client.getCluster());
      assert.ok(error instanceof VcenterResponseError, String(error));
      assert.equal(error.operation, 'cluster.get');
      assert.equal(error.status, 200);
      assert.equal(error.mayHaveReachedVcenter, true);
      assert.ok(error.problems.length > 0);
      assert.match(error.message, expected);
    });
  }

  it('a task with an unknown status is a response error for tasks.get', async () => {
    fake.on('GET /api/cis/tasks/task-1%3Ax', (_request, res) =>
      sendJson(res, 200, { ...taskInfoExample(), status: 'PAUSED' }),
    );
    const error = await audit.rejection(client.getTask('task-1:x'));
    assert.ok(error instanceof VcenterResponseError);
    assert.equal(error.operation, 'tasks.get');
    assert.match(error.message, /status: Invalid option/);
  });

  it('a failover 202 whose body is not a string is a response error that may have reached vCenter', async () => {
    fake.on(FAILOVER, (_request, res) => sendJson(res, 202, { value: 'task-1' }));
    const error = await audit.rejection(client.startFailover({ planned: false }));
    assert.ok(error instanceof VcenterResponseError);
    assert.equal(error.operation, 'cluster.failover');
    assert.equal(mayHaveReached(classifyVcenterError(error, 'cluster.failover')), true);
  });
});

describe('error serialisation', () => {
  it('toJSON and JSON.stringify carry name, message and fields', async () => {
    fake.on(CLUSTER_GET, (_request, res) => sendVapiError(res, 400, 'INVALID_ARGUMENT', 'bad spec'));
    const error = await audit.rejection(client.getCluster());
    assert.ok(error instanceof VcenterApiError);
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    assert.deepEqual(json, {
      name: 'VcenterApiError',
      message: 'cluster.get failed: HTTP 400 INVALID_ARGUMENT: bad spec',
      operation: 'cluster.get',
      mayHaveReachedVcenter: true,
      status: 400,
      errorType: 'INVALID_ARGUMENT',
      messages: ['bad spec'],
      vapiBody: true,
    });
  });

  it('an unreachable error serialises its reason, phase and code', () => {
    const error = new VcenterUnreachableError({
      operation: 'tasks.get',
      reason: 'refused',
      phase: 'connect',
      mayHaveReachedVcenter: false,
      code: 'ECONNREFUSED',
      detail: 'refused',
    });
    assert.deepEqual(error.toJSON(), {
      name: 'VcenterUnreachableError',
      message: 'tasks.get failed: vCenter unreachable (refused during connect, ECONNREFUSED): refused',
      operation: 'tasks.get',
      mayHaveReachedVcenter: false,
      reason: 'refused',
      phase: 'connect',
      code: 'ECONNREFUSED',
    });
  });

  it('a failed login on behalf of the failover proves the failover was never sent; anything unknown may have been', async () => {
    fake.on('POST /api/session', (_request, res) => sendVapiError(res, 503, 'SERVICE_UNAVAILABLE', 'starting'));
    const loginFailure = await audit.rejection(client.startFailover({ planned: true }));
    assert.ok(loginFailure instanceof VcenterApiError);
    assert.equal(loginFailure.operation, 'session.create');
    assert.equal(fake.requestsFor(FAILOVER).length, 0);
    assert.equal(
      mayHaveReached(classifyVcenterError(loginFailure, 'cluster.failover')),
      false,
      'the failover request was never sent',
    );
    assert.equal(mayHaveReached(classifyVcenterError(new Error('anything'), 'cluster.failover')), true);
    assert.equal(mayHaveReached(classifyVcenterError(undefined, 'cluster.failover')), true);
  });
});
