/** The progress view: merging the status query with a follow activity's heartbeat, and its rendering. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { followHeartbeat } from '../../src/cli/live-status';
import {
  heartbeatObservation,
  mergeProgress,
  progressLine,
  ProgressPrinter,
  type ProgressView,
} from '../../src/cli/progress';
import type { FailoverStatus, FollowStage } from '../../src/contract';
import { recordingIo } from './fake-io';

const startedAt = '2025-03-09T01:00:00.000Z';
const status = (phase: FailoverStatus['phase'], observation: string): FailoverStatus => ({
  phase,
  observation,
  startedAt,
  timeline: [{ phase: 'VALIDATING', at: startedAt }],
  cancelRequested: false,
});
const at = (seconds: number) => new Date(Date.parse(startedAt) + seconds * 1_000);
const followState = (observation: string, phase = 'FAILING_OVER') => ({
  observation,
  observations: [{ at: startedAt, text: observation, kind: 'unreachable' }],
  longestOutageMs: 0,
  polls: 3,
  phase,
});

describe('heartbeatObservation', () => {
  it('takes the observation of a follow state that has seen something', () => {
    assert.equal(
      heartbeatObservation(followState('vCenter unreachable for 42 s (refused)')),
      'vCenter unreachable for 42 s (refused)',
    );
  });

  it('ignores the first heartbeat, sent before the activity polled anything', () => {
    assert.equal(heartbeatObservation({ observation: 'starting', observations: [], polls: 0 }), undefined);
  });

  it('ignores details without an observation', () => {
    for (const details of [undefined, null, 'text', 42, { stage: 'reading the cluster' }, { observation: '' }]) {
      assert.equal(heartbeatObservation(details), undefined, JSON.stringify(details));
    }
  });
});

describe('mergeProgress', () => {
  it("shows the pending follow activity's heartbeat instead of the phase-boundary observation", () => {
    const view = mergeProgress({
      status: status('FAILING_OVER', 'following task task-17'),
      heartbeat: {
        activityType: 'followFailover',
        observation: 'vCenter unreachable for 42 s (refused)',
        attempt: 1,
        phase: 'FAILING_OVER',
      },
      startedAt: at(0),
      now: at(65),
    });
    assert.deepEqual(view, {
      phase: 'FAILING_OVER',
      observation: 'vCenter unreachable for 42 s (refused)',
      live: true,
      elapsedMs: 65_000,
    });
    assert.equal(progressLine(view), '[1m5s] FAILING_OVER  vCenter unreachable for 42 s (refused)');
  });

  it('shows the readiness gates live from the heartbeat, and from the status once the follow ended', () => {
    const live = mergeProgress({
      status: status('FAILING_OVER', 'following task task-17'),
      heartbeat: {
        activityType: 'followFailover',
        observation: 'readiness: vpxd passed: vpxd answers (1 datacenter)',
        attempt: 1,
        phase: 'VERIFYING',
        readiness: [
          { gate: 'vapi', status: 'passed' },
          { gate: 'vpxd', status: 'passed', seen: 'vpxd answers (1 datacenter)' },
          { gate: 'services', status: 'pending', seen: 'eam STARTING' },
          { gate: 'applianceHealth', status: 'skipped' },
        ],
      },
      startedAt: at(0),
      now: at(65),
    });
    assert.equal(live.readiness, 'vapi passed, vpxd passed, services pending (eam STARTING), applianceHealth skipped');
    const ended = mergeProgress({
      status: {
        ...status('RECORDING', 'recording the outcome'),
        readiness: {
          verdict: 'ready',
          gates: [
            { gate: 'vapi', status: 'passed' },
            { gate: 'vpxd', status: 'passed' },
            { gate: 'services', status: 'not-checked', seen: 'HTTP 403' },
            { gate: 'applianceHealth', status: 'passed' },
          ],
          requests: 3,
        },
      },
      startedAt: at(0),
      now: at(70),
    });
    assert.equal(ended.live, false);
    assert.equal(ended.readiness, 'vapi passed, vpxd passed, services not-checked (HTTP 403), applianceHealth passed');
  });

  it('names the attempt of a retried follow activity', () => {
    const view = mergeProgress({
      status: status('FAILING_OVER', 'following task task-17'),
      heartbeat: {
        activityType: 'followFailover',
        observation: 'cluster DEGRADED, waiting for HEALTHY',
        attempt: 3,
        phase: 'FAILING_OVER',
      },
      startedAt: at(0),
      now: at(1),
    });
    assert.equal(view.observation, 'cluster DEGRADED, waiting for HEALTHY (attempt 3)');
  });

  it('shows VERIFYING as soon as the follow activity has seen the switch', () => {
    const heartbeat = {
      activityType: 'followFailover',
      observation: 'cluster DEGRADED, waiting for HEALTHY',
      attempt: 1,
    };
    const live = (phase: FollowStage | undefined, statusPhase: 'FAILING_OVER' | 'RECORDING') =>
      mergeProgress({
        status: status(statusPhase, 'x'),
        heartbeat: { ...heartbeat, phase },
        startedAt: at(0),
        now: at(1),
      }).phase;
    assert.equal(live('VERIFYING', 'FAILING_OVER'), 'VERIFYING');
    assert.equal(live('FAILING_OVER', 'FAILING_OVER'), 'FAILING_OVER');
    assert.equal(live(undefined, 'FAILING_OVER'), 'FAILING_OVER');
    // A stale heartbeat never moves a later phase back.
    assert.equal(live('VERIFYING', 'RECORDING'), 'RECORDING');
  });

  it('shows the status observation when no follow activity heartbeats', () => {
    const view = mergeProgress({
      status: status('PREFLIGHT', 'reading the cluster state of lab'),
      startedAt: at(0),
      now: at(2),
    });
    assert.deepEqual(view, {
      phase: 'PREFLIGHT',
      observation: 'reading the cluster state of lab',
      live: false,
      elapsedMs: 2_000,
    });
  });

  it('says why when the status query did not answer, timing from the run start', () => {
    const view = mergeProgress({ statusError: 'no worker', startedAt: at(10), now: at(13) });
    assert.equal(progressLine(view), '[3s] UNKNOWN  status unavailable: no worker');
  });
});

describe('followHeartbeat', () => {
  const client = {
    options: { loadedDataConverter: { payloadConverter: defaultPayloadConverter } },
  } as unknown as Client;
  const described = (pending: object[]) => ({ raw: { pendingActivities: pending } }) as WorkflowExecutionDescription;
  const pending = (name: string, details: unknown, attempt = 1) => ({
    activityType: { name },
    attempt,
    heartbeatDetails: { payloads: [defaultPayloadConverter.toPayload(details)] },
  });

  it("decodes a pending follow activity's heartbeat details with the client's payload converter", () => {
    const found = followHeartbeat(
      client,
      described([
        pending('preflight', { stage: 'reading the cluster' }),
        pending('followFailover', followState('cluster DEGRADED, waiting for HEALTHY', 'VERIFYING'), 2),
      ]),
    );
    assert.deepEqual(found, {
      activityType: 'followFailover',
      observation: 'cluster DEGRADED, waiting for HEALTHY',
      attempt: 2,
      phase: 'VERIFYING',
    });
  });

  it('finds nothing without a follow activity, or before its first observation', () => {
    assert.equal(followHeartbeat(client, described([])), undefined);
    assert.equal(followHeartbeat(client, described([{ activityType: { name: 'followFailover' } }])), undefined);
    assert.equal(
      followHeartbeat(client, described([pending('followFailover', { observation: 'starting', observations: [] })])),
      undefined,
    );
  });
});

describe('ProgressPrinter', () => {
  const view = (phase: string, observation: string, elapsedMs: number): ProgressView => ({
    phase,
    observation,
    live: false,
    elapsedMs,
  });

  it('prints one line per change when stdout is not a terminal', () => {
    const io = recordingIo();
    const printer = new ProgressPrinter(io);
    printer.update(view('PREFLIGHT', 'reading', 1_000));
    printer.update(view('PREFLIGHT', 'reading', 2_000)); // only the clock moved
    printer.update(view('FAILING_OVER', 'task RUNNING', 3_000));
    printer.update(view('FAILING_OVER', 'vCenter unreachable for 1 s (refused)', 4_000));
    printer.finish();
    assert.equal(
      io.stdout,
      '[1s] PREFLIGHT  reading\n[3s] FAILING_OVER  task RUNNING\n[4s] FAILING_OVER  vCenter unreachable for 1 s (refused)\n',
    );
  });

  it('redraws one line in place on a terminal, cut to its width, and ends it when done', () => {
    const io = recordingIo({ isTTY: true, columns: 30 });
    const printer = new ProgressPrinter(io);
    printer.update(view('PREFLIGHT', 'reading', 1_000));
    printer.update(view('PREFLIGHT', 'reading', 2_000));
    printer.update(view('FAILING_OVER', 'vCenter unreachable for 12 s (refused)', 14_000));
    printer.finish();
    const clear = '\r\x1b[2K';
    assert.equal(
      io.stdout,
      `${clear}[1s] PREFLIGHT  reading${clear}[2s] PREFLIGHT  reading${clear}[14s] FAILING_OVER  vCenter …\n`,
    );
  });
});
