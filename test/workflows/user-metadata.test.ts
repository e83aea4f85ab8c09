/**
 * Temporal user metadata on a real server: a run started without a summary keeps its current
 * details (phase, observation) up to date itself; its activities and timers carry summaries; fleet
 * children get a static summary; and the cluster's ledger, which holds the cluster's lock, carries a
 * summary, names the run that holds it while it runs, and keeps its end; a terminated run's hold
 * stays until a later run proves it closed (fail closed), and its claim stays unresolved.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { ledgerQuery } from '../../src/contract';
import { testEnv } from '../harness/temporal';
import { pollUntil } from '../harness/poll';
import { failureOf } from './assertions';
import { ledgerIdOf, startLab } from '../harness/lab';
import { waitForPhase } from './wait';

const METADATA_QUERY = '__temporal_workflow_metadata';
type Metadata = { currentDetails?: string | null };

describe('user metadata and the ledger that holds the cluster', { concurrency: true }, async () => {
  const lab = await startLab({
    clusters: {
      'meta-slow': { timing: { flushMs: 6_000 } },
      'meta-killed': { timing: { flushMs: 60_000 } },
      'meta-fleet': {},
    },
  });
  const { client } = await testEnv();
  const payloads = client.options.loadedDataConverter.payloadConverter;

  /** The ledger of a simulated cluster, by the identity the worker reads from vCenter. */
  const ledgerOf = (target: string) => client.workflow.getHandle(ledgerIdOf(lab.sim, target));

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

  it("a run started without a summary shows its phase in the current details; the cluster's ledger holds the cluster for it and keeps its end", async (t) => {
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
    const ledger = ledgerOf('meta-slow');
    const ledgerWhileRunning = await ledger.describe();
    assert.equal(ledgerWhileRunning.status.name, 'RUNNING');
    const identity = ledger.workflowId.replace(/^vcha-cluster-/, '');
    assert.equal(await ledgerWhileRunning.staticSummary(), `send ledger and lock of VCHA cluster ${identity}`);
    const held = await ledger.query(ledgerQuery);
    assert.equal(held.holder?.workflowId, handle.workflowId);
    assert.equal(held.holder?.target, 'meta-slow');

    assert.equal((await handle.result()).outcome, 'SUCCEEDED');
    const released = await ledger.query(ledgerQuery);
    assert.equal(released.holder, undefined, 'a finished run releases the cluster');
    const entry = released.entries.find((candidate) => candidate.workflowId === handle.workflowId);
    assert.equal(entry?.state, 'ended');
    assert.equal(entry?.outcome, 'SUCCEEDED');
    assert.equal(entry?.proved, true);
    t.diagnostic(`ledger history: ${(await ledger.describe()).historyLength} events`);

    const summaries = await commandSummaries(handle);
    assert.ok(summaries.length > 0 && summaries.every((s) => typeof s === 'string' && s.length > 0), String(summaries));
    assert.ok(summaries.includes('preflight: read the cluster state of meta-slow'), String(summaries));
    assert.ok(summaries.includes('send the planned failover request to meta-slow (one attempt)'), String(summaries));
  });

  it('a terminated run keeps the cluster held and its request unresolved; the next run takes over and is refused by that request', async () => {
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
    // Nothing releases a terminated run's hold: the next run proves it closed and takes over.
    const ledger = await ledgerOf('meta-killed').query(ledgerQuery);
    assert.equal(ledger.holder?.workflowId, first.workflowId);
    const entry = ledger.entries.find((candidate) => candidate.workflowId === first.workflowId);
    assert.equal(entry?.state, 'claimed', 'the request may be out: unresolved until the cluster proves it');
    // The next run takes over the hold (the terminated run is closed) and is refused by the
    // terminated run's unresolved request, which it names; it sends nothing.
    const second = await lab.start({ target: 'meta-killed', planned: true, dryRun: true });
    const { failure } = await failureOf(second, 'UnresolvedFailover');
    assert.match(failure.message, new RegExp(`requested by ${first.workflowId} `));
    assert.doesNotMatch(failure.message, /busy/);
    assert.equal(lab.failoverPosts('meta-killed'), 1);
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
