/**
 * `npm run demo`: the whole product on embedded defaults. Starts (or reuses) a local Temporal dev
 * server with its Web UI and a SQLite file under `.data/`, the vCenter simulator with a lab of
 * three clusters, and the worker; runs one planned failover with live progress, then a
 * maintenance round trip (fail over, patch, fail back; skip it with `--no-maintenance`); then
 * keeps everything up for the Web UI until Ctrl-C, which stops what it started.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { DEFAULT_AUDIT_TABLE, openAuditStore } from '../audit';
import { processIo, printLines } from '../cli/io';
import { renderEnding } from '../cli/outcome';
import { watchRun } from '../cli/watch';
import { loadTargetsFile } from '../config';
import { freePort, startDevServer, type DevServer } from '../devtools/dev-server';
import { resolveTemporalCli } from '../devtools/temporal-cli';
import { projectRoot } from '../paths';
import { loadScenarioFile, startSimulator } from '../simulator';
import { createFailoverWorker } from '../worker/create-worker';
import { endingOf, maintenanceLines } from '../cli/maintenance-run';
import {
  memoFields,
  WORKFLOW_TYPES,
  DEFAULT_TASK_QUEUE,
  failoverUserMetadata,
  maintenanceDoneUpdate,
  maintenanceStatusQuery,
  maintenanceUserMetadata,
  type VchaFailoverWorkflow,
  type VchaMaintenanceWorkflow,
} from '../contract';

/** The dev server's usual ports; the demo reuses a server already there, or starts one on them when free. */
const DEFAULT_GRPC_PORT = 7233;
const DEFAULT_UI_PORT = 8233;
/** A real failover takes minutes; a tenth of that keeps the demo short but still visible. */
const DEMO_TIME_SCALE = 0.1;
const DEMO_TARGET = 'lab-01';
/** The maintenance step's target: lab-02 carries the scenario's refusal faults. */
const MAINTENANCE_TARGET = 'lab-03';
/** How long the demo "patches" the passive node before it says the maintenance is done. */
const DEMO_PATCH_MS = 3_000;
const PASSWORD_ENV = 'VCHA_DEMO_PASSWORD';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function answers(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1_000 });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

async function portIsFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The server to use: one already answering on 7233, or a new one with the UI and a SQLite file. */
async function temporalServer(dataDir: string): Promise<{ address: string; uiUrl: string; started?: DevServer }> {
  const existing = `127.0.0.1:${DEFAULT_GRPC_PORT}`;
  if (await answers(existing)) {
    say(`Temporal: reusing the server at ${existing}`);
    return { address: existing, uiUrl: `http://127.0.0.1:${DEFAULT_UI_PORT}` };
  }
  const cli = resolveTemporalCli({ allowSdkDownload: false, log: (line) => say(line) });
  const port = (await portIsFree(DEFAULT_GRPC_PORT)) ? DEFAULT_GRPC_PORT : await freePort();
  const uiPort = (await portIsFree(DEFAULT_UI_PORT)) ? DEFAULT_UI_PORT : await freePort();
  const server = await startDevServer({
    executable: cli.executable!,
    port,
    uiPort,
    dbFilename: path.join(dataDir, 'temporal-dev.sqlite'),
  });
  say(`Temporal: started a dev server at ${server.address} (state in .data/temporal-dev.sqlite)`);
  return { address: server.address, uiUrl: server.uiUrl!, started: server };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const root = projectRoot();
  const dataDir = path.join(root, '.data');
  mkdirSync(dataDir, { recursive: true });
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };

  try {
    const server = await temporalServer(dataDir);
    if (server.started) cleanups.push(() => server.started!.stop());

    const scenario = await loadScenarioFile(path.join(root, 'src', 'simulator', 'scenarios', 'lab.json'));
    const sim = await startSimulator({
      clusters: scenario.clusters,
      users: scenario.users,
      username: scenario.username,
      password: scenario.password,
      timeScale: DEMO_TIME_SCALE,
    });
    cleanups.push(() => sim.close());
    say(
      `Simulator: ${sim
        .clusterNames()
        .map((name) => `${name} ${sim.urlFor(name)}`)
        .join(', ')}`,
    );

    // The worker reads its targets the way production does: a file naming an env var for the secret.
    const targetsFile = path.join(dataDir, 'demo-targets.json');
    const targets = Object.fromEntries(
      sim
        .clusterNames()
        .map((name) => [name, { url: sim.urlFor(name), username: sim.username, passwordEnv: PASSWORD_ENV }]),
    );
    writeFileSync(targetsFile, `${JSON.stringify({ targets }, null, 2)}\n`);
    const registry = await loadTargetsFile(targetsFile, { [PASSWORD_ENV]: sim.password });

    const nativeConnection = await NativeConnection.connect({ address: server.address });
    const connection = await Connection.connect({ address: server.address });
    cleanups.push(async () => {
      await connection.close();
      await nativeConnection.close();
    });
    const client = new Client({ connection });
    await abandonEarlierDemoRuns(client);

    const recorder = await openAuditStore({
      kind: 'sqlite',
      path: path.join(dataDir, 'vcha-audit.sqlite'),
      table: DEFAULT_AUDIT_TABLE,
    });
    const failoverWorker = await createFailoverWorker({
      connection: nativeConnection,
      client,
      taskQueue: DEFAULT_TASK_QUEUE,
      targets: registry,
      recorder,
      // The demo's clock runs ten times fast: heartbeats reach the server as often, so the live
      // view still shows each stage (VERIFYING lasts a few seconds here).
      workerOptions: { maxHeartbeatThrottleInterval: '1s' },
    });
    const running = failoverWorker.run();
    cleanups.push(async () => {
      failoverWorker.shutdown();
      await running;
      await failoverWorker.close();
    });
    say(`Worker: task queue ${DEFAULT_TASK_QUEUE}, targets ${registry.names().join(', ')}`);

    const workflowId = `demo-failover-${DEMO_TARGET}-${Date.now()}`;
    const demoInput = {
      target: DEMO_TARGET,
      planned: true,
      reason: 'demo',
      requestedBy: 'npm run demo',
      pollInterval: '2s',
    };
    const handle = await client.workflow.start<VchaFailoverWorkflow>(WORKFLOW_TYPES.failover, {
      taskQueue: DEFAULT_TASK_QUEUE,
      workflowId,
      args: [demoInput],
      memo: memoFields({ startedBy: 'cli', reason: demoInput.reason, requestedBy: demoInput.requestedBy }),
      ...failoverUserMetadata(demoInput, 'npm run demo'),
    });
    say(`\nPlanned failover of ${DEMO_TARGET}: workflow ${workflowId}`);
    const io = processIo();
    const ending = await watchRun(client, handle, io);
    printLines(io, renderEnding(ending));
    say(`\nWeb UI: ${server.uiUrl}/namespaces/default/workflows/${workflowId}`);
    if (!process.argv.includes('--no-maintenance')) await maintenanceRoundTrip(client, server.uiUrl);
    say('Outcome records: .data/vcha-audit.sqlite (see them with `npm run cli -- history`)');
    say('Everything keeps running for the Web UI and `npm run cli`; press Ctrl-C to stop.');

    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    say('\nStopping the worker, the simulator and the dev server…');
  } finally {
    await stopAll();
  }
}

