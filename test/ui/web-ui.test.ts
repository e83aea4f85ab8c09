/**
 * End to end through the Temporal Web UI in a real browser: an operator starts `vchaFailover`
 * from the UI's "Start a Workflow" form, the failover worker runs it against the simulator, and
 * the UI shows the run as Completed. Uses a dev server of its own because the shared one is
 * headless.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Browser, Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../../src/simulator';
import {
  clusterIdentityOf,
  clusterLedgerWorkflowId,
  failoverUserMetadata,
  type VchaFailoverWorkflow,
} from '../../src/contract';
import { uniqueTaskQueue } from '../harness/temporal';
import { FAST_TIMING, member, runFailoverWorker, targetsFor, ha } from '../harness/lab';
import { MemoryRecorder } from '../harness/recorder';
import { launchChromium } from './browser';
import { startUiDevServer, type UiDevServer } from './ui-dev-server';
import {
  startWorkflowThroughForm,
  waitForListedRow,
  waitForResultText,
  waitForStatusInUi,
  waitForUserMetadataInUi,
  workflowPageUrl,
} from './workflow-pages';

const CLUSTER = 'vc-ui-lab';
/** A cluster whose failover takes long enough to look at the run page while it runs. */
const SLOW_CLUSTER = 'vc-ui-slow';
/** Screenshots the tests keep as artefacts (ignored by git). */
const ARTEFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'web-ui');
/** Bounds every wait so a stuck UI fails the test instead of hanging it, even on two loaded cores. */
const UI_WAIT_MS = 90_000;

