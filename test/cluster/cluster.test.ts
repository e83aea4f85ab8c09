/**
 * The production topology: a real two-node Temporal cluster (the server release
 * TEMPORAL_SERVER_VERSION selects, on PostgreSQL, set up by the compose file's own steps), worker
 * replicas as separate processes, and the CLI and workers reaching the cluster through one balanced address. A planned
 * failover runs through its outage while a server node, a worker replica or the whole cluster is
 * killed; each run still ends SUCCEEDED with exactly one failover POST. A Schedule fires a fleet
 * of three on the cluster, and the CLI creates and triggers a schedule through the one address.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { FleetFailoverWorkflow, FleetTargetOutcome, VchaFailoverWorkflow } from '../../src/contract';
import { runCli } from '../cli/run-cli';
import { pollUntil } from '../harness/poll';
import { testEnv, uniqueTaskQueue, useTemporalServer } from '../harness/temporal';
import { startTemporalCluster, type ClusterNode } from '../harness/temporal-cluster';
import { startLab } from '../harness/lab';
import { startReplicas } from './replicas';

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  await pollUntil(condition, (met) => met, timeoutMs, 50, what);
}

/** An outage long enough to kill and lose a node inside it. */
const LONG_OUTAGE = { timing: { switchOutageMs: 8_000 } };

