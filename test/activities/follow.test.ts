/**
 * The follow activity alone (MockActivityEnvironment, scripted vCenter): how it keeps its
 * observations through an outage, when it logs in again, and how a retried attempt resumes from
 * the heartbeat of the lost one. Plus the observation log's own rules.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { makeFollowFailover, type FollowFailoverInput, type FollowFailoverResult } from '../../src/activities/follow';
import {
  initialFollowHeartbeat,
  observe,
  observeReachable,
  observeUnreachable,
} from '../../src/activities/observations';
import type { FollowHeartbeat } from '../../src/contract';
import { depsFor } from './deps';
import { apiError, clusterInfo, failoverTask, operations, ScriptedVcenter, unreachable } from './scripted-vcenter';

function input(overrides: Partial<FollowFailoverInput> = {}): FollowFailoverInput {
  return {
    target: 'lab',
    taskId: 'task-7:com.vmware.vcenter.vcha.cluster',
    previousActive: '10.0.0.1',
    previousPassive: '10.0.0.2',
    switchDeadline: Date.now() + 10_000,
    healthyTimeoutMs: 10_000,
    requireHealthy: true,
    pollIntervalMs: 5,
    ...overrides,
  };
}

/** Runs one attempt of the follow activity against `vcenter`. */
function follow(
  vcenter: ScriptedVcenter,
  overrides: Partial<FollowFailoverInput> = {},
  info: ConstructorParameters<typeof MockActivityEnvironment>[0] = {},
): Promise<FollowFailoverResult> {
  return new MockActivityEnvironment(info).run(makeFollowFailover(depsFor(vcenter.client)), input(overrides));
}

