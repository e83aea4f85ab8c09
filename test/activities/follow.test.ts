/**
 * The follow activity alone (MockActivityEnvironment, scripted vCenter): how it keeps its
 * observations through an outage, when it logs in again, and how a retried attempt resumes from
 * the heartbeat of the lost one. Plus the observation log's own rules.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  makeFollowFailover,
  type FollowClock,
  type FollowFailoverInput,
  type FollowFailoverResult,
} from '../../src/activities/follow';
import {
  initialFollowHeartbeat,
  observe,
  observeReachable,
  observeUnreachable,
} from '../../src/activities/observations';
import type { FollowHeartbeat } from '../../src/contract';
import { outageReason } from '../../src/activities/observations';
import { VcenterApiError, type VcenterOperation } from '../../src/vcenter';
import { classifyVcenterError } from '../../src/vcenter/classify';
import { depsFor } from './deps';
import {
  apiError,
  clusterInfo,
  failoverTask,
  operations,
  ScriptedVcenter,
  services,
  unreachable,
  type Answer,
  type Scripted,
} from './scripted-vcenter';

function input(overrides: Partial<FollowFailoverInput> = {}): FollowFailoverInput {
  return {
    target: 'lab',
    taskId: 'task-7:com.vmware.vcenter.vcha.cluster',
    previousActive: '10.0.0.1',
    previousPassive: '10.0.0.2',
    switchWithinMs: 10_000,
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
  clock?: FollowClock,
): Promise<FollowFailoverResult> {
  return new MockActivityEnvironment(info).run(makeFollowFailover(depsFor(vcenter.client), clock), input(overrides));
}

/** This process's monotonic clock with a worker wall clock `offsetMs` off. */
const offsetClock = (offsetMs: number): FollowClock => ({
  monotonic: () => performance.now(),
  wall: () => Date.now() + offsetMs,
});

/** Runs `work` and says how long it took (ms). */
async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
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
    assert.match(texts[1]!, /^vCenter unreachable for \d+ s \(no answer\)$/);
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
    unconfirmed: { noSignWindowMs: windowMs },
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
    const vcenterTimeBefore = new Date(Date.now() - 30_000).toISOString();
    const result = await follow(vcenter, { ...unconfirmed(60_000), vcenterTimeBefore });
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
    const result = await follow(vcenter, { taskId: undefined, switchWithinMs: 60 });
    assert.equal(result.outcome, 'switch-deadline');
    assert.match(result.observation, /vCenter unreachable for \d+ s \(no answer\)/);
  });

  it('names each outage as the CLI shows it: refused, no answer, reset, Envoy, a gateway, the login for its call', () => {
    const reason = (error: Error, operation: VcenterOperation = 'cluster.get') =>
      outageReason(classifyVcenterError(error, operation));
    assert.equal(reason(unreachable('cluster.get', 'refused')), 'refused');
    assert.equal(reason(unreachable('cluster.get', 'timeout')), 'no answer');
    assert.equal(reason(unreachable('cluster.get', 'reset')), 'reset');
    const envoy = new VcenterApiError({ operation: 'cluster.get', status: 503, bodyExcerpt: 'no healthy upstream' });
    assert.equal(reason(envoy), 'HTTP 503 from Envoy, no upstream');
    assert.equal(reason(apiError('cluster.get', 502)), 'HTTP 502');
    // A login that went unanswered on behalf of a read: the read was never sent, and vCenter did not answer.
    assert.equal(reason(unreachable('session.create', 'timeout')), 'no answer');
  });
});