describe('on a two-node Temporal cluster', async () => {
  const startedAt = Date.now();
  const cluster = await startTemporalCluster({ log: (line) => process.stderr.write(`${line}\n`) });
  after(() => cluster.stop());
  process.stderr.write(`cluster ready in ${Date.now() - startedAt} ms (${cluster.serverVersion})\n`);
  useTemporalServer(cluster.address);
  const { client } = await testEnv();

  const lab = await startLab({
    runWorker: false,
    clusters: {
      nodeLoss: LONG_OUTAGE,
      replicaLoss: LONG_OUTAGE,
      fullRestart: LONG_OUTAGE,
      fleet1: {},
      fleet2: {},
      fleet3: {},
      scheduled: {},
    },
  });
  const taskQueue = uniqueTaskQueue('cluster');
  const replicaOptions = { taskQueue, targetsFile: lab.targetsFile, env: lab.targetsEnv };
  await startReplicas(2, replicaOptions);
  const nodeAt = (address: string): ClusterNode => cluster.nodes.find((node) => node.frontendAddress === address)!;
  const inOutage = (target: string) => until(() => !lab.sim.cluster(target).apiAvailable, `${target}'s outage`);
  const outageOver = (target: string) =>
    until(() => lab.sim.cluster(target).apiAvailable && lab.failoverPosts(target) === 1, `${target} back`);

  it('runs the release TEMPORAL_SERVER_VERSION selects, and the compose setup job is safe to run again', async () => {
    assert.equal(cluster.serverVersion, `temporal version ${cluster.serverRelease}`);
    const { serverVersion } = await client.connection.workflowService.getSystemInfo({});
    assert.equal(serverVersion, cluster.serverRelease);
    // Compose reruns the job on every `docker compose up`: an existing namespace and existing
    // search attributes must not fail it.
    await cluster.runComposeSetup();
  });

  it('completes a failover when the server node the workers are connected to is SIGKILLed mid-outage', async () => {
    const handle = await lab.start({ target: 'nodeLoss', planned: true, pollInterval: '1s' }, undefined, taskQueue);
    await inOutage('nodeLoss');
    // Every connection (both replicas, this test's client) goes through the balancer to one node.
    const connected = nodeAt(cluster.balancer.currentBackend());
    const other = cluster.nodes.find((node) => node !== connected)!;
    const before = cluster.balancer.openConnections();
    assert.ok(
      before[connected.frontendAddress]! >= 3,
      `both replicas and the client on one node: ${JSON.stringify(before)}`,
    );
    assert.equal(before[other.frontendAddress], 0, 'no connection to the other node yet');
    const acceptedByOther = cluster.balancer.acceptedConnections()[other.frontendAddress]!;
    await connected.kill('SIGKILL');
    // The workers reconnect through the same address and land on the surviving node.
    await until(
      () => cluster.balancer.acceptedConnections()[other.frontendAddress]! > acceptedByOther,
      'a reconnection to the surviving node',
    );
    await outageOver('nodeLoss');
    await connected.start();
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED', result.message);
    assert.equal(result.activeAfter, result.before?.passiveNode);
    assert.equal(lab.failoverPosts('nodeLoss'), 1);
    // The restarted node gets no connection back: clients stay where they reconnected.
    assert.equal(cluster.balancer.openConnections()[connected.frontendAddress], 0);
  });

  it('completes a failover when the worker replica running it is SIGKILLed mid-outage', async () => {
    // A queue of its own, served by one replica until the request is sent, so that replica holds
    // the run and its follow activity; a second one joins before the kill and must take over.
    const queue = uniqueTaskQueue('cluster-replica');
    const [first] = await startReplicas(1, { ...replicaOptions, taskQueue: queue });
    const handle = await lab.start({ target: 'replicaLoss', planned: true, pollInterval: '1s' }, undefined, queue);
    await until(() => lab.failoverPosts('replicaLoss') === 1, 'the failover request');
    await startReplicas(1, { ...replicaOptions, taskQueue: queue });
    await inOutage('replicaLoss');
    await first!.kill('SIGKILL');
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED', result.message);
    assert.equal(result.activeAfter, result.before?.passiveNode);
    assert.equal(lab.failoverPosts('replicaLoss'), 1);
  });

  it('completes a failover when the whole cluster restarts mid-outage', async () => {
    const handle = await lab.start({ target: 'fullRestart', planned: true, pollInterval: '1s' }, undefined, taskQueue);
    await inOutage('fullRestart');
    await Promise.all(cluster.nodes.map((node) => node.kill('SIGKILL')));
    assert.deepEqual(
      cluster.nodes.map((node) => node.running()),
      [false, false],
    );
    await Promise.all(cluster.nodes.map((node) => node.start()));
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED', result.message);
    assert.equal(result.activeAfter, result.before?.passiveNode);
    assert.equal(lab.failoverPosts('fullRestart'), 1);
  });

  it('fires a Schedule that runs a fleet of three targets to completion', async () => {
    const scheduleId = `cluster-fleet-${Date.now()}`;
    const schedule = await client.schedule.create({
      scheduleId,
      // Fires on its own within five seconds, once: the server's scheduler runs it, not a trigger.
      spec: { intervals: [{ every: '5s' }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'fleetFailover',
        taskQueue,
        workflowId: `${scheduleId}-run`,
        args: [{ targets: ['fleet1', 'fleet2', 'fleet3'], planned: true, pollInterval: '1s', concurrency: 3 }],
      },
      state: { remainingActions: 1 },
    });
    try {
      const described = await pollUntil(
        () => schedule.describe(),
        (d) => d.info.recentActions.length > 0,
        30_000,
        250,
        'the schedule firing',
      );
      const workflowId = described.info.recentActions[0]!.action.workflow.workflowId;
      const result = await client.workflow.getHandle<FleetFailoverWorkflow>(workflowId).result();
      const outcomes = Object.fromEntries(result.outcomes.map((o: FleetTargetOutcome) => [o.target, o.outcome]));
      assert.deepEqual(outcomes, { fleet1: 'SUCCEEDED', fleet2: 'SUCCEEDED', fleet3: 'SUCCEEDED' });
      for (const target of ['fleet1', 'fleet2', 'fleet3']) assert.equal(lab.failoverPosts(target), 1, target);
    } finally {
      await schedule.delete();
    }
  });

  it('lets the CLI create and trigger a schedule through the one address', async () => {
    const cliEnv = {
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_NAMESPACE: cluster.namespace,
      VCHA_TASK_QUEUE: taskQueue,
    };
    const scheduleId = 'vcha-failover-scheduled';
    const cli = async (...args: string[]) => {
      const result = await runCli(args, cliEnv);
      assert.equal(result.code, 0, `${args.join(' ')}\n${result.stdout}${result.stderr}`);
      return result.stdout;
    };
    await cli(
      'schedule',
      'create',
      '--target',
      'scheduled',
      '--calendar',
      'dayOfMonth=1;hour=3;minute=0',
      '--timezone',
      'UTC',
    );
    try {
      const triggered = await cli('schedule', 'trigger', scheduleId);
      const runWorkflowId = /^Triggered schedule \S+: started run (\S+)$/m.exec(triggered)?.[1] ?? '';
      assert.ok(runWorkflowId.startsWith(`${scheduleId}-`), triggered);
      const result = await client.workflow.getHandle<VchaFailoverWorkflow>(runWorkflowId).result();
      assert.equal(result.outcome, 'SUCCEEDED', result.message);
      assert.equal(lab.failoverPosts('scheduled'), 1);
    } finally {
      await cli('schedule', 'delete', scheduleId);
    }
  });
});