describe('follow activity', () => {
  it('rides through the outage: the task, unreachable polls, the task gone, the switch, then HEALTHY', async () => {
    const vcenter = new ScriptedVcenter()
      .on(
        'getTask',
        failoverTask('RUNNING', {
          progress: { total: 100, completed: 40, message: { id: 'f', default_message: 'Flushing', args: [] } },
        }),
        unreachable('tasks.get', 'refused'),
        unreachable('tasks.get', 'refused'),
        unreachable('tasks.get', 'timeout'),
        apiError('tasks.get', 404, 'NOT_FOUND'),
      )
      .on('getCluster', clusterInfo('node2', { health_state: 'DEGRADED' }), clusterInfo('node2'));
    const result = await follow(vcenter);
    assert.equal(result.outcome, 'verified');
    assert.equal(result.snapshot?.activeNode, '10.0.0.2');
    assert.ok(result.switchedAt);
    const texts = result.observations.map((line) => line.replace(/^\S+ /, ''));
    assert.match(texts[0]!, /^task RUNNING 40% \(Flushing\)$/);
    // Three unreachable polls are one entry whose counter grows, naming the latest reason.
    assert.equal(texts.filter((t) => t.startsWith('vCenter unreachable')).length, 1);
    assert.match(texts[1]!, /^vCenter unreachable for \d+ s \(timeout\)$/);
    assert.match(texts[2]!, /unknown on the new node; judging by the cluster state/);
    assert.match(texts[3]!, /^switch complete: 10\.0\.0\.2 is ACTIVE/);
    assert.match(texts.at(-1)!, /^verified: active 10\.0\.0\.2, HEALTHY, all members UP$/);
    assert.ok(result.longestOutageMs > 0);
    // After the outage it logs in again before asking the new node.
    assert.ok(vcenter.sessionsForgotten >= 1);
  });

  it("resumes in VERIFYING from the lost attempt's heartbeat: no task poll, the healthy deadline kept", async () => {
    const switchedAt = Date.now() - 1_000;
    const lost: FollowHeartbeat = {
      observation: 'cluster DEGRADED, waiting for HEALTHY',
      observations: [{ at: new Date(switchedAt).toISOString(), text: 'switch complete', kind: 'switch complete' }],
      longestOutageMs: 4_000,
      polls: 9,
      phase: 'VERIFYING',
      switchedAt,
    };
    const vcenter = new ScriptedVcenter().on('getCluster', clusterInfo('node2'));
    const result = await follow(vcenter, {}, { attempt: 2, heartbeatDetails: lost });
    assert.equal(result.outcome, 'verified');
    assert.deepEqual(vcenter.calls, ['cluster.get']);
    assert.equal(result.switchedAt, new Date(switchedAt).toISOString());
    assert.equal(result.longestOutageMs, 4_000);
    assert.equal(result.observations.length, 2, 'the earlier observations are kept');
  });

  it('ends failed only when the task FAILED and the old node is still ACTIVE', async () => {
    const failed = failoverTask('FAILED', {
      error: {
        error_type: 'ERROR',
        messages: [{ id: 'x', default_message: 'passive node did not take over', args: [] }],
      },
    });
    const vcenter = new ScriptedVcenter().on('getTask', failed).on('getCluster', clusterInfo('node1'));
    const result = await follow(vcenter);
    assert.equal(result.outcome, 'failed');
    assert.equal(result.taskError, 'passive node did not take over');
    assert.deepEqual(vcenter.calls, ['tasks.get', 'cluster.get']);
  });

  it('reads the cluster after a task read that failed with an answer, and sees the switch there', async () => {
    const vcenter = new ScriptedVcenter()
      .on('getTask', apiError('tasks.get', 500, 'ERROR', 'internal error'))
      .on('getCluster', clusterInfo('node2'));
    const result = await follow(vcenter);
    assert.equal(result.outcome, 'verified');
    assert.deepEqual(vcenter.calls.slice(0, 2), ['tasks.get', 'cluster.get']);
  });

  /** A request of unknown arrival: the follow looks for signs, and ends no-sign after `windowMs` without one. */
  const unconfirmed = (windowMs: number) => ({
    taskId: undefined,
    unconfirmed: { sentAt: Date.now(), noSignWindowMs: windowMs },
  });

  it('ignores a finished failover task in the list and ends no-sign when the cluster is unchanged', async () => {
    const earlier = failoverTask('FAILED', { start_time: new Date().toISOString() });
    const vcenter = new ScriptedVcenter()
      .on('getCluster', clusterInfo('node1'))
      .on('getOperations', operations())
      .on('listTasks', { 'task-3:com.vmware.vcenter.vcha.cluster': earlier });
    const result = await follow(vcenter, unconfirmed(40));
    assert.equal(result.outcome, 'no-sign');
    assert.equal(result.taskId, undefined, 'the finished task is not adopted');
    assert.equal(result.signOfFailover, undefined);
    assert.ok(vcenter.calls.includes('tasks.list') && vcenter.calls.includes('operations.get'));
  });

  it('adopts the latest running failover task from the list and follows it', async () => {
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const vcenter = new ScriptedVcenter()
      .on('getCluster', clusterInfo('node1'), clusterInfo('node1'), clusterInfo('node2'))
      .on('getOperations', operations())
      .on('listTasks', {
        'task-3:com.vmware.vcenter.vcha.cluster': failoverTask('FAILED', { start_time: minutesAgo(1) }),
        'task-4:com.vmware.vcenter.vcha.cluster': failoverTask('RUNNING', { start_time: minutesAgo(2) }),
        'task-5:com.vmware.vcenter.vcha.cluster': failoverTask('RUNNING', { start_time: minutesAgo(0) }),
      })
      .on('getTask', failoverTask('RUNNING'), apiError('tasks.get', 404, 'NOT_FOUND'));
    const result = await follow(vcenter, unconfirmed(60_000));
    assert.equal(result.outcome, 'verified');
    assert.equal(result.taskId, 'task-5:com.vmware.vcenter.vcha.cluster');
    assert.match(result.signOfFailover ?? '', /task-5.* is in vCenter's task list/);
    assert.ok(vcenter.calls.includes('tasks.get'), 'the adopted task is followed');
  });

  it('starts the no-sign window again after an outage: a hidden failover may be switching', async () => {
    let lastOutageAt = 0;
    const outage = () => {
      lastOutageAt = Date.now();
      throw unreachable('cluster.get', 'refused');
    };
    const vcenter = new ScriptedVcenter()
      .on('getCluster', clusterInfo('node1'), outage, outage, outage, clusterInfo('node1'))
      .on('getOperations', operations())
      .on('listTasks', {});
    const windowMs = 150;
    const result = await follow(vcenter, { ...unconfirmed(windowMs), pollIntervalMs: 20 });
    const endedAt = Date.now();
    assert.equal(result.outcome, 'no-sign');
    assert.ok(lastOutageAt > 0);
    assert.ok(endedAt - lastOutageAt >= windowMs, `ended ${endedAt - lastOutageAt} ms after the outage`);
  });

  it('reports the switch deadline with the last observation when nothing proves the switch', async () => {
    const vcenter = new ScriptedVcenter().on('getCluster', unreachable('cluster.get', 'timeout'));
    const result = await follow(vcenter, { taskId: undefined, switchDeadline: Date.now() + 60 });
    assert.equal(result.outcome, 'switch-deadline');
    assert.match(result.observation, /vCenter unreachable for \d+ s \(timeout\)/);
  });
});

describe('observation log', () => {
  it('collapses consecutive observations of one kind and keeps the newest 30', () => {
    const state = initialFollowHeartbeat(undefined);
    observe(state, 'task RUNNING 10%', 'task-RUNNING');
    observe(state, 'task RUNNING 20%', 'task-RUNNING');
    assert.deepEqual(
      state.observations.map((e) => e.text),
      ['task RUNNING 20%'],
    );
    for (let i = 0; i < 40; i += 1) observe(state, `distinct ${i}`);
    assert.equal(state.observations.length, 30);
    assert.equal(state.observations[0]?.text, 'distinct 10');
    assert.equal(state.observation, 'distinct 39');
  });

  it('counts an outage from its first unreachable poll and keeps the longest one', () => {
    const state = initialFollowHeartbeat(undefined);
    observeUnreachable(state, 'refused', 1_000);
    observeUnreachable(state, 'reset', 43_000);
    assert.equal(state.observation, 'vCenter unreachable for 42 s (reset)');
    observeReachable(state, 44_000);
    assert.equal(state.unreachableSince, undefined);
    observeUnreachable(state, 'refused', 50_000);
    observeReachable(state, 51_000);
    assert.equal(state.longestOutageMs, 43_000);
  });

  it('resumes only from a follow heartbeat, dropping fields of the wrong type', () => {
    assert.equal(initialFollowHeartbeat({ stage: 'reading the cluster' }).observation, 'starting');
    const resumed = initialFollowHeartbeat({ observation: 'x', observations: [], polls: 'many', phase: 'SOMEWHERE' });
    assert.equal(resumed.observation, 'x');
    assert.equal(resumed.polls, 0);
    assert.equal(resumed.phase, undefined);
  });
});
