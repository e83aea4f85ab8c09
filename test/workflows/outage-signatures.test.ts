/**
 * Whole runs on the real dev server and the simulator through the outage signatures of a real
 * vCenter (issue 22): Envoy's plain-text 503s while the API is down, an address that answers
 * nothing at all (a blackhole), and Envoy's 503 to the failover request itself. Each run ends true
 * with exactly one POST, within its deadlines, and follows at one request per poll interval.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import type { VchaFailoverWorkflow } from '../../src/contract';
import type { SimRequestRecord } from '../../src/simulator';
import { healthyNodes, startLab } from '../harness/lab';

/** Headers may take 30 s, but no exchange more than 2 s in all: only the hard deadline can end a blackholed request early. */
const TIMEOUTS = { connectMs: 1_000, headersMs: 30_000, totalMs: 2_000 };
const POLL_MS = 1_000;
const DEADLINES = { failover: '12s', healthy: '8s', stable: '3s' };
/** The deadlines above, end to end, plus what a run does around the follow (preflight, ledger, record). */
const BOUND_MS = 12_000 + 8_000 + 3_000 + 5_000;

/** How long the run took, by the server's start and close times. */
async function durationOf(handle: WorkflowHandle<VchaFailoverWorkflow>): Promise<number> {
  const description = await handle.describe();
  return description.closeTime!.getTime() - description.startTime.getTime();
}

/**
 * The follow's polls: the requests after the failover POST, a login counted with the read it was
 * made for (the one right after it); a login that failed is a poll of its own.
 */
function pollsAfterPost(log: SimRequestRecord[]): SimRequestRecord[] {
  const post = log.findIndex((r) => r.operation === 'cluster.failover');
  assert.ok(post >= 0, 'the cluster saw the POST');
  const after = log.slice(post + 1);
  return after.filter((r, i) => {
    const next = after[i + 1];
    const loginForNext =
      r.operation === 'session.create' &&
      r.status === 201 &&
      next !== undefined &&
      Date.parse(next.time) - Date.parse(r.time) < POLL_MS / 2;
    return !loginForNext;
  });
}

/**
 * Fails when a poll came less than half a poll interval after the one before it ended (a retry
 * burst): an answered request ends at once, a silent one at the client's hard deadline.
 */
function assertOnePollPerInterval(polls: SimRequestRecord[]): void {
  for (let i = 1; i < polls.length; i += 1) {
    const before = polls[i - 1]!;
    const gap = Date.parse(polls[i]!.time) - Date.parse(before.time);
    const ended = before.outcome === 'hang' ? TIMEOUTS.totalMs : before.durationMs;
    assert.ok(
      gap - ended >= POLL_MS / 2,
      `${before.operation} (${before.outcome}) then ${polls[i]!.operation} ${gap} ms apart: ` +
        polls.map((p) => `${p.time} ${p.operation} ${p.outcome}`).join(', '),
    );
  }
}

describe('outage signatures through a whole run', { concurrency: true }, async () => {
  const lab = await startLab({
    clusters: {
      envoyOutage: { nodes: healthyNodes(61), faults: { outageStyle: 'envoy-no-healthy-upstream' } },
      envoyConnect: { nodes: healthyNodes(62), faults: { outageStyle: 'envoy-connect-failure' } },
      blackhole: { nodes: healthyNodes(63), faults: { outageStyle: 'blackhole' } },
      envoyPost: {
        nodes: healthyNodes(64),
        faults: {
          rules: [
            { operation: 'cluster.failover', when: 'after', action: 'respond', body: 'envoy-no-healthy-upstream' },
          ],
        },
      },
    },
    timeouts: TIMEOUTS,
  });

  /**
   * Runs a planned failover of `target` and checks what every case must show: SUCCEEDED, exactly
   * one POST, within the deadlines; returns the result, its record and the cluster's request log.
   */
  async function succeedsWithOnePost(target: string, triggered: 'yes' | 'unknown') {
    const handle = await lab.start({ target, planned: true, pollInterval: '1s', deadlines: DEADLINES });
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.triggered, triggered);
    assert.equal(lab.failoverPosts(target), 1);
    const duration = await durationOf(handle);
    assert.ok(duration < BOUND_MS, `took ${duration} ms, more than the deadlines allow`);
    const record = lab.recorder.records.find((r) => r.workflowId === handle.workflowId);
    return { result, record, log: lab.sim.requestLog(target) };
  }

  for (const target of ['envoyOutage', 'envoyConnect'] as const) {
    it(`${target}: Envoy's 503s through the outage end SUCCEEDED with one POST, in bounded time`, async () => {
      const { result, log } = await succeedsWithOnePost(target, 'yes');
      const seen = result.observations.join('\n');
      assert.match(seen, /vCenter unreachable for \d+ s \(HTTP 503 from Envoy, no upstream\)/);
      const envoyAnswers = log.filter((r) => r.status === 503);
      assert.ok(envoyAnswers.length >= 1, 'the follow met Envoy during the outage');
      assertOnePollPerInterval(pollsAfterPost(log));
    });
  }

  it('a blackhole through the outage ends SUCCEEDED with one POST, each silent request cut at the hard deadline', async () => {
    const { result, log } = await succeedsWithOnePost('blackhole', 'yes');
    assert.match(result.observations.join('\n'), /vCenter unreachable for \d+ s \(no answer\)/);
    assert.ok(
      log.some((r) => r.outcome === 'hang'),
      'the follow met the blackhole',
    );
    assertOnePollPerInterval(pollsAfterPost(log));
  });

  it("Envoy's 503 to the failover request itself: never sent again, followed to SUCCEEDED with one POST", async () => {
    const { record } = await succeedsWithOnePost('envoyPost', 'unknown');
    assert.match(
      record?.observations.join('\n') ?? '',
      /may have reached vCenter envoyPost \(Envoy, in front of its API, answered HTTP 503 .*a proxy's retry cannot be ruled out/,
    );
  });
});
