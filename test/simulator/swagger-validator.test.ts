/** The swagger validator itself: it must find the right schema and catch wrong bodies. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { responseSchemaFor, validateAgainstSpec, validateResponse } from './swagger-validator';

const message = { id: 'x', default_message: 'x', args: [] };
const task = { description: message, service: 's', operation: 'o', status: 'FAILED', cancelable: false };

describe('swagger validator', () => {
  it('finds the declared response schema by path, query and status', () => {
    assert.match(
      responseSchemaFor('POST', '/api/vcenter/vcha/cluster?action=get', 200) ?? '',
      /cluster%3Faction%3Dget\/post\/responses\/200/,
    );
    assert.match(
      responseSchemaFor('POST', '/api/vcenter/vcha/cluster?action=failover&vmw-task=true', 202) ?? '',
      /action%3Dfailover/,
    );
    assert.match(
      responseSchemaFor('GET', '/api/cis/tasks/task-9%3Acom.vmware.vcenter.vcha.cluster', 200) ?? '',
      /%7Btask%7D/,
    );
    assert.equal(responseSchemaFor('DELETE', '/api/session', 204), null);
    assert.throws(() => responseSchemaFor('GET', '/api/nothing', 200));
    assert.throws(() => responseSchemaFor('POST', '/api/vcenter/vcha/cluster?action=get', 418));
  });

  it('rejects wrong shapes and accepts right ones', () => {
    assert.equal(validateResponse('POST', '/api/session', 201, 'token').valid, true);
    assert.equal(validateResponse('POST', '/api/session', 201, { token: 'x' }).valid, false);
    assert.equal(validateResponse('GET', '/api/vcenter/vcha/cluster/mode', 200, { mode: 'ON' }).valid, false);
    assert.equal(validateResponse('GET', '/api/vcenter/vcha/operations', 200, { disabled: [] }).valid, false);
    assert.equal(validateAgainstSpec('VcenterVchaClusterNodeInfo', { runtime: {} }).valid, false);
  });

  it('checks CisTaskInfo.error as the vAPI error object despite the swagger typing it as a string', () => {
    const good = { ...task, error: { error_type: 'ERROR', messages: [message] } };
    assert.equal(validateResponse('GET', '/api/cis/tasks/t', 200, good).valid, true);
    assert.equal(validateResponse('GET', '/api/cis/tasks/t', 200, { ...task, error: 'boom' }).valid, false);
    assert.equal(
      validateResponse('GET', '/api/cis/tasks/t', 200, { ...task, error: { messages: [{ id: 'x' }] } }).valid,
      false,
    );
  });

  it('checks date-time formats and, in strict mode, unknown property names', () => {
    assert.equal(validateResponse('GET', '/api/cis/tasks/t', 200, { ...task, start_time: 'today' }).valid, false);
    const camel = { mode: 'ENABLED', healthState: 'HEALTHY' };
    assert.equal(validateResponse('POST', '/api/vcenter/vcha/cluster?action=get', 200, camel).valid, true);
    assert.equal(
      validateResponse('POST', '/api/vcenter/vcha/cluster?action=get', 200, camel, { strict: true }).valid,
      false,
    );
  });

  it('checks undeclared error statuses against the standard error for that status', () => {
    const unauthenticated = { error_type: 'UNAUTHENTICATED', messages: [message] };
    assert.equal(
      validateResponse('POST', '/api/vcenter/vcha/cluster?action=get', 401, unauthenticated, { strict: true }).valid,
      true,
    );
    assert.equal(validateResponse('GET', '/api/unknown', 404, { messages: 'nope' }).valid, false);
  });
});
