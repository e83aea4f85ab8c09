/**
 * The activities around the failover request, alone (MockActivityEnvironment, scripted vCenter):
 * the check that the cluster is as preflight saw it, the one-attempt send and what each of its
 * ends proves, and the combined trigger that runs from older builds still schedule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { makeCheckCluster, type ClusterCheck } from '../../src/activities/check-cluster';
import { makeTriggerFailover, type TriggerResult } from '../../src/activities/legacy-trigger';
import { makeSendFailover, type SentFailover } from '../../src/activities/send-failover';
import { SEND_FAILURE_TYPES, type SendFailureDetails } from '../../src/contract';
import { VcenterApiError } from '../../src/vcenter';
import { depsFor } from './deps';
import { apiError, clusterInfo, operations, ScriptedVcenter, unreachable } from './scripted-vcenter';

const TASK = 'task-7:com.vmware.vcenter.vcha.cluster';

function check(vcenter: ScriptedVcenter): Promise<ClusterCheck> {
  return new MockActivityEnvironment().run(makeCheckCluster(depsFor(vcenter.client)), {
    target: 'lab',
    expectedActive: '10.0.0.1',
    expectedPassive: '10.0.0.2',
  });
}

function send(vcenter: ScriptedVcenter, attempt = 1): Promise<SentFailover> {
  return new MockActivityEnvironment({ attempt }).run(makeSendFailover(depsFor(vcenter.client)), {
    target: 'lab',
    planned: true,
  });
}

/** The ApplicationFailure an activity ends with. */
async function failureOf(run: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await run;
  } catch (error) {
    assert.ok(error instanceof ApplicationFailure, String(error));
    return error;
  }
  assert.fail('the activity did not fail');
}

describe('check activity', () => {
  it('finds the cluster unchanged with partial reads only', async () => {
    const vcenter = new ScriptedVcenter().on('getCluster', clusterInfo('node1')).on('getOperations', operations());
    const result = await check(vcenter);
    assert.equal(result.unchanged, true);
    assert.match(result.detail, /active 10\.0\.0\.1, HEALTHY, all members UP; no failover running/);
    assert.deepEqual(vcenter.calls, ['cluster.get', 'operations.get']);
  });

  it("reports vCenter's own time of the read (its Date header, whole seconds), not the worker's", async () => {
    const vcenter = new ScriptedVcenter().on('getCluster', clusterInfo('node1')).on('getOperations', operations());
    const hourAgo = Date.now() - 3_600_000;
    vcenter.vcenterTime = () => new Date(hourAgo);
    const result = await check(vcenter);
    assert.equal(result.vcenterTime, new Date(Math.floor(hourAgo / 1_000) * 1_000).toISOString());
    const without = await check(
      new ScriptedVcenter().on('getCluster', clusterInfo('node1')).on('getOperations', operations()),
    );
    assert.equal(without.vcenterTime, undefined, 'no Date header, no time');
  });

  for (const [what, vcenter, seen] of [
    [
      'another node ACTIVE',
      new ScriptedVcenter().on('getCluster', clusterInfo('node2')).on('getOperations', operations()),
      /preflight saw active 10\.0\.0\.1/,
    ],
    [
      'no node ACTIVE',
      new ScriptedVcenter().on('getCluster', clusterInfo('none')).on('getOperations', operations()),
      /active unknown/,
    ],
    [
      'a failover running',
      new ScriptedVcenter().on('getCluster', clusterInfo('node1')).on('getOperations', operations(true)),
      /a failover is running/,
    ],
  ] as const) {
    it(`says changed with ${what}`, async () => {
      const result = await check(vcenter);
      assert.equal(result.unchanged, false);
      assert.match(result.detail, seen);
    });
  }

  it('retries what it cannot read, and ends NotAuthorized on a 403', async () => {
    const retryable = await failureOf(
      check(new ScriptedVcenter().on('getCluster', unreachable('cluster.get', 'reset'))),
    );
    assert.equal(retryable.nonRetryable, false);
    const denied = await failureOf(
      check(new ScriptedVcenter().on('getCluster', apiError('cluster.get', 403, 'UNAUTHORIZED', 'no'))),
    );
    assert.equal(denied.type, 'NotAuthorized');
    assert.equal(denied.nonRetryable, true);
  });
});