describe("follow activity: which task is this request's", () => {
  /** vCenter's time of the check before the request, a whole second as its Date header gives it. */
  const before = Math.floor(Date.now() / 1_000) * 1_000 - 60_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const listing = (startTime: number) => ({
    'task-8:com.vmware.vcenter.vcha.cluster': failoverTask('RUNNING', { start_time: iso(startTime) }),
  });
  const unchangedWith = (tasks: ReturnType<typeof listing>) =>
    new ScriptedVcenter()
      .on('getCluster', clusterInfo('node1'))
      .on('getOperations', operations())
      .on('listTasks', tasks)
      .on('getTask', failoverTask('RUNNING'));
  const lookFor = (vcenter: ScriptedVcenter, vcenterTimeBefore?: string) =>
    follow(vcenter, {
      taskId: undefined,
      unconfirmed: { noSignWindowMs: 60 },
      switchWithinMs: 150,
      ...(vcenterTimeBefore ? { vcenterTimeBefore } : {}),
    });

  it("adopts a task vCenter started at or after the check, allowing the Date header's one second", async () => {
    for (const startTime of [before - 1_000, before, before + 40_000]) {
      const vcenter = unchangedWith(listing(startTime));
      const result = await lookFor(vcenter, iso(before));
      assert.equal(result.taskId, 'task-8:com.vmware.vcenter.vcha.cluster', iso(startTime));
      assert.ok(vcenter.calls.includes('tasks.get'), 'the adopted task is followed');
    }
  });

  it('waits for a PENDING task to start (it has no start_time yet) before judging it', async () => {
    const pending = {
      'task-8:com.vmware.vcenter.vcha.cluster': failoverTask('PENDING', { start_time: undefined }),
    };
    const vcenter = new ScriptedVcenter()
      .on('getCluster', clusterInfo('node1'))
      .on('getOperations', operations())
      .on('listTasks', pending, listing(before + 2_000))
      .on('getTask', failoverTask('RUNNING'));
    const result = await follow(vcenter, {
      taskId: undefined,
      unconfirmed: { noSignWindowMs: 5_000 },
      switchWithinMs: 300,
      vcenterTimeBefore: iso(before),
    });
    assert.equal(result.taskId, 'task-8:com.vmware.vcenter.vcha.cluster');
    assert.equal(vcenter.calls.filter((call) => call === 'tasks.list').length, 2);
  });

  it('adopts no task vCenter started before the check, nor any when vCenter time is unknown; either is a sign', async () => {
    for (const [startTime, vcenterTimeBefore, why] of [
      [before - 1_001, iso(before), /started .*, before the request/],
      [before - 5 * 60_000, iso(before), /before the request/],
      [before + 40_000, undefined, /vCenter's time before the request is unknown/],
    ] as const) {
      const vcenter = unchangedWith(listing(startTime));
      const result = await lookFor(vcenter, vcenterTimeBefore);
      assert.equal(result.taskId, undefined, iso(startTime));
      assert.ok(!vcenter.calls.includes('tasks.get'), 'a task not adopted is not followed');
      assert.match(result.signOfFailover ?? '', why);
      // A failover task runs: the cluster is not called unchanged, whoever started it.
      assert.equal(result.outcome, 'switch-deadline');
    }
  });
});

describe('follow activity: one clock', () => {
  const stuck = () => new ScriptedVcenter().on('getCluster', clusterInfo('node1'));

  // Bounded: a window read off the worker's wall clock would last ten minutes.
  it(
    "a worker clock ±10 minutes off the server's changes no window, old input or new",
    { timeout: 60_000 },
    async () => {
      for (const offset of [10 * 60_000, -10 * 60_000, 0]) {
        const clock = offsetClock(offset);
        // An older build's input: epochs on the server's clock, read against when the activity was scheduled.
        const serverNow = Date.now();
        const legacy = { taskId: undefined, switchWithinMs: undefined, switchDeadline: serverNow + 300 };
        const [old, oldMs] = await timed(() =>
          follow(
            stuck(),
            legacy,
            { scheduledTimestampMs: serverNow, currentAttemptScheduledTimestampMs: serverNow },
            clock,
          ),
        );
        assert.equal(old.outcome, 'switch-deadline', `offset ${offset}`);
        assert.ok(oldMs >= 290 && oldMs < 5_000, `offset ${offset}: old input ended after ${oldMs} ms`);

        const [current, currentMs] = await timed(() =>
          follow(stuck(), { taskId: undefined, switchWithinMs: 300 }, {}, clock),
        );
        assert.equal(current.outcome, 'switch-deadline');
        assert.ok(currentMs >= 290 && currentMs < 5_000, `offset ${offset}: ended after ${currentMs} ms`);

        const quiet = new ScriptedVcenter()
          .on('getCluster', clusterInfo('node1'))
          .on('getOperations', operations())
          .on('listTasks', {});
        const [noSign, noSignMs] = await timed(() =>
          follow(
            quiet,
            { taskId: undefined, unconfirmed: { noSignWindowMs: 200, sentAt: serverNow - 600_000 } },
            {},
            clock,
          ),
        );
        assert.equal(noSign.outcome, 'no-sign');
        assert.ok(noSignMs >= 190 && noSignMs < 5_000, `offset ${offset}: no-sign after ${noSignMs} ms`);

        const degraded = new ScriptedVcenter().on('getCluster', clusterInfo('node2', { health_state: 'DEGRADED' }));
        const [notHealthy, notHealthyMs] = await timed(() => follow(degraded, { healthyTimeoutMs: 250 }, {}, clock));
        assert.equal(notHealthy.outcome, 'healthy-deadline');
        assert.ok(notHealthyMs >= 240 && notHealthyMs < 5_000, `offset ${offset}: healthy window ${notHealthyMs} ms`);
        // The switch's time is for humans: the worker's wall clock.
        assert.ok(Math.abs(Date.parse(notHealthy.switchedAt!) - (Date.now() + offset)) < 5_000);
      }
    },
  );

  it('a retried attempt goes on with the time counted so far, and an older heartbeat never shortens a window', async () => {
    const lost = (extra: Partial<FollowHeartbeat>): FollowHeartbeat => ({
      observation: 'waiting',
      observations: [],
      longestOutageMs: 0,
      polls: 4,
      phase: 'FAILING_OVER',
      ...extra,
    });
    // 2 s of the 2.3 s switch window were counted before: about 0.3 s remain.
    const [resumed, resumedMs] = await timed(() =>
      follow(
        stuck(),
        { taskId: undefined, switchWithinMs: 2_300 },
        { attempt: 2, heartbeatDetails: lost({ followedForMs: 2_000 }) },
      ),
    );
    assert.equal(resumed.outcome, 'switch-deadline');
    assert.ok(resumedMs >= 290 && resumedMs < 2_000, `the rest of the window took ${resumedMs} ms`);

    const quiet = () =>
      new ScriptedVcenter()
        .on('getCluster', clusterInfo('node1'))
        .on('getOperations', operations())
        .on('listTasks', {});
    // Quiet since 1.9 s of 2 s counted: 0.1 s were quiet, so 0.2 s of the 0.3 s window remain.
    const [quietResumed, quietMs] = await timed(() =>
      follow(
        quiet(),
        { taskId: undefined, unconfirmed: { noSignWindowMs: 300 } },
        { attempt: 2, heartbeatDetails: lost({ followedForMs: 2_000, quietSinceFollowedMs: 1_900 }) },
      ),
    );
    assert.equal(quietResumed.outcome, 'no-sign');
    assert.ok(quietMs >= 190, `no-sign after ${quietMs} ms`);

    // An older build's heartbeat: an epoch quiet since ten minutes ago is dropped, the window starts again.
    const [legacy, legacyMs] = await timed(() =>
      follow(
        quiet(),
        { taskId: undefined, unconfirmed: { noSignWindowMs: 300, sentAt: Date.now() - 600_000 } },
        { attempt: 2, heartbeatDetails: { ...lost({}), quietSince: Date.now() - 600_000 } },
      ),
    );
    assert.equal(legacy.outcome, 'no-sign');
    assert.ok(legacyMs >= 290, `no-sign after ${legacyMs} ms`);
  });

  it('heartbeats the time it counted and when the quiet began', async () => {
    const env = new MockActivityEnvironment({});
    const beats: FollowHeartbeat[] = [];
    env.on('heartbeat', (details: FollowHeartbeat) => beats.push(structuredClone(details)));
    const quiet = new ScriptedVcenter()
      .on('getCluster', clusterInfo('node1'))
      .on('getOperations', operations())
      .on('listTasks', {});
    const result: FollowFailoverResult = await env.run(
      makeFollowFailover(depsFor(quiet.client)),
      input({ taskId: undefined, unconfirmed: { noSignWindowMs: 1_300 }, pollIntervalMs: 50 }),
    );
    assert.equal(result.outcome, 'no-sign');
    const last = beats.at(-1);
    assert.ok(last, 'at least one heartbeat');
    assert.ok(last.followedForMs! >= 900 && last.followedForMs! < 1_300, `followedForMs ${last.followedForMs}`);
    assert.equal(last.quietSinceFollowedMs, 0);
  });

  it('refuses input with no switch window, naming what is missing', async () => {
    await assert.rejects(
      follow(stuck(), { switchWithinMs: undefined }),
      /follow input for lab has neither switchWithinMs nor switchDeadline/,
    );
  });
});

describe('follow activity: the stability period', () => {
  const texts = (result: FollowFailoverResult) => result.observations.map((line) => line.replace(/^\S+ /, ''));
  const clusterReads = (vcenter: ScriptedVcenter) => vcenter.calls.filter((call) => call === 'cluster.get').length;

  it("ends flipped-back at the read that shows the old active node again, with vCenter's time of it, and reads no more", async () => {
    const vcenter = new ScriptedVcenter()
      .on('getTask', failoverTask('SUCCEEDED'))
      .on('getCluster', clusterInfo('node2'), clusterInfo('node2'), clusterInfo('node2'), clusterInfo('node1'));
    vcenter.vcenterTime = () => new Date('2026-12-06T10:02:05.600Z');
    const result = await follow(vcenter, { stableForMs: 10_000 });
    assert.equal(result.outcome, 'flipped-back');
    assert.deepEqual(result.flippedBackAt, { at: '2026-12-06T10:02:05.000Z', clock: 'vcenter' });
    assert.deepEqual(result.lastHeldAt, { at: '2026-12-06T10:02:05.000Z', clock: 'vcenter' });
    assert.equal(result.snapshot?.activeNode, '10.0.0.1');
    assert.equal(clusterReads(vcenter), 4);
    assert.match(
      result.observation,
      /^failed back by itself: 10\.0\.0\.1 is ACTIVE again \(read at 2026-12-06T10:02:05\.000Z, vCenter's time\)/,
    );
  });

  it("names this worker's time of the flip back when vCenter sends no Date header", async () => {
    const vcenter = new ScriptedVcenter()
      .on('getTask', failoverTask('SUCCEEDED'))
      .on('getCluster', clusterInfo('node2'), clusterInfo('node1'));
    const before = Date.now();
    const result = await follow(vcenter, { stableForMs: 10_000 });
    assert.equal(result.outcome, 'flipped-back');
    assert.equal(result.flippedBackAt?.clock, 'worker');
    assert.ok(Date.parse(result.flippedBackAt.at) >= before - 1);
  });

  it('a flip back before the cluster is even back ends flipped-back too, not at the healthy deadline', async () => {
    const vcenter = new ScriptedVcenter()
      .on('getTask', failoverTask('SUCCEEDED'))
      .on('getCluster', clusterInfo('node2', { health_state: 'DEGRADED' }), clusterInfo('node1'));
    const result = await follow(vcenter, { stableForMs: 10_000 });
    assert.equal(result.outcome, 'flipped-back');
    assert.equal(clusterReads(vcenter), 2);
  });

  it('verified only after the roles held for the whole period, reading once per poll interval', async () => {
    const vcenter = new ScriptedVcenter()
      .on('getTask', failoverTask('SUCCEEDED'))
      .on('getCluster', clusterInfo('node2'));
    const [result, ms] = await timed(() => follow(vcenter, { stableForMs: 200, pollIntervalMs: 20 }));
    assert.equal(result.outcome, 'verified');
    assert.ok(ms >= 200, `verified after ${ms} ms, before the 200 ms period`);
    // One read proved the cluster back, then one per 20 ms interval until 200 ms had passed (fewer on a slow machine).
    const reads = clusterReads(vcenter);
    assert.ok(reads >= 3 && reads <= 12, `${reads} cluster reads`);
    assert.match(result.observation, /^verified: active 10\.0\.0\.2.*; the roles held for 200ms$/);
    assert.ok(texts(result).some((text) => text.startsWith('back: active 10.0.0.2')));
  });

  it('an outage in the period breaks it: the roles must hold a whole period again after it', async () => {
    const vcenter = new ScriptedVcenter()
      .on('getTask', failoverTask('SUCCEEDED'))
      .on(
        'getCluster',
        clusterInfo('node2'),
        clusterInfo('node2'),
        unreachable('cluster.get', 'refused'),
        unreachable('cluster.get', 'refused'),
        clusterInfo('node2'),
      );
    const started = performance.now();
    let backAfterOutage = 0;
    const timedVcenter = vcenter;
    timedVcenter.vcenterTime = () => {
      if (clusterReads(vcenter) === 5) backAfterOutage = performance.now();
      return new Date();
    };
    const result = await follow(timedVcenter, { stableForMs: 100, pollIntervalMs: 10 });
    assert.equal(result.outcome, 'verified');
    assert.ok(backAfterOutage > started);
    assert.ok(performance.now() - backAfterOutage >= 100, 'a whole period after the outage');
    assert.ok(texts(result).some((text) => text.startsWith('stability period broken: vCenter unreachable')));
    assert.ok(vcenter.sessionsForgotten >= 1, 'logs in again after the outage');
  });

  it('unproven when no whole period of reads fits before the healthy deadline', async () => {
    const vcenter = new ScriptedVcenter()
      .on('getTask', failoverTask('SUCCEEDED'))
      .on('getCluster', clusterInfo('node2'), unreachable('cluster.get', 'timeout'));
    const result = await follow(vcenter, { stableForMs: 50, healthyTimeoutMs: 100, pollIntervalMs: 10 });
    assert.equal(result.outcome, 'hold-unproven');
    assert.match(result.observation, /no read showed it ACTIVE for 50ms without a break/);
  });

  it("a retried attempt resumes the period with a new stretch: the lost attempt's gap proves nothing", async () => {
    const lost: FollowHeartbeat = {
      observation: 'back: holding',
      observations: [],
      longestOutageMs: 0,
      polls: 9,
      phase: 'VERIFYING',
      switchedAt: Date.now() - 1_000,
      followedForMs: 1_000,
      switchedAtFollowedMs: 900,
      backAtFollowedMs: 900,
      heldSinceFollowedMs: 900,
    };
    const vcenter = new ScriptedVcenter().on('getCluster', clusterInfo('node2'));
    const [result, ms] = await timed(() =>
      follow(vcenter, { stableForMs: 100, pollIntervalMs: 10 }, { attempt: 2, heartbeatDetails: lost }),
    );
    assert.equal(result.outcome, 'verified');
    assert.ok(ms >= 100, `held ${ms} ms in this attempt`);
    assert.equal(vcenter.calls[0], 'cluster.get', 'no task poll: the switch was proven');
  });
});

describe('follow activity: the readiness gate', () => {
  const READY = { withinMs: 2_000, skip: [] };
  const SWITCHED = new Date('2026-12-06T10:02:05.600Z');
  const readinessCalls = (vcenter: ScriptedVcenter) =>
    vcenter.calls.filter((call) => call !== 'cluster.get' && call !== 'tasks.get');
  /** How many requests of one operation the follow made. */
  const callsOf = (vcenter: ScriptedVcenter, operation: string) =>
    vcenter.calls.filter((call) => call === operation).length;
  type Answers = {
    [K in 'listDatacenters' | 'listServices' | 'getSystemHealthLastCheck' | 'getSystemHealth']?: Answer<Scripted[K]>[];
  };
  /**
   * A vCenter that switched at {@link SWITCHED} (its Date header) and serves at once, with a last
   * check after the switch, unless `answers` script a readiness call otherwise.
   */
  const serving = (answers: Answers = {}) => {
    const vcenter = new ScriptedVcenter()
      .on('getTask', failoverTask('SUCCEEDED'))
      .on('getCluster', clusterInfo('node2'))
      .on('listDatacenters', ...(answers.listDatacenters ?? [[{ datacenter: 'datacenter-3', name: 'Datacenter' }]]))
      .on(
        'listServices',
        ...(answers.listServices ?? [
          services({ vpxd: 'STARTED', 'vapi-endpoint': 'STARTED', trustmanagement: 'STARTED' }),
        ]),
      )
      .on('getSystemHealthLastCheck', ...(answers.getSystemHealthLastCheck ?? [new Date('2026-12-06T10:02:50.000Z')]))
      .on('getSystemHealth', ...(answers.getSystemHealth ?? ['green']));
    vcenter.vcenterTime = () => SWITCHED;
    return vcenter;
  };
  const gate = (result: FollowFailoverResult, name: string) =>
    result.readiness?.gates.find((report) => report.gate === name);

  it('verified once vCenter serves: four requests, taking turns with the role reads inside the stability period', async () => {
    const vcenter = serving();
    const [result, ms] = await timed(() => follow(vcenter, { stableForMs: 400, pollIntervalMs: 20, readiness: READY }));
    assert.equal(result.outcome, 'verified');
    assert.deepEqual(readinessCalls(vcenter), [
      'datacenter.list',
      'services.list',
      'health.lastcheck',
      'health.system',
    ]);
    assert.equal(result.readiness?.verdict, 'ready');
    assert.equal(result.readiness?.requests, 4);
    assert.deepEqual(
      result.readiness?.gates.map((report) => report.status),
      ['passed', 'passed', 'passed', 'passed'],
    );
    // Never two requests in one poll: after the task read, a role read comes between two of the gate's requests.
    const afterBack = vcenter.calls.slice(
      vcenter.calls.indexOf('cluster.get') + 1,
      vcenter.calls.indexOf('health.system') + 1,
    );
    afterBack.forEach((call, index) => assert.equal(call === 'cluster.get', index % 2 === 1, afterBack.join(' ')));
    // The gate passed inside the 400 ms period: it added no time of its own.
    assert.ok(ms < 400 + 300, `verified after ${ms} ms`);
    assert.match(
      result.observation,
      /^verified: .*; the roles held for 400ms; vCenter serves \(vapi passed, vpxd passed/,
    );
  });

  it('goes on after the stability period until every AUTOMATIC service is STARTED, one request per interval', async () => {
    const vcenter = serving({
      listServices: [
        services({ vpxd: 'STARTED', trustmanagement: 'STOPPED', eam: 'STOPPED' }),
        services({ vpxd: 'STARTED', trustmanagement: 'STARTING', eam: 'STOPPED' }),
        services({ vpxd: 'STARTED', trustmanagement: 'STARTED', eam: 'STARTING' }),
        services({ vpxd: 'STARTED', trustmanagement: 'STARTED', eam: 'STARTED' }),
      ],
    });
    const result = await follow(vcenter, { stableForMs: 0, pollIntervalMs: 10, readiness: READY });
    assert.equal(result.outcome, 'verified');
    assert.equal(callsOf(vcenter, 'services.list'), 4);
    assert.equal(gate(result, 'services')?.status, 'passed');
    const texts = result.observations.map((line) => line.replace(/^\S+ /, ''));
    assert.ok(texts.includes('readiness: services passed: all 3 AUTOMATIC services STARTED'), texts.join('\n'));
  });

  it('a service stuck STARTING ends not-ready at the bound, naming it', async () => {
    const vcenter = serving({ listServices: [services({ vpxd: 'STARTED', trustmanagement: 'STARTING' })] });
    const [result, ms] = await timed(() =>
      follow(vcenter, { stableForMs: 0, pollIntervalMs: 10, readiness: { withinMs: 150, skip: [] } }),
    );
    assert.equal(result.outcome, 'not-ready');
    assert.ok(ms >= 150, `ended after ${ms} ms, before the 150 ms bound`);
    assert.equal(result.readiness?.verdict, 'not-ready');
    assert.deepEqual(gate(result, 'services'), {
      gate: 'services',
      status: 'pending',
      seen: 'trustmanagement STARTING',
    });
    assert.equal(gate(result, 'applianceHealth')?.status, 'pending');
    assert.match(result.observation, /^vCenter does not serve: .*services pending \(trustmanagement STARTING\)/);
  });

  it('vpxd down while the vAPI answers: the datacenter read fails, not-ready at the bound', async () => {
    const vcenter = serving({ listDatacenters: [apiError('datacenter.list', 503, 'SERVICE_UNAVAILABLE')] });
    const result = await follow(vcenter, {
      stableForMs: 0,
      pollIntervalMs: 10,
      readiness: { withinMs: 100, skip: [] },
    });
    assert.equal(result.outcome, 'not-ready');
    assert.equal(gate(result, 'vapi')?.status, 'passed');
    assert.equal(gate(result, 'vpxd')?.status, 'pending');
    assert.match(gate(result, 'vpxd')?.seen ?? '', /^GET \/api\/vcenter\/datacenter: HTTP 503/);
    assert.ok(!readinessCalls(vcenter).includes('services.list'), 'the services wait for vpxd');
  });

  it('a 403 or 404 leaves a gate not checked: the run is ready without it, but not without the vpxd read', async () => {
    const narrow = serving({
      listServices: [apiError('services.list', 403, 'UNAUTHORIZED')],
      getSystemHealthLastCheck: [apiError('health.lastcheck', 404, 'NOT_FOUND')],
    });
    const ready = await follow(narrow, { stableForMs: 0, readiness: READY });
    assert.equal(ready.outcome, 'verified');
    assert.equal(ready.readiness?.verdict, 'ready');
    assert.equal(gate(ready, 'services')?.status, 'not-checked');
    assert.match(gate(ready, 'services')?.seen ?? '', /^HTTP 403: the account may not make this call/);
    assert.equal(gate(ready, 'applianceHealth')?.status, 'not-checked');
    assert.match(gate(ready, 'applianceHealth')?.seen ?? '', /^HTTP 404: this vCenter release lacks this call/);
    assert.equal(callsOf(narrow, 'services.list'), 1, 'a 403 is not asked again');

    const noVpxd = serving({ listDatacenters: [apiError('datacenter.list', 403, 'UNAUTHORIZED')] });
    const [notReady, ms] = await timed(() =>
      follow(noVpxd, { stableForMs: 0, pollIntervalMs: 10, readiness: { withinMs: 5_000, skip: [] } }),
    );
    assert.equal(notReady.outcome, 'not-ready');
    assert.ok(ms < 2_000, `a 403 on the vpxd read ends at once, not at the bound (${ms} ms)`);
  });

  it("the appliance's health counts only from a last check newer than the switch: by vCenter's clock, else a later check", async () => {
    for (const { clock, checks } of [
      {
        clock: true,
        // The switch read's Date says 10:02:05: a check in that second may still be the old node's.
        checks: ['2026-12-06T10:01:00.000Z', '2026-12-06T10:02:05.900Z', '2026-12-06T10:02:06.000Z'],
      },
      {
        // No Date header: only a check later than the first one read after the switch counts.
        clock: false,
        checks: ['2026-12-06T10:01:00.000Z', '2026-12-06T10:01:00.000Z', '2026-12-06T10:03:00.000Z'],
      },
    ]) {
      const vcenter = serving({ getSystemHealthLastCheck: checks.map((at) => new Date(at)) });
      if (!clock) delete vcenter.vcenterTime;
      const result = await follow(vcenter, { stableForMs: 0, pollIntervalMs: 10, readiness: READY });
      assert.equal(result.outcome, 'verified');
      assert.equal(callsOf(vcenter, 'health.lastcheck'), 3, `with vCenter's clock: ${clock}`);
      assert.equal(callsOf(vcenter, 'health.system'), 1);
    }
  });

  it('an orange appliance is read again until green; skipped gates make no request', async () => {
    const vcenter = serving({ getSystemHealth: ['orange', 'orange', 'green'] });
    const result = await follow(vcenter, { stableForMs: 0, pollIntervalMs: 10, readiness: READY });
    assert.equal(result.outcome, 'verified');
    assert.equal(callsOf(vcenter, 'health.system'), 3);

    const narrow = serving();
    const skipped = await follow(narrow, {
      stableForMs: 0,
      readiness: { withinMs: 2_000, skip: ['services', 'applianceHealth'] },
    });
    assert.equal(skipped.outcome, 'verified');
    assert.deepEqual(readinessCalls(narrow), ['datacenter.list']);
    assert.equal(gate(skipped, 'applianceHealth')?.status, 'skipped');
  });

  it('a flip back during the gate still ends flipped-back', async () => {
    const vcenter = serving({ listServices: [services({ vpxd: 'STARTED', eam: 'STARTING' })] });
    vcenter.on('getCluster', clusterInfo('node2'), clusterInfo('node1'));
    const result = await follow(vcenter, { stableForMs: 10_000, pollIntervalMs: 10, readiness: READY });
    assert.equal(result.outcome, 'flipped-back');
    assert.equal(result.readiness?.verdict, 'pending');
  });

  /** The heartbeat of an attempt lost after the roles held and every gate passed (its last request answered). */
  const lostAfterLastGate = (): FollowHeartbeat => ({
    observation: 'readiness: applianceHealth passed: health green, checked after the switch',
    observations: [],
    longestOutageMs: 0,
    polls: 17,
    phase: 'VERIFYING',
    switchedAt: Date.now() - 1_000,
    followedForMs: 1_000,
    switchedAtFollowedMs: 500,
    backAtFollowedMs: 500,
    rolesHeld: true,
    readiness: {
      gates: [
        { gate: 'vapi', status: 'passed', seen: 'the new active node answered a read with its own session' },
        { gate: 'vpxd', status: 'passed', seen: 'vpxd answers (1 datacenter)' },
        { gate: 'services', status: 'passed', seen: 'all 3 AUTOMATIC services STARTED' },
        { gate: 'applianceHealth', status: 'passed', seen: 'health green, checked after the switch' },
      ],
      requests: 4,
    },
  });
  const resumed = (vcenter: ScriptedVcenter, overrides: Partial<FollowFailoverInput> = {}) =>
    follow(
      vcenter,
      { stableForMs: 100, pollIntervalMs: 10, readiness: READY, ...overrides },
      { attempt: 2, heartbeatDetails: lostAfterLastGate() },
    );

  it('a retried attempt lost after the last gate reads the cluster itself before it says verified', async () => {
    const vcenter = serving();
    const result = await resumed(vcenter);
    assert.equal(result.outcome, 'verified');
    assert.equal(vcenter.calls[0], 'cluster.get', "this attempt's own read of the roles comes first");
    assert.equal(result.snapshot?.activeNode, '10.0.0.2');
    assert.match(result.observation, /^verified: active 10\.0\.0\.2, HEALTHY, all members UP; the roles held/);
    assert.equal(result.readiness?.requests, 4, 'the gates that passed are not asked again');
  });

  it('a retried attempt that finds the old node ACTIVE ends flipped-back, not verified', async () => {
    const vcenter = new ScriptedVcenter().on('getCluster', clusterInfo('node1'));
    const result = await resumed(vcenter);
    assert.equal(result.outcome, 'flipped-back');
    assert.deepEqual(vcenter.calls, ['cluster.get']);
  });

  it('a retried attempt that never gets an answer ends not ready at the bound: the vAPI gate waits for its own read', async () => {
    const vcenter = new ScriptedVcenter().on('getCluster', unreachable('cluster.get', 'refused'));
    const [result, ms] = await timed(() =>
      resumed(vcenter, { pollIntervalMs: 20, readiness: { withinMs: 200, skip: [] } }),
    );
    assert.equal(result.outcome, 'not-ready');
    assert.equal(result.readiness?.verdict, 'not-ready');
    assert.equal(gate(result, 'vapi')?.status, 'pending');
    assert.match(gate(result, 'vapi')?.seen ?? '', /no read answered since the follow resumed/);
    // The bound counts from when the cluster was back (500 ms into the lost attempt's follow): it already passed.
    assert.ok(ms < 1_000, `ended after ${ms} ms`);
  });

  it('with every gate passed but the roles not yet held when the readiness bound passes, reads go on one per interval', async () => {
    const vcenter = serving();
    const [result, ms] = await timed(() =>
      follow(vcenter, { stableForMs: 600, pollIntervalMs: 20, readiness: { withinMs: 300, skip: [] } }),
    );
    assert.equal(result.outcome, 'verified');
    assert.equal(result.readiness?.verdict, 'ready');
    assert.ok(ms >= 600, `held ${ms} ms`);
    // About one request per 20 ms interval over ~600 ms, never a busy loop.
    assert.ok(vcenter.calls.length <= 45, `${vcenter.calls.length} requests: ${vcenter.calls.join(' ')}`);
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
    const counted = initialFollowHeartbeat({
      observation: 'x',
      observations: [],
      followedForMs: 1_500,
      quietSinceFollowedMs: -3,
      switchedAtFollowedMs: 'soon',
      quietSince: 1_700_000_000_000,
    });
    assert.equal(counted.followedForMs, 1_500);
    assert.equal(counted.quietSinceFollowedMs, undefined, 'a negative time is not trusted');
    assert.equal(counted.switchedAtFollowedMs, undefined);
    assert.equal('quietSince' in counted, false, "an older build's wall-clock epoch is dropped");
  });
});
