/**
 * End to end through the Temporal Web UI in a real browser: an operator starts `vchaFailover`
 * from the UI's "Start a Workflow" form, the failover worker runs it against the simulator, and
 * the UI shows the run as Completed. Uses a dev server of its own because the shared one is
 * headless.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Browser, Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../../src/simulator';
import { createFailoverWorker, type FailoverWorker } from '../../src/worker/create-worker';
import type { VchaFailoverWorkflow } from '../../src/contract';
import { uniqueTaskQueue, workflowBundle } from '../harness/temporal';
import { FAST_TIMING, member, MemoryRecorder, targetsFor } from '../workflow/lab';
import { launchChromium } from './browser';
import { startUiDevServer, type UiDevServer } from './ui-dev-server';
import { startWorkflowThroughForm, waitForResultText, waitForStatusInUi, workflowPageUrl } from './workflow-pages';

const CLUSTER = 'vc-ui-lab';
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
      },
      timing: FAST_TIMING,
    });
    cleanups.push(() => sim.close());

    const nativeConnection = await NativeConnection.connect({ address: server.address });
    cleanups.push(() => nativeConnection.close());
    taskQueue = uniqueTaskQueue('ui-failover');
    recorder = new MemoryRecorder();
    const failoverWorker: FailoverWorker = await createFailoverWorker({
      connection: nativeConnection,
      client,
      namespace: server.namespace,
      taskQueue,
      targets: (await targetsFor(sim)).registry,
      recorder,
      workflowBundle: await workflowBundle(),
    });
    const running = failoverWorker.worker.run();
    cleanups.push(async () => {
      failoverWorker.worker.shutdown();
      await running;
      await failoverWorker.close();
    });

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
      assert.equal(result.activeBefore, '10.90.0.1');
      assert.equal(result.activeAfter, '10.90.0.2');
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
});