describe('send activity', () => {
  it('sends once and returns the task id', async () => {
    const vcenter = new ScriptedVcenter().on('startFailover', TASK);
    assert.equal((await send(vcenter)).taskId, TASK);
    assert.deepEqual(vcenter.calls, ['cluster.failover']);
  });

  it('never sends on a retried attempt', async () => {
    const vcenter = new ScriptedVcenter().on('startFailover', TASK);
    const failure = await failureOf(send(vcenter, 2));
    assert.equal(failure.type, SEND_FAILURE_TYPES.maybeSent);
    assert.deepEqual(vcenter.calls, []);
  });

  const ends: [string, Error, string, number | undefined][] = [
    ['a refused connection', unreachable('cluster.failover', 'refused'), SEND_FAILURE_TYPES.notSent, undefined],
    ['a DNS failure', unreachable('cluster.failover', 'dns'), SEND_FAILURE_TYPES.notSent, undefined],
    [
      'a failed login on its behalf',
      apiError('session.create', 401, 'UNAUTHENTICATED', 'bad password'),
      SEND_FAILURE_TYPES.notSent,
      undefined,
    ],
    [
      'a vAPI 500',
      apiError('cluster.failover', 500, 'ERROR', 'failover already in progress'),
      SEND_FAILURE_TYPES.refused,
      500,
    ],
    [
      'a vAPI 403',
      apiError('cluster.failover', 403, 'UNAUTHORIZED', 'needs Global.VCServer'),
      SEND_FAILURE_TYPES.refused,
      403,
    ],
    ["a proxy's 502 page", apiError('cluster.failover', 502), SEND_FAILURE_TYPES.maybeSent, 502],
    [
      'a 503',
      apiError('cluster.failover', 503, 'SERVICE_UNAVAILABLE', 'restarting'),
      SEND_FAILURE_TYPES.maybeSent,
      503,
    ],
    ['a reset', unreachable('cluster.failover', 'reset'), SEND_FAILURE_TYPES.maybeSent, undefined],
    ['a timeout', unreachable('cluster.failover', 'timeout'), SEND_FAILURE_TYPES.maybeSent, undefined],
  ];
  for (const [what, error, type, status] of ends) {
    it(`${what} ends ${type}, not retryable`, async () => {
      const vcenter = new ScriptedVcenter().on('startFailover', error);
      const failure = await failureOf(send(vcenter));
      assert.equal(failure.type, type);
      assert.equal(failure.nonRetryable, true);
      assert.equal((failure.details?.[0] as SendFailureDetails).status, status);
      assert.equal(vcenter.calls.filter((c) => c === 'cluster.failover').length, 1);
    });
  }
});

describe("Envoy's 503 to the failover request", () => {
  const bodies = [
    'no healthy upstream',
    'upstream connect error or disconnect/reset before headers. reset reason: connection failure',
  ];
  for (const body of bodies) {
    it(`"${body.slice(0, 24)}…" ends FailoverMaybeSent, naming Envoy: it may have been accepted`, async () => {
      const vcenter = new ScriptedVcenter().on(
        'startFailover',
        new VcenterApiError({ operation: 'cluster.failover', status: 503, bodyExcerpt: body }),
      );
      const failure = await failureOf(send(vcenter));
      assert.equal(failure.type, SEND_FAILURE_TYPES.maybeSent);
      assert.equal(failure.nonRetryable, true);
      assert.match(failure.message, /Envoy, in front of its API, answered HTTP 503/);
      assert.match(failure.message, /a proxy's retry cannot be ruled out/);
      assert.deepEqual(failure.details?.[0], {
        errorClass: 'gateway',
        detail: failure.message.slice(failure.message.indexOf('cluster.failover failed'), -1),
        status: 503,
      });
      assert.deepEqual(vcenter.calls, ['cluster.failover']);
    });
  }
});

describe('legacy trigger activity (runs from older builds)', () => {
  const trigger = (vcenter: ScriptedVcenter, attempt = 1): Promise<TriggerResult> =>
    new MockActivityEnvironment({ attempt }).run(makeTriggerFailover(depsFor(vcenter.client)), {
      target: 'lab',
      planned: true,
      expectedActive: '10.0.0.1',
      notBefore: new Date().toISOString(),
    });

  it('sends on its first attempt to an unchanged cluster', async () => {
    const vcenter = new ScriptedVcenter()
      .on('getCluster', clusterInfo('node1'))
      .on('getOperations', operations())
      .on('startFailover', TASK);
    assert.deepEqual((await trigger(vcenter)).sent, 'yes');
  });

  it('never sends on a retried attempt, and leaves the verdict to the cluster state', async () => {
    const vcenter = new ScriptedVcenter().on('startFailover', TASK);
    const result = await trigger(vcenter, 2);
    assert.equal(result.sent, 'unknown');
    assert.deepEqual(vcenter.calls, []);
  });

  it('does not send to a cluster that changed, and reports a lost answer as unknown', async () => {
    const changed = new ScriptedVcenter().on('getCluster', clusterInfo('node2')).on('getOperations', operations());
    assert.equal((await failureOf(trigger(changed))).type, 'PreflightRejected');
    const lost = new ScriptedVcenter()
      .on('getCluster', clusterInfo('node1'))
      .on('getOperations', operations())
      .on('startFailover', apiError('cluster.failover', 502));
    assert.equal((await trigger(lost)).sent, 'unknown');
  });
});