describe('Temporal Web UI', { timeout: 300_000 }, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  let server: UiDevServer;
  let client: Client;
  let sim: Simulator;
  let taskQueue: string;
  let recorder: MemoryRecorder;
  let browser: Browser;
  let page: Page;

  before(async () => {
    // Worker lifecycle and activity logs at INFO would bury the test report; errors still show.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    server = await startUiDevServer();
    cleanups.push(() => server.stop());
    const connection = await Connection.connect({ address: server.address });
    cleanups.push(() => connection.close());
    client = new Client({ connection, namespace: server.namespace });

    sim = await startSimulator({
      clusters: {
        [CLUSTER]: {
          nodes: {
            node1: member('10.90.0.1', 'ACTIVE'),
            node2: member('10.90.0.2', 'PASSIVE'),
            witness: member('10.90.0.3', 'WITNESS'),
          },
        },
        [SLOW_CLUSTER]: {
          nodes: {
            node1: member('10.91.0.1', 'ACTIVE'),
            node2: member('10.91.0.2', 'PASSIVE'),
            witness: member('10.91.0.3', 'WITNESS'),
          },
          timing: { flushMs: 45_000 },
        },
      },
      timing: FAST_TIMING,
    });
    cleanups.push(() => sim.close());

    const nativeConnection = await NativeConnection.connect({ address: server.address });
    cleanups.push(() => nativeConnection.close());
    taskQueue = uniqueTaskQueue('ui-failover');
    recorder = new MemoryRecorder();
    await runFailoverWorker(
      {
        connection: nativeConnection,
        client,
        namespace: server.namespace,
        taskQueue,
        targets: (await targetsFor(sim)).registry,
        recorder,
      },
      (stop) => cleanups.push(stop),
    );

    browser = await launchChromium();
    cleanups.push(() => browser.close());
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(30_000);
    page.setDefaultNavigationTimeout(60_000);
  });

  // Newest first: the browser and worker go before the connections and server they use. Every
  // cleanup runs even when an earlier one fails, so nothing is left running.
  after(async () => {
    const failures: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length) throw new AggregateError(failures, 'Cleaning up the Web UI test failed');
  });

  it('starts a planned failover from the Start Workflow form and shows it Completed', async (t) => {
    assert.equal(server.settings.StartWorkflowDisabled, false, `the UI ${server.settings.Version} allows starts`);
    const workflowId = `ui-failover-${randomUUID()}`;
    try {
      const runId = await startWorkflowThroughForm(page, server.uiUrl, {
        namespace: server.namespace,
        workflowId,
        taskQueue,
        workflowType: 'vchaFailover',
        input: { target: CLUSTER, planned: true, pollInterval: '1s' },
      });

      const handle = client.workflow.getHandle<VchaFailoverWorkflow>(workflowId, runId);
      const description = await handle.describe();
      assert.equal(description.type, 'vchaFailover');
      assert.equal(description.taskQueue, taskQueue);

      const url = workflowPageUrl(server.uiUrl, server.namespace, workflowId, runId);
      await waitForStatusInUi(page, url, 'Completed', UI_WAIT_MS);
      assert.match(await waitForResultText(page, /"outcome":\s*"SUCCEEDED"/, 30_000), /"outcome":\s*"SUCCEEDED"/);

      const result = await handle.result();
      assert.equal(result.outcome, 'SUCCEEDED');
      assert.equal(result.target, CLUSTER);
      assert.equal(result.planned, true);
      assert.equal(result.activeBefore, ha('10.90.0.1'));
      assert.equal(result.activeAfter, ha('10.90.0.2'));
      assert.equal(sim.counters(CLUSTER).failoverPosts, 1, 'the form started exactly one failover');
      assert.equal(recorder.records.find((r) => r.workflowId === workflowId)?.outcome, 'SUCCEEDED');
    } catch (error) {
      const dir = mkdtempSync(path.join(tmpdir(), 'vcha-web-ui-'));
      const file = path.join(dir, 'workflow-page.png');
      await page.screenshot({ path: file, fullPage: true }).then(
        () => t.diagnostic(`screenshot of the page at failure: ${file}`),
        (shotError: unknown) => t.diagnostic(`no screenshot: ${String(shotError)}`),
      );
      throw error;
    }
  });

  it("shows the summary and the current details while it runs, and the cluster's ledger in the list", async () => {
    const workflowId = `ui-summary-${randomUUID()}`;
    const input = {
      target: SLOW_CLUSTER,
      planned: true,
      reason: 'host patching',
      requestedBy: 'jdoe',
      pollInterval: '1s',
    };
    const metadata = failoverUserMetadata(input, 'the vcha-failover CLI');
    const handle = await client.workflow.start<VchaFailoverWorkflow>('vchaFailover', {
      taskQueue,
      workflowId,
      args: [input],
      ...metadata,
    });
    mkdirSync(ARTEFACTS, { recursive: true });
    const listUrl = `${server.uiUrl}/namespaces/${server.namespace}/workflows`;
    // The list of UI 2.42 has no summary column (only search attributes can be added): it shows the
    // run and its cluster's ledger (which holds the lock), both Running; the summary is on the run page.
    const ledgerId = clusterLedgerWorkflowId(clusterIdentityOf([ha('10.91.0.1'), ha('10.91.0.2'), ha('10.91.0.3')])!);
    await waitForListedRow(page, listUrl, workflowId, 'Running', UI_WAIT_MS);
    await waitForListedRow(page, listUrl, ledgerId, 'Running', UI_WAIT_MS);
    await page.screenshot({ path: path.join(ARTEFACTS, 'workflow-list-running.png'), fullPage: true });

    const url = workflowPageUrl(server.uiUrl, server.namespace, workflowId, handle.firstExecutionRunId);
    const shown = await waitForUserMetadataInUi(page, url, /Phase:\s*FAILING_OVER/, UI_WAIT_MS);
    assert.equal((await handle.describe()).status.name, 'RUNNING', 'the details were read while the run ran');
    await page.screenshot({ path: path.join(ARTEFACTS, 'run-user-metadata.png'), fullPage: true });
    assert.ok(shown.includes(metadata.staticSummary), `the summary panel: ${JSON.stringify(shown)}`);
    const details = shown.find((text) => /Target:/.test(text)) ?? assert.fail(`no details: ${JSON.stringify(shown)}`);
    assert.match(details, /Target:\s*vc-ui-slow/);
    assert.match(details, /Requested by:\s*jdoe/);
    const current = shown.find((text) => /Phase:/.test(text))!;
    assert.match(current, /Phase:\s*FAILING_OVER/);
    assert.match(current, /Observation:\s*following task task-\d+/);
    assert.match(current, /Timeline:\s*VALIDATING/);

    assert.equal((await handle.result()).outcome, 'SUCCEEDED');
    // After a normal failover nothing in the list reads as an accident: the ledger runs on, as it always does.
    const ledgerRow = await waitForListedRow(page, listUrl, ledgerId, 'Running', UI_WAIT_MS);
    assert.doesNotMatch(ledgerRow, /Terminated|Failed/);
    await page.screenshot({ path: path.join(ARTEFACTS, 'workflow-list-after.png'), fullPage: true });
  });
});
