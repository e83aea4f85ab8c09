/**
 * Temporal user metadata on a real server: a run started without a summary keeps its current
 * details (phase, observation) up to date itself; its activities and timers carry summaries; fleet
 * children get a static summary; and the lock run ends Completed with a summary and a result naming
 * the run it held, also when that run is terminated, leaving the target free for the next run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { targetLockWorkflowId } from '../../src/contract';
import { testEnv } from '../harness/temporal';
import { pollUntil } from '../harness/poll';
import { failureOf } from './assertions';
import { startLab } from '../harness/lab';
import { waitForPhase } from './wait';

const METADATA_QUERY = '__temporal_workflow_metadata';
type Metadata = { currentDetails?: string | null };

describe('user metadata and the lock end state', { concurrency: true }, async () => {
  const lab = await startLab({
    clusters: {
      'meta-slow': { timing: { flushMs: 6_000 } },
      'meta-killed': { timing: { flushMs: 60_000 } },
      'meta-fleet': {},
    },
  });
  const { client } = await testEnv();
  const payloads = client.options.loadedDataConverter.payloadConverter;

  /** The lock of `target` once it has closed. */
  const closedLock = (target: string) =>
    pollUntil(
      () => client.workflow.getHandle(targetLockWorkflowId(target)).describe(),
      (d) => d.status.name !== 'RUNNING',
      20_000,
      100,
      `the lock of ${target} closes`,
    );

  /** The summaries of the activity and timer commands in a run's history. */
  const commandSummaries = async (handle: WorkflowHandle) => {
    const { events } = await handle.fetchHistory();
    const EventType = temporal.api.enums.v1.EventType;
    return (events ?? [])
      .filter(
        (e) =>
          e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED ||
          e.eventType === EventType.EVENT_TYPE_TIMER_STARTED,
      )
      .map((e) => (e.userMetadata?.summary ? payloads.fromPayload<string>(e.userMetadata.summary) : undefined));
  };

  it('a run started without a summary shows its phase in the current details; its lock completes naming it', async (t) => {
    const handle = await lab.start({ target: 'meta-slow', planned: true, pollInterval: '1s' });
    await waitForPhase(handle, 'FAILING_OVER');
    const running = await handle.query<Metadata>(METADATA_QUERY);
    assert.match(
      running.currentDetails ?? '',
      /^- \*\*Phase:\*\* FAILING_OVER\n- \*\*Observation:\*\* following task /,
    );
    assert.match(
      running.currentDetails ?? '',
      /\*\*Timeline:\*\* VALIDATING .* → PREFLIGHT .* → TRIGGERING .* → FAILING_OVER /,
    );
    const lockWhileRunning = await client.workflow.getHandle(targetLockWorkflowId('meta-slow')).describe();
    assert.equal(lockWhileRunning.status.name, 'RUNNING');
    assert.equal(await lockWhileRunning.staticSummary(), `Lock on meta-slow, held by ${handle.workflowId}`);

    assert.equal((await handle.result()).outcome, 'SUCCEEDED');
    const lock = await closedLock('meta-slow');
    assert.equal(lock.status.name, 'COMPLETED', 'a normal failover leaves its lock Completed, not Terminated');
    t.diagnostic(`lock history: ${lock.historyLength} events`);
    const result = (await client.workflow.getHandle(targetLockWorkflowId('meta-slow'), lock.runId).result()) as {
      heldBy: { workflowId: string };
      message: string;
    };
    assert.equal(result.heldBy.workflowId, handle.workflowId);
    assert.match(result.message, /^held meta-slow for run /);

    const summaries = await commandSummaries(handle);
    assert.ok(summaries.length > 0 && summaries.every((s) => typeof s === 'string' && s.length > 0), String(summaries));
    assert.ok(summaries.includes('preflight: read the cluster state of meta-slow'), String(summaries));
    assert.ok(summaries.includes('send the planned failover request to meta-slow (one attempt)'), String(summaries));
  });

  it('a terminated run still leaves its lock Completed, and the target free for the next run', async () => {
    const first = await lab.start({ target: 'meta-killed', planned: true, pollInterval: '1s' });
    await waitForPhase(first, 'TRIGGERING');
    // Terminated once its request reached vCenter: the cluster then shows the failover running.
    await pollUntil(
      () => lab.failoverPosts('meta-killed'),
      (posts) => posts === 1,
      30_000,
      50,
      'the failover request of meta-killed',
    );
    await first.terminate('operator stopped it');
    const lock = await closedLock('meta-killed');
    assert.equal(lock.status.name, 'COMPLETED');
    // The next run takes the lock (a busy target would end it TargetBusy at once) and reaches
    // preflight, which sees the failover the terminated run sent still running on the cluster.
    const second = await lab.start({ target: 'meta-killed', planned: true, dryRun: true });
    const { failure } = await failureOf(second, 'PreflightRejected');
    assert.doesNotMatch(failure.message, /busy/);
  });

  it('fleet children carry a static summary and details naming the fleet', async () => {
    const fleet = await client.workflow.start('fleetFailover', {
      taskQueue: lab.taskQueue,
      workflowId: `meta-fleet-${Date.now()}`,
      args: [{ targets: ['meta-fleet'], planned: true, reason: 'rack move', requestedBy: 'jdoe' }],
    });
    await fleet.result();
    const child = await client.workflow.getHandle(`${fleet.workflowId}/meta-fleet`).describe();
    assert.equal(await child.staticSummary(), 'Planned failover of meta-fleet — rack move (jdoe)');
    assert.match(
      (await child.staticDetails()) ?? '',
      new RegExp(`- \\*\\*Started through:\\*\\* fleet failover ${fleet.workflowId}`),
    );
  });
});
