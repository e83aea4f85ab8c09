/**
 * The trigger activity alone (MockActivityEnvironment, scripted vCenter): what its first attempt
 * checks before sending, how a retry reconciles with what an earlier attempt may have sent, and
 * how each answer to the failover request is classified.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { makeTriggerFailover, type TriggerInput, type TriggerResult } from '../../src/activities/trigger';
import { depsFor } from './deps';
import { apiError, clusterInfo, failoverTask, operations, ScriptedVcenter, unreachable } from './scripted-vcenter';

const TASK = 'task-7:com.vmware.vcenter.vcha.cluster';

function input(notBefore = new Date()): TriggerInput {
  return { target: 'lab', planned: true, expectedActive: '10.0.0.1', notBefore: notBefore.toISOString() };
}

/** Runs one attempt of the trigger against `vcenter`. */
function trigger(vcenter: ScriptedVcenter, attempt = 1, at = input()): Promise<TriggerResult> {
  return new MockActivityEnvironment({ attempt }).run(makeTriggerFailover(depsFor(vcenter.client)), at);
}

/** The ApplicationFailure an attempt ends with. */
async function failureOf(attempt: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await attempt;
  } catch (error) {
    assert.ok(error instanceof ApplicationFailure, String(error));
    return error;
  }
  assert.fail('the attempt did not fail');
}

describe('trigger activity: the first attempt', () => {
  it('checks the cluster, then sends the failover once', async () => {
    const vcenter = new ScriptedVcenter()
      .on('getCluster', clusterInfo('node1'))
      .on('getOperations', operations())
      .on('startFailover', TASK);
    const result = await trigger(vcenter);
    assert.deepEqual({ sent: result.sent, taskId: result.taskId }, { sent: 'yes', taskId: TASK });
    assert.deepEqual(vcenter.calls, ['cluster.get', 'operations.get', 'cluster.failover']);
  });

  for (const [what, vcenter] of [
    [
      'another node is ACTIVE',
      new ScriptedVcenter()
        .on('getCluster', clusterInfo('node2'))
        .on('getOperations', operations())
        .on('listTasks', {}),
    ],
    [
      'a failover is running',
      new ScriptedVcenter().on('getCluster', clusterInfo('node1')).on('getOperations', operations(true)),
    ],
    [
      'no node is ACTIVE',
      new ScriptedVcenter().on('getCluster', clusterInfo('none')).on('getOperations', operations()),
    ],
  ] as const) {
    it(`does not send when ${what}: PreflightRejected`, async () => {
      const failure = await failureOf(trigger(vcenter));
      assert.equal(failure.type, 'PreflightRejected');
      assert.equal(failure.nonRetryable, true);
      assert.match(failure.message, /changed since preflight/);
      assert.ok(!vcenter.calls.includes('cluster.failover'));
    });
  }
});

describe('trigger activity: a retried attempt', () => {
  const signs = [
    [
      'the active node changed',
      () =>
        new ScriptedVcenter()
          .on('getCluster', clusterInfo('node2'))
          .on('getOperations', operations())
          .on('listTasks', {}),
      /the active node is now 10\.0\.0\.2/,
    ],
    [
      'a failover is running',
      () =>
        new ScriptedVcenter()
          .on('getCluster', clusterInfo('node1'))
          .on('getOperations', operations(true))
          .on('listTasks', {}),
      /a failover is running/,
    ],
    [
      'a recent failover task exists',
      () =>
        new ScriptedVcenter()
          .on('getCluster', clusterInfo('node1'))
          .on('getOperations', operations())
          .on('listTasks', { [TASK]: failoverTask('RUNNING') }),
      /task task-7.* exists/,
    ],
  ] as const;
  for (const [sign, script, note] of signs) {
    it(`follows instead of sending when ${sign}`, async () => {
      const vcenter = script();
      const result = await trigger(vcenter, 2);
      assert.equal(result.sent, 'unknown');
      assert.match(result.note, note);
      assert.ok(!vcenter.calls.includes('cluster.failover'), JSON.stringify(vcenter.calls));
    });
  }

  it('follows instead of sending when vCenter is unreachable after the interrupted attempt', async () => {
    const vcenter = new ScriptedVcenter().on('getCluster', unreachable('cluster.get', 'timeout'));
    const result = await trigger(vcenter, 2);
    assert.equal(result.sent, 'unknown');
    assert.match(result.note, /unreachable after an interrupted attempt/);
    assert.deepEqual(vcenter.calls, ['cluster.get']);
  });

  it('sends when nothing shows an earlier request, ignoring failover tasks older than this run', async () => {
    const old = failoverTask('SUCCEEDED', { start_time: new Date(Date.now() - 3_600_000).toISOString() });
    const vcenter = new ScriptedVcenter()
      .on('getCluster', clusterInfo('node1'))
      .on('getOperations', operations())
      .on('listTasks', { 'task-1:com.vmware.vcenter.vcha.cluster': old })
      .on('startFailover', TASK);
    const result = await trigger(vcenter, 3);
    assert.equal(result.sent, 'yes');
    assert.deepEqual(vcenter.calls, ['cluster.get', 'operations.get', 'tasks.list', 'cluster.failover']);
  });
});

describe('trigger activity: the answer to the failover request', () => {
  const sendAnswering = (answer: Error) =>
    new ScriptedVcenter()
      .on('getCluster', clusterInfo('node1'))
      .on('getOperations', operations())
      .on('startFailover', answer);

  it('a refused connection proves nothing was sent: FailoverNotSent, retryable', async () => {
    const failure = await failureOf(trigger(sendAnswering(unreachable('cluster.failover', 'refused'))));
    assert.equal(failure.type, 'FailoverNotSent');
    assert.equal(failure.nonRetryable, false);
  });

  it('a failed login on its behalf proves nothing was sent', async () => {
    const failure = await failureOf(trigger(sendAnswering(apiError('session.create', 401, 'UNAUTHENTICATED'))));
    assert.equal(failure.type, 'FailoverNotSent');
  });

  it('a 403 is NotAuthorized', async () => {
    const failure = await failureOf(trigger(sendAnswering(apiError('cluster.failover', 403, 'UNAUTHORIZED'))));
    assert.equal(failure.type, 'NotAuthorized');
    assert.match(failure.message, /Global\.VCServer/);
  });

  it('a vAPI error is a refusal: FailoverFailed', async () => {
    const failure = await failureOf(
      trigger(sendAnswering(apiError('cluster.failover', 500, 'ERROR', 'Failover is not allowed'))),
    );
    assert.equal(failure.type, 'FailoverFailed');
    assert.match(failure.message, /HTTP 500 ERROR\): Failover is not allowed/);
  });

  for (const answer of [apiError('cluster.failover', 503), unreachable('cluster.failover', 'reset')]) {
    it(`${answer.message.slice(0, 40)}… may have been accepted: not re-sent, outcome unknown`, async () => {
      const result = await trigger(sendAnswering(answer));
      assert.equal(result.sent, 'unknown');
      assert.match(result.note, /not re-sending, judging by the cluster state/);
    });
  }
});
