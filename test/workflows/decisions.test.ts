/**
 * Every decision of `vchaFailover`, with stubbed activities on the shared dev server: what the
 * workflow does with each answer its activities can give, each case in about a second.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import type { FollowHeartbeat, VchaFailoverWorkflow } from '../../src/contract';
import { evaluatePreflight } from '../../src/domain/preflight-rules';
import { failureOf } from './assertions';
import { healthySnapshot, stubbedWorker, unchangedCheck, verified } from './stub-activities';
import { waitForPhase } from './wait';

const { EventType } = temporal.api.enums.v1;

async function activityTypesScheduled(handle: WorkflowHandle<VchaFailoverWorkflow>): Promise<string[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  return events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
    .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? '');
}

/** Resolves after `ms`. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('vchaFailover decisions (stubbed activities)', { concurrency: true }, async () => {
  const worker = await stubbedWorker();

  it('succeeds when every step does, with the record of each step', async () => {
    const run = worker.script();
    const result = await (await run.start({ reason: 'patching' })).result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.triggered, 'yes');
    assert.equal(result.activeBefore, '10.0.0.1');
    assert.equal(result.activeAfter, '10.0.0.2');
    assert.equal(result.taskId, 'task-1:com.vmware.vcenter.vcha.cluster');
    assert.deepEqual(
      result.timeline.map((m) => m.phase),
      ['VALIDATING', 'PREFLIGHT', 'TRIGGERING', 'FAILING_OVER', 'VERIFYING'],
    );
    assert.deepEqual(run.calls.checkCluster[0], {
      target: run.name,
      expectedActive: '10.0.0.1',
      expectedPassive: '10.0.0.2',
    });
    assert.equal(run.calls.sendFailover.length, 1);
    assert.equal(run.calls.followFailover[0]?.previousPassive, '10.0.0.2');
    assert.equal(run.calls.recordOutcome[0]?.record.outcome, 'SUCCEEDED');
  });

  it('ends PreflightRejected with the failed checks and never triggers', async () => {
    const run = worker.script({
      preflight: (input) => {
        const snapshot = healthySnapshot({ mode: 'DISABLED', healthState: 'DEGRADED' });
        return Promise.resolve({ snapshot, checks: evaluatePreflight(snapshot, input.planned) });
      },
    });
    const { failure, record } = await failureOf(await run.start(), 'PreflightRejected');
    assert.match(failure.message, /saw DISABLED.*saw DEGRADED/);
    assert.deepEqual(
      record?.failedChecks?.map((c) => c.id),
      ['mode', 'healthy'],
    );
    assert.equal(run.calls.sendFailover.length, 0);
  });

  it('ends PreflightRejected naming what could not be read when preflight gives up', async () => {
    const run = worker.script({
      preflight: () => Promise.reject(ApplicationFailure.nonRetryable('connection refused', 'VcenterUnreachableError')),
    });
    const { failure, record } = await failureOf(await run.start(), 'PreflightRejected');
    assert.match(failure.message, /could not read the cluster state of .*: connection refused/);
    assert.equal(record?.failedChecks?.[0]?.id, 'reachable');
    assert.equal(record?.triggered, 'no');
  });

  for (const type of ['NotAuthorized', 'UnknownTarget'] as const) {
    it(`ends ${type} when preflight says so`, async () => {
      const run = worker.script({
        preflight: () =>
          Promise.reject(ApplicationFailure.create({ type, message: `${type} from vCenter`, nonRetryable: true })),
      });
      const { failure } = await failureOf(await run.start(), type);
      assert.match(failure.message, new RegExp(`${type} from vCenter`));
      assert.equal(run.calls.sendFailover.length, 0);
    });
  }

  it('passes a dry run after preflight without triggering', async () => {
    const run = worker.script();
    const result = await (await run.start({ planned: true, dryRun: true })).result();
    assert.equal(result.outcome, 'DRY_RUN_PASSED');
    assert.match(result.message, /dry run passed: .* can fail over \(active 10\.0\.0\.1\)/);
    assert.equal(run.calls.sendFailover.length, 0);
  });

  it('ends InvalidInput before any activity but validation', async () => {
    const run = worker.script();
    const handle = await run.start({ plannned: true });
    const { failure } = await failureOf(handle, 'InvalidInput');
    assert.match(failure.message, /unknown field\(s\) "plannned"/);
    assert.deepEqual(await activityTypesScheduled(handle), []);
    assert.equal(run.calls.recordOutcome.length, 0);
  });

  /** A send failure of `type`, with the details the send activity gives it. */
  const sendFailure = (type: string, message: string, status?: number, errorType?: string) =>
    Promise.reject(
      ApplicationFailure.create({
        type,
        message,
        nonRetryable: true,
        details: [
          {
            errorClass: type,
            detail: message,
            ...(status !== undefined ? { status } : {}),
            ...(errorType !== undefined ? { errorType } : {}),
          },
        ],
      }),
    );

  it('sends again only after proof that nothing reached vCenter, checking the cluster first each time', async () => {
    let sends = 0;
    const run = worker.script({
      sendFailover: () =>
        ++sends === 1
          ? sendFailure('FailoverNotSent', 'the failover request did not reach vCenter: connection refused')
          : Promise.resolve({ taskId: 'task-2:com.vmware.vcenter.vcha.cluster', at: new Date().toISOString() }),
    });
    const result = await (await run.start()).result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.triggered, 'yes');
    assert.equal(result.taskId, 'task-2:com.vmware.vcenter.vcha.cluster');
    assert.equal(run.calls.sendFailover.length, 2);
    assert.equal(run.calls.checkCluster.length, 2);
    assert.match(result.observations.join('\n'), /attempt 1: the failover request did not reach vCenter/);
  });

  it('ends PreflightRejected, nothing sent, when no attempt ever reached vCenter', async () => {
    const run = worker.script({ sendFailover: () => sendFailure('FailoverNotSent', 'connection refused') });
    const { failure, record } = await failureOf(await run.start(), 'PreflightRejected');
    assert.match(failure.message, /never reached .* in 5 attempts \(connection refused\): nothing was sent/);
    assert.equal(record?.triggered, 'no');
    assert.equal(record?.failedChecks?.[0]?.id, 'reachable');
    assert.equal(run.calls.sendFailover.length, 5);
    assert.equal(run.calls.followFailover.length, 0);
  });

  it('ends PreflightRejected, nothing sent, when the cluster changed since preflight', async () => {
    const run = worker.script({
      checkCluster: () =>
        Promise.resolve(unchangedCheck({ unchanged: false, detail: 'active 10.0.0.2; no failover running' })),
    });
    const { failure, record } = await failureOf(await run.start(), 'PreflightRejected');
    assert.match(
      failure.message,
      /changed since preflight \(active 10\.0\.0\.2; no failover running\): nothing was sent/,
    );
    assert.equal(record?.triggered, 'no');
    assert.equal(run.calls.sendFailover.length, 0);
  });

  it('ends PreflightRejected, nothing sent, when the cluster cannot be checked before sending', async () => {
    const run = worker.script({
      checkCluster: () =>
        Promise.reject(ApplicationFailure.nonRetryable('connection reset', 'VcenterUnreachableError')),
    });
    const { failure } = await failureOf(await run.start(), 'PreflightRejected');
    assert.match(
      failure.message,
      /could not check .* before sending the failover request: connection reset; nothing was sent/,
    );
    assert.equal(run.calls.sendFailover.length, 0);
  });

  /** vCenter's own error in answer to the request, as the send activity reports it. */
  const refusedWith = (status: number, errorType: string) =>
    sendFailure(
      'FailoverRefused',
      `vCenter answered the failover request with HTTP ${status} ${errorType}`,
      status,
      errorType,
    );

  for (const [status, errorType, type] of [
    [401, 'UNAUTHENTICATED', 'FailoverFailed'],
    [403, 'UNAUTHORIZED', 'NotAuthorized'],
  ] as const) {
    it(`ends ${type} at once when vCenter refused the request (${status} ${errorType}: before starting) and a read confirms nothing changed`, async () => {
      const run = worker.script({
        sendFailover: () => refusedWith(status, errorType),
      });
      const { failure, record } = await failureOf(await run.start(), type);
      assert.match(failure.message, new RegExp(`HTTP ${status}.*is unchanged \\(active 10\\.0\\.0\\.1`));
      assert.equal(run.calls.checkCluster.length, 2, 'checked before sending and after the refusal');
      assert.equal(run.calls.followFailover.length, 0);
      assert.equal(record?.after?.activeNode, '10.0.0.1');
    });
  }

  it('follows the cluster after a 5xx or an undocumented 4xx refusal, and a window without a sign is unknown, never FailoverFailed', async () => {
    for (const [status, errorType] of [
      [500, 'ERROR'],
      [400, 'NOT_ALLOWED_IN_CURRENT_STATE'],
    ] as const) {
      const run = worker.script({
        sendFailover: () => refusedWith(status, errorType),
        followFailover: () =>
          Promise.resolve(verified({ outcome: 'no-sign', switchedAt: undefined, snapshot: healthySnapshot() })),
      });
      const { failure } = await failureOf(await run.start({ deadlines: { noSign: '1m' } }), 'FailoverOutcomeUnknown');
      assert.match(
        failure.message,
        new RegExp(
          `HTTP ${status} ${errorType}; this error does not prove vCenter refused before starting, and for 1m .* ` +
            'then showed no sign of a failover and is unchanged \\(10\\.0\\.0\\.1 still ACTIVE.*vCenter may hide a running failover',
        ),
      );
      assert.equal(run.calls.followFailover.length, 1, `${status} is followed`);
    }
  });

  it('follows the cluster after a 5xx refusal: checked twice, sent once, the window passed to the follow', async () => {
    const run = worker.script({
      sendFailover: () =>
        sendFailure('FailoverRefused', 'vCenter answered the failover request with HTTP 500 ERROR', 500, 'ERROR'),
      followFailover: () =>
        Promise.resolve(verified({ outcome: 'no-sign', switchedAt: undefined, snapshot: healthySnapshot() })),
    });
    const { record } = await failureOf(await run.start({ deadlines: { noSign: '1m' } }), 'FailoverOutcomeUnknown');
    assert.equal(run.calls.checkCluster.length, 2, 'checked before sending and after the refusal');
    assert.equal(run.calls.sendFailover.length, 1);
    assert.equal(run.calls.followFailover[0]?.unconfirmed?.noSignWindowMs, 60_000);
    assert.equal(record?.triggered, 'unknown');
  });

  it('follows the cluster after a 5xx refusal, and a failover seen meanwhile is a success', async () => {
    const run = worker.script({
      sendFailover: () =>
        sendFailure('FailoverRefused', 'vCenter answered the failover request with HTTP 500 ERROR', 500),
    });
    const result = await (await run.start()).result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.triggered, 'unknown');
    assert.match(result.observations.join('\n'), /HTTP 500 ERROR; .* is unchanged .*watching for a failover/);
  });

  it('follows the cluster when a refusal is not confirmed: the cluster shows a change', async () => {
    let checks = 0;
    const run = worker.script({
      sendFailover: () =>
        sendFailure('FailoverRefused', 'vCenter answered the failover request with HTTP 500 ERROR', 500),
      checkCluster: () =>
        Promise.resolve(
          ++checks === 1 ? unchangedCheck() : unchangedCheck({ unchanged: false, detail: 'a failover is running' }),
        ),
    });
    const result = await (await run.start()).result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.triggered, 'unknown');
    assert.match(result.observations.join('\n'), /the refusal is not confirmed \(a failover is running\)/);
    assert.ok(run.calls.followFailover[0]?.unconfirmed, 'followed as a request of unknown arrival');
  });

  it('follows the cluster, never re-sending, when the request may have been accepted', async () => {
    const run = worker.script({
      sendFailover: () =>
        sendFailure('FailoverMaybeSent', 'the failover request may have reached vCenter (HTTP 502)', 502),
    });
    const result = await (await run.start({ deadlines: { noSign: '2m' } })).result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.triggered, 'unknown');
    assert.equal(run.calls.sendFailover.length, 1);
    const follow = run.calls.followFailover[0];
    assert.equal(follow?.taskId, undefined);
    assert.equal(follow?.unconfirmed?.noSignWindowMs, 120_000);
  });

  it("gives the follow durations only, and vCenter's time of the check just before the request", async () => {
    const vcenterTime = '2026-01-02T03:04:05.000Z';
    let checks = 0;
    const run = worker.script({
      // Only the check right before the request counts; the one after a refusal never comes here.
      checkCluster: () => Promise.resolve(unchangedCheck({ vcenterTime: ++checks === 1 ? vcenterTime : 'later' })),
      sendFailover: () =>
        sendFailure('FailoverMaybeSent', 'the failover request may have reached vCenter (HTTP 502)', 502),
    });
    await (await run.start({ deadlines: { failover: '7m', noSign: '2m' } })).result();
    const follow = run.calls.followFailover[0];
    assert.equal(follow?.vcenterTimeBefore, vcenterTime);
    assert.equal(follow?.switchWithinMs, 7 * 60_000);
    assert.deepEqual(follow?.unconfirmed, { noSignWindowMs: 120_000 });
    assert.equal(follow?.switchDeadline, undefined, 'no workflow timestamp reaches the activity');
  });

  it('says the cluster is unchanged and the request may not have arrived when the follow finds no sign', async () => {
    const run = worker.script({
      sendFailover: () => sendFailure('FailoverMaybeSent', 'the failover request may have reached vCenter (reset)'),
      followFailover: () =>
        Promise.resolve(verified({ outcome: 'no-sign', switchedAt: undefined, snapshot: healthySnapshot() })),
    });
    const { failure, record } = await failureOf(
      await run.start({ deadlines: { noSign: '1m' } }),
      'FailoverOutcomeUnknown',
    );
    assert.match(
      failure.message,
      /may not have arrived: its answer proved nothing \(the failover request may have reached vCenter \(reset\)\), and for 1m .* showed no sign of a failover and is unchanged \(10\.0\.0\.1 still ACTIVE.*check the cluster and vCenter's tasks before re-running/,
    );
    assert.equal(record?.triggered, 'unknown');
  });

  const followEnds = [
    ['failed', 'FailoverFailed', /task of .* FAILED and 10\.0\.0\.1 is still ACTIVE: passive node did not take over/],
    ['switch-deadline', 'FailoverOutcomeUnknown', /no proof that .* failed over within 30m; last observation: waiting/],
    [
      'healthy-deadline',
      'FailoverNotHealthy',
      /switched to 10\.0\.0\.2 but was not HEALTHY with all members UP within 30m/,
    ],
  ] as const;
  for (const [outcome, type, message] of followEnds) {
    it(`ends ${type} when the follow activity ends ${outcome}`, async () => {
      const run = worker.script({
        followFailover: () =>
          Promise.resolve(
            verified({
              outcome,
              observation: 'waiting',
              ...(outcome === 'failed'
                ? {
                    switchedAt: undefined,
                    snapshot: healthySnapshot(),
                    taskError: 'passive node did not take over',
                  }
                : {}),
              ...(outcome === 'switch-deadline' ? { switchedAt: undefined, snapshot: healthySnapshot() } : {}),
            }),
          ),
      });
      const { failure, record } = await failureOf(await run.start(), type);
      assert.match(failure.message, message);
      assert.equal(record?.triggered, 'yes');
    });
  }

  it('ends FailoverOutcomeUnknown, not NotAuthorized, when a read is refused after the request was accepted', async () => {
    const run = worker.script({
      followFailover: () =>
        Promise.reject(
          ApplicationFailure.create({
            type: 'NotAuthorized',
            message: 'HTTP 403 reading the cluster',
            nonRetryable: true,
          }),
        ),
    });
    const { failure, record } = await failureOf(await run.start(), 'FailoverOutcomeUnknown');
    assert.match(
      failure.message,
      /cannot follow the failover of .*: HTTP 403 reading the cluster; the request was accepted/,
    );
    assert.equal(record?.triggered, 'yes');
  });

  it('ends FailoverOutcomeUnknown when the follow activity fails for good outside a stage that proves anything', async () => {
    const run = worker.script({
      followFailover: () => Promise.reject(ApplicationFailure.nonRetryable('worker bug', 'TypeError')),
    });
    const { failure } = await failureOf(await run.start(), 'FailoverOutcomeUnknown');
    assert.match(failure.message, /lost track of the failover of .*: worker bug/);
  });

  it('ends FailoverNotHealthy, with the last heartbeat, when no worker finishes a follow that saw the switch', async () => {
    // The one slow decision: a lost follow is noticed only when its heartbeat times out (15 s at the
    // least), and the run ends once the follow's deadlines (5 s + 5 s, a 1 s stability period and a
    // 5 s readiness bound here) and one timeout have passed.
    const run = worker.script({
      followFailover: async () => {
        const heartbeat: FollowHeartbeat = {
          observation: 'cluster DEGRADED, waiting for HEALTHY',
          observations: [{ at: new Date().toISOString(), text: 'switch complete: 10.0.0.2 is ACTIVE', kind: 'switch' }],
          longestOutageMs: 2_000,
          polls: 4,
          phase: 'VERIFYING',
          switchedAt: Date.now(),
        };
        Context.current().heartbeat(heartbeat);
        await Context.current().cancelled; // then no heartbeat: a lost worker
        return verified();
      },
    });
    const started = Date.now();
    const { failure, record } = await failureOf(
      await run.start({ pollInterval: '1s', deadlines: { failover: '5s', healthy: '5s', stable: '1s', ready: '5s' } }),
      'FailoverNotHealthy',
    );
    assert.match(
      failure.message,
      /switched to 10\.0\.0\.2, but could not be verified: .*last observation: cluster DEGRADED, waiting for HEALTHY/,
    );
    assert.ok(record?.observations.some((line) => line.endsWith('switch complete: 10.0.0.2 is ACTIVE')));
    assert.ok(record?.timeline.some((mark) => mark.phase === 'VERIFYING'));
    assert.ok(Date.now() - started < 60_000, 'bounded by the deadlines and one heartbeat timeout');
  });

  let sharedClusters = 0;
  /** Two scripted targets that are two names of one cluster; the first waits for approval (holding it). */
  function twoNamesOfOneCluster(overrides: Parameters<typeof worker.script>[0] = {}) {
    sharedClusters += 1;
    const cluster = `shared-${process.pid}-${sharedClusters}`;
    const holding = worker.script({
      preflight: (input) => {
        const snapshot = healthySnapshot();
        return Promise.resolve({
          snapshot,
          checks: evaluatePreflight(snapshot, input.planned),
          policy: 'approval',
          cluster,
        });
      },
    });
    const other = worker.script({
      preflight: (input) => {
        const snapshot = healthySnapshot();
        return Promise.resolve({ snapshot, checks: evaluatePreflight(snapshot, input.planned), cluster });
      },
      ...overrides,
    });
    return { holding, other };
  }

  it('takes over the cluster from a holder that closed without releasing it, then proceeds', async () => {
    const { holding, other } = twoNamesOfOneCluster();
    const holder = await holding.start();
    await waitForPhase(holder, 'AWAITING_APPROVAL');
    // Terminated while it holds the cluster and before it claimed anything: it can never send.
    await holder.terminate('closed by an operator while waiting');
    const result = await (await other.start()).result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(other.calls.sendFailover.length, 1);
    assert.equal(holding.calls.sendFailover.length, 0);
  });

  it('ends TargetBusy naming the running holder, reached by another name of the cluster', async () => {
    const { holding, other } = twoNamesOfOneCluster();
    const holder = await holding.start();
    await waitForPhase(holder, 'AWAITING_APPROVAL');
    const { runId } = await holder.describe();
    const { failure, record } = await failureOf(await other.start(), 'TargetBusy');
    assert.match(
      failure.message,
      new RegExp(`is busy: run ${holder.workflowId} \\(${runId}\\) is failing it over \\(as ${holding.name}`),
    );
    assert.deepEqual(record?.heldBy, { workflowId: holder.workflowId, runId: runId });
    assert.equal(other.calls.sendFailover.length, 0);
    await holder.terminate('test done');
  });

  it('records inline, then through a retried activity when the store fails, and keeps the outcome', async () => {
    let attempts = 0;
    const run = worker.script({
      recordOutcome: () => {
        attempts += 1;
        // Both inline attempts fail; the regular activity's first attempt lands.
        return attempts <= 2 ? Promise.reject(new Error('store down')) : Promise.resolve({ notify: false });
      },
    });
    const handle = await run.start({ planned: true, dryRun: true });
    assert.equal((await handle.result()).outcome, 'DRY_RUN_PASSED');
    assert.equal(attempts, 3);
    assert.deepEqual(
      (await activityTypesScheduled(handle)).filter((t) => t === 'recordOutcome'),
      ['recordOutcome'],
    );
  });

  it('keeps the outcome when recording fails for good', async () => {
    const run = worker.script({
      recordOutcome: () => Promise.reject(ApplicationFailure.nonRetryable('table missing', 'StoreError')),
    });
    const result = await (await run.start()).result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(run.calls.recordOutcome.length, 2, 'inline once, then the activity once');
  });

  it('notifies when the recorder asks for it, and a failing webhook changes nothing', async () => {
    const run = worker.script({
      recordOutcome: () => Promise.resolve({ notify: true }),
      notifyOutcome: () => Promise.reject(ApplicationFailure.nonRetryable('HTTP 500', 'WebhookRejected')),
    });
    const result = await (await run.start()).result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(run.calls.notifyOutcome[0]?.record.outcome, 'SUCCEEDED');
  });

  it('ends Cancelled when cancelled before the trigger, sending nothing', async () => {
    const run = worker.script({
      preflight: async (input) => {
        await sleep(1_500);
        const snapshot = healthySnapshot();
        return { snapshot, checks: evaluatePreflight(snapshot, input.planned) };
      },
    });
    const handle = await run.start();
    await waitForPhase(handle, 'PREFLIGHT');
    await handle.cancel();
    const { failure, record } = await failureOf(handle, 'Cancelled');
    assert.match(failure.message, /cancelled before the failover was triggered: nothing was changed/);
    assert.equal(record?.triggered, 'no');
    assert.equal(run.calls.sendFailover.length, 0);
  });

  it('ends Cancelled when cancelled in TRIGGERING while nothing has gone out', async () => {
    const run = worker.script({
      // An attempt that proves nothing reached vCenter, slow enough for the cancel to arrive meanwhile.
      sendFailover: async () => {
        await sleep(1_500);
        return sendFailure('FailoverNotSent', 'the failover request did not reach vCenter: connection refused');
      },
    });
    const handle = await run.start();
    await waitForPhase(handle, 'TRIGGERING');
    await handle.cancel();
    const { failure, record } = await failureOf(handle, 'Cancelled');
    assert.match(failure.message, /cancelled before the failover was triggered: nothing was changed/);
    assert.equal(record?.triggered, 'no');
    assert.equal(run.calls.sendFailover.length, 1, 'no attempt after the cancel');
    assert.equal(run.calls.followFailover.length, 0);
  });

  it('follows to the real end when cancelled after the trigger, and says the cancel came too late', async () => {
    const run = worker.script({
      followFailover: async () => {
        await sleep(1_500);
        return verified();
      },
    });
    const handle = await run.start();
    await waitForPhase(handle, 'FAILING_OVER');
    await handle.cancel();
    const { outcome, cancelRequestedAfterTrigger, message } = await handle.result();
    assert.deepEqual(
      { outcome, cancelRequestedAfterTrigger },
      { outcome: 'SUCCEEDED', cancelRequestedAfterTrigger: true },
    );
    assert.match(message, /too late to stop it/);
  });
});