/** The second step: vchaMaintenance on lab-03, "patching" for a few seconds, then the failback. */
async function maintenanceRoundTrip(client: Client, uiUrl: string): Promise<void> {
  const workflowId = `demo-maintenance-${MAINTENANCE_TARGET}-${Date.now()}`;
  const handle = await client.workflow.start<VchaMaintenanceWorkflow>(WORKFLOW_TYPES.maintenance, {
    taskQueue: DEFAULT_TASK_QUEUE,
    workflowId,
    args: [
      {
        target: MAINTENANCE_TARGET,
        reason: 'demo: patch the active node',
        requestedBy: 'npm run demo',
        pollInterval: '2s',
      },
    ],
    memo: memoFields({ startedBy: 'cli', reason: 'demo: patch the active node', requestedBy: 'npm run demo' }),
    ...maintenanceUserMetadata(
      { target: MAINTENANCE_TARGET, reason: 'demo: patch the active node', requestedBy: 'npm run demo' },
      'npm run demo',
    ),
  });
  say(`\nMaintenance of ${MAINTENANCE_TARGET}: workflow ${workflowId}`);
  let shown = '';
  let doneSent = false;
  for (;;) {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') break;
    const status = await handle.query(maintenanceStatusQuery).catch(() => undefined);
    const line = status ? `[${status.phase}] ${status.observation}` : '';
    if (line && line !== shown) say(line);
    shown = line || shown;
    if (status?.phase === 'IN_MAINTENANCE' && !doneSent) {
      say(`  (patching ${status.originalActive} for ${DEMO_PATCH_MS / 1_000} s, then: vcha-failover maintenance done)`);
      await new Promise((resolve) => setTimeout(resolve, DEMO_PATCH_MS));
      await handle.executeUpdate(maintenanceDoneUpdate, {
        args: [{ by: 'npm run demo', note: 'patched (simulated)' }],
      });
      doneSent = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const { record, message } = await endingOf(handle);
  if (!record) say(`  ended: ${message}`);
  if (record) for (const line of maintenanceLines(record)) say(line);
  say(`Web UI: ${uiUrl}/namespaces/default/workflows/${workflowId}`);
}

/**
 * Runs left over from an earlier demo that was stopped mid-failover target clusters of a
 * simulator that no longer exists: they could only time out while holding the lab's locks.
 */
async function abandonEarlierDemoRuns(client: Client): Promise<void> {
  const query = `(WorkflowType = '${WORKFLOW_TYPES.failover}' OR WorkflowType = '${WORKFLOW_TYPES.maintenance}') AND ExecutionStatus = 'Running' AND WorkflowId STARTS_WITH 'demo-'`;
  for await (const run of client.workflow.list({ query })) {
    await client.workflow
      .getHandle(run.workflowId, run.runId)
      .terminate('its demo simulator is gone')
      .catch(() => undefined);
    say(`Terminated ${run.workflowId}, left over from an earlier demo`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
