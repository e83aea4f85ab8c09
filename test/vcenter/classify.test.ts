/** The one classifier of vCenter errors: every class, from the errors the client really raises. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classifyVcenterError,
  isNotFound,
  isOutage,
  isUnauthorized,
  mayHaveReached,
  type VcenterErrorKind,
} from '../../src/vcenter/classify';
import {
  VcenterApiError,
  VcenterClientClosedError,
  VcenterResponseError,
  VcenterUnreachableError,
  type UnreachableReason,
} from '../../src/vcenter/errors';

const unreachable = (
  reason: UnreachableReason,
  mayHaveReachedVcenter: boolean,
  operation = 'cluster.failover' as const,
) =>
  new VcenterUnreachableError({
    operation,
    reason,
    phase: mayHaveReachedVcenter ? 'response' : 'connect',
    mayHaveReachedVcenter,
    detail: reason,
  });
const api = (status: number, vapiBody: boolean, errorType?: string, operation = 'cluster.failover' as const) =>
  new VcenterApiError({
    operation,
    status,
    errorType,
    messages: vapiBody ? ['Failover is not allowed in the current state.'] : [],
    bodyExcerpt: vapiBody ? undefined : '502 Bad Gateway nginx',
    vapiBody,
  });

const table: [string, unknown, VcenterErrorKind, { reached: boolean; outage: boolean }][] = [
  ['connection refused', unreachable('refused', false), 'not-sent', { reached: false, outage: true }],
  ['DNS failure', unreachable('dns', false), 'not-sent', { reached: false, outage: true }],
  ['TLS handshake failure', unreachable('tls', false), 'not-sent', { reached: false, outage: true }],
  ['connect timeout', unreachable('timeout', false), 'not-sent', { reached: false, outage: true }],
  [
    'the login on its behalf failed',
    api(401, true, 'UNAUTHENTICATED', 'session.create' as 'cluster.failover'),
    'not-sent',
    { reached: false, outage: false },
  ],
  [
    'a login that could not connect',
    unreachable('refused', false, 'session.create' as 'cluster.failover'),
    'not-sent',
    { reached: false, outage: true },
  ],
  [
    'a login answered 503',
    api(503, true, 'SERVICE_UNAVAILABLE', 'session.create' as 'cluster.failover'),
    'not-sent',
    { reached: false, outage: true },
  ],
  ['a closed client', new VcenterClientClosedError('cluster.failover'), 'not-sent', { reached: false, outage: false }],
  ['reset after sending', unreachable('reset', true), 'lost', { reached: true, outage: true }],
  ['no answer in time', unreachable('timeout', true), 'lost', { reached: true, outage: true }],
  ["a proxy's HTML 502", api(502, false), 'gateway', { reached: true, outage: true }],
  ['a vAPI 503 SERVICE_UNAVAILABLE', api(503, true, 'SERVICE_UNAVAILABLE'), 'gateway', { reached: true, outage: true }],
  ['a 504', api(504, false), 'gateway', { reached: true, outage: true }],
  ['a 500 without the vAPI body', api(500, false), 'gateway', { reached: true, outage: true }],
  ['a vAPI 500 ERROR', api(500, true, 'ERROR'), 'vapi-error', { reached: true, outage: false }],
  [
    'a vAPI 400 NOT_ALLOWED_IN_CURRENT_STATE',
    api(400, true, 'NOT_ALLOWED_IN_CURRENT_STATE'),
    'vapi-error',
    { reached: true, outage: false },
  ],
  ['a vAPI 401 on the call itself', api(401, true, 'UNAUTHENTICATED'), 'vapi-error', { reached: true, outage: false }],
  ['a vAPI 403 UNAUTHORIZED', api(403, true, 'UNAUTHORIZED'), 'vapi-error', { reached: true, outage: false }],
  ['a 403 page that is not vAPI', api(403, false), 'malformed', { reached: true, outage: false }],
  ['a 200 instead of 202', api(200, false), 'malformed', { reached: true, outage: false }],
  [
    'an HTML 202',
    new VcenterResponseError({ operation: 'cluster.failover', status: 202, problems: ['body is not valid JSON'] }),
    'malformed',
    { reached: true, outage: false },
  ],
  ['not an error of the client', new TypeError('x is undefined'), 'other', { reached: true, outage: false }],
];

describe('classifyVcenterError', () => {
  for (const [what, error, kind, { reached, outage }] of table) {
    it(`${what}: ${kind}, ${reached ? 'may have reached vCenter' : 'never reached it'}`, () => {
      const errorClass = classifyVcenterError(error, 'cluster.failover');
      assert.equal(errorClass.kind, kind);
      assert.equal(mayHaveReached(errorClass), reached);
      assert.equal(isOutage(errorClass), outage);
    });
  }

  it("names vCenter's own refusals for privilege, and any 404, and only those", () => {
    assert.equal(isUnauthorized(classifyVcenterError(api(403, true, 'UNAUTHORIZED'), 'cluster.failover')), true);
    assert.equal(isUnauthorized(classifyVcenterError(api(403, false), 'cluster.failover')), false);
    const notFound = new VcenterApiError({
      operation: 'tasks.get',
      status: 404,
      errorType: 'NOT_FOUND',
      messages: ['Task x was not found.'],
      vapiBody: true,
    });
    assert.equal(isNotFound(classifyVcenterError(notFound, 'tasks.get')), true);
    // A 404 page that is not vCenter's own: the task is not served there either.
    assert.equal(
      isNotFound(classifyVcenterError(new VcenterApiError({ operation: 'tasks.get', status: 404 }), 'tasks.get')),
      true,
    );
    assert.equal(isNotFound(classifyVcenterError(api(500, true, 'ERROR'), 'cluster.failover')), false);
  });

  it('keeps what vCenter said on a refusal', () => {
    const errorClass = classifyVcenterError(api(500, true, 'ERROR'), 'cluster.failover');
    assert.deepEqual(
      errorClass.kind === 'vapi-error' && [errorClass.status, errorClass.errorType, errorClass.messages],
      [500, 'ERROR', ['Failover is not allowed in the current state.']],
    );
  });
});
