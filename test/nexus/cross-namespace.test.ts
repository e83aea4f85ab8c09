/**
 * The `vcha` Nexus service across namespaces on the dev server: an endpoint created with
 * `temporal operator nexus endpoint create` routes to the failover worker's task queue, and a
 * workflow in another namespace (created here) fails over, cancels, meets failures and approves
 * through it against the simulator.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { Client, type Workflow, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import Ajv2020 from 'ajv/dist/2020';
import type { FailoverRecord, FleetTargetOutcome, VchaFailoverWorkflow } from '../../src/contract';
import { resolveTemporalCli } from '../../src/devtools/temporal-cli';
import { nexusOperationJsonSchemas, nexusSchemaFile } from '../../src/nexus/json-schemas';
import type { NexusOperationName } from '../../src/nexus/operation-inputs';
import { onTeardown, testEnv, testServerAddress, uniqueTaskQueue } from '../harness/temporal';
import { pollUntil } from '../harness/poll';
import { failureOf } from '../workflows/assertions';
import { member, startLab, ha, haRe } from '../harness/lab';
import { waitForPhase } from '../workflows/wait';
import type * as callers from './caller-workflows';

/** The caller workflows that take the endpoint and one operation's input. */
type OperationCaller = 'callFailover' | 'callFailoverThenCancel' | 'callMaintenance' | 'callReadiness' | 'callApprove';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..');

const healthyNodes = (n: number, witness: 'UP' | 'DOWN' = 'UP') => ({
  node1: member(`10.${n}.0.1`, 'ACTIVE'),
  node2: member(`10.${n}.0.2`, 'PASSIVE'),
  witness: member(`10.${n}.0.3`, 'WITNESS', witness),
});

const ajv = new Ajv2020({ strict: false });
const schemas = nexusOperationJsonSchemas();

/** Asserts that an operation's output is what its published JSON Schema describes. */
function assertPublishedShape(operation: NexusOperationName, output: unknown): void {
  const validate = ajv.compile(schemas[nexusSchemaFile(operation, 'output')]!);
  assert.ok(validate(output), `${operation} output: ${ajv.errorsText(validate.errors)}`);
}

/** Runs the temporal CLI against the shared dev server. */
async function temporalCli(...args: string[]): Promise<string> {
  const cli = resolveTemporalCli({ allowSdkDownload: false });
  const { stdout } = await run(cli.executable!, [...args, '--address', await testServerAddress()]);
  return stdout;
}

describe('the vcha Nexus service, called from another namespace', { concurrency: true }, async () => {
  const env = await testEnv();
  // Forced failovers need approval (the built-in policy); planned ones run at once.
  const lab = await startLab({
    clusters: {
      planned: { nodes: healthyNodes(1) },
      early: { nodes: healthyNodes(2), faults: { rules: [{ operation: 'cluster.get', action: 'hang' }] } },
      witnessDown: { nodes: healthyNodes(3, 'DOWN') },
      waiting: { nodes: healthyNodes(4) },
      ready: { nodes: healthyNodes(5) },
      notReady: { nodes: healthyNodes(6, 'DOWN') },
      maintained: { nodes: healthyNodes(7) },
      example: { nodes: healthyNodes(8) },
      exampleNotReady: { nodes: healthyNodes(9, 'DOWN') },
    },
    policy: {},
  });

  const suffix = randomUUID().slice(0, 8);
  const callerNamespace = `nexus-caller-${suffix}`;
  const endpoint = `vcha-test-${suffix}`;
  await temporalCli('operator', 'namespace', 'create', '--namespace', callerNamespace, '--retention', '24h');
  await temporalCli(
    'operator',
    'nexus',
    'endpoint',
    'create',
    '--name',
    endpoint,
    '--target-namespace',
    env.namespace ?? 'default',
    '--target-task-queue',
    lab.taskQueue,
  );
  onTeardown(async () => {
    await temporalCli('operator', 'nexus', 'endpoint', 'delete', '--name', endpoint);
  });

  // The caller's worker: its own namespace, task queue and bundle.
  const callerQueue = uniqueTaskQueue('nexus-caller');
  const callerWorker = await Worker.create({
    connection: env.nativeConnection,
    namespace: callerNamespace,
    taskQueue: callerQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('./caller-workflows') }),
  });
  const callerRunning = callerWorker.run();
  onTeardown(async () => {
    callerWorker.shutdown();
    await callerRunning;
  });
  const callerClient = new Client({ connection: env.connection, namespace: callerNamespace });
  let sequence = 0;
  const call = async <F extends Workflow>(workflow: string, args: Parameters<F>): Promise<WorkflowHandle<F>> =>
    (await callerClient.workflow.start<Workflow>(workflow, {
      taskQueue: callerQueue,
      workflowId: `nexus-caller-${suffix}-${++sequence}`,
      args: [...args],
    })) as WorkflowHandle<F>;
  /** Starts a caller workflow that calls the endpoint's operation with `input`. */
  const callEndpoint = <K extends OperationCaller>(workflow: K, input: Parameters<(typeof callers)[K]>[1]) =>
    call<(typeof callers)[K]>(workflow, [endpoint, input] as Parameters<(typeof callers)[K]>);
  const failoverRun = (workflowId: string): WorkflowHandle<VchaFailoverWorkflow> =>
    env.client.workflow.getHandle<VchaFailoverWorkflow>(workflowId);
  /** The run an operation starts, once the server knows it (the caller's workflow starts it). */
  const startedRun = async (workflowId: string) => {
    const handle = failoverRun(workflowId);
    await pollUntil(
      () => handle.describe().catch(() => undefined),
      (described) => described !== undefined,
      30_000,
      100,
      `run ${workflowId} started through Nexus`,
    );
    return handle;
  };

  it('starts a failover through the endpoint and gets the record', async () => {
    const workflowId = `nexus-failover-${suffix}`;
    const caller = await callEndpoint('callFailover', {
      workflowId,
      input: { target: 'planned', planned: true, reason: 'patching', requestedBy: 'team-b', pollInterval: '1s' },
    });
    const { result, failure } = await caller.result();
    assert.equal(failure, undefined, JSON.stringify(failure));
    assert.equal(result?.outcome, 'SUCCEEDED');
    assert.equal(result?.triggered, 'yes');
    assert.equal(result?.activeBefore, ha('10.1.0.1'));
    assert.equal(result?.activeAfter, ha('10.1.0.2'));
    assert.deepEqual(result, await failoverRun(workflowId).result(), 'the caller gets the run record');
    assertPublishedShape('failover', result);
    assert.equal(lab.failoverPosts('planned'), 1);
  });

  it("carries the caller's cancel before the send to the run: it ends Cancelled, nothing sent", async () => {
    const workflowId = `nexus-cancel-${suffix}`;
    const caller = await callEndpoint('callFailoverThenCancel', {
      workflowId,
      input: { target: 'early', planned: true, pollInterval: '1s' },
    });
    await waitForPhase(await startedRun(workflowId), 'PREFLIGHT');
    await caller.signal('cancelCall');
    const { failure: runFailure, record } = await failureOf(failoverRun(workflowId), 'Cancelled');
    assert.equal(record?.triggered, 'no');
    assert.equal(lab.failoverPosts('early'), 0);
    // The caller sees the run's own Cancelled failure and record, as a cancelled child's parent would.
    const { result, failure } = await caller.result();
    assert.equal(result, undefined);
    assert.equal(failure?.error, 'NexusOperationFailure');
    assert.equal(failure?.chain[0]?.type, 'Cancelled', JSON.stringify(failure));
    assert.equal(failure?.chain[0]?.message, runFailure.message);
    assert.equal((failure?.chain[0]?.details?.[0] as FailoverRecord | undefined)?.triggered, 'no');
    lab.sim.cluster('early').configure({ faults: { rules: [] } });
  });

  for (const [name, target, type] of [
    ['a preflight rejection', 'witnessDown', 'PreflightRejected'],
    ['an unknown target', 'nowhere', 'UnknownTarget'],
  ] as const) {
    it(`shows ${name} as the ${type} a child would see`, async () => {
      const workflowId = `nexus-${type}-${suffix}`;
      const caller = await callEndpoint('callFailover', {
        workflowId,
        input: { target, planned: true, pollInterval: '1s' },
      });
      const { result, failure } = await caller.result();
      assert.equal(result, undefined);
      // A child's ChildWorkflowFailure.cause is the run's own failure: the caller's cause is the same.
      const { failure: runFailure } = await failureOf(failoverRun(workflowId), type);
      assert.equal(failure?.error, 'NexusOperationFailure');
      const [cause] = failure?.chain ?? [];
      assert.equal(cause?.class, 'ApplicationFailure', JSON.stringify(failure));
      assert.equal(cause?.type, type);
      assert.equal(cause?.message, runFailure.message);
      assert.equal(cause?.nonRetryable, true);
      assert.deepEqual(cause?.details, JSON.parse(JSON.stringify(runFailure.details)));
    });
  }

  it('refuses an invalid input at the boundary as InvalidInput, naming the field, and starts nothing', async () => {
    // A failure raised by the handler itself arrives as Nexus's OperationError around it.
    const workflowId = `nexus-invalid-${suffix}`;
    const caller = await callEndpoint('callFailover', { workflowId, input: { target: 'planned', planned: false } });
    const { failure } = await caller.result();
    assert.equal(failure?.error, 'NexusOperationFailure');
    assert.deepEqual(
      failure?.chain.map((cause) => cause.type),
      ['OperationError', 'InvalidInput'],
      JSON.stringify(failure),
    );
    assert.equal(failure?.chain[1]?.nonRetryable, true);
    assert.match(
      failure?.chain[1]?.message ?? '',
      /invalid failover input: input\.acceptDataLoss: a forced failover \(planned: false\) can lose data/,
    );
    await assert.rejects(env.client.workflow.getHandle(workflowId).describe(), /not found/i);
  });

  it('checks readiness with a dry run: one outcome per target, nothing sent', async () => {
    const caller = await callEndpoint('callReadiness', {
      targets: ['ready', 'notReady'],
      workflowId: `nexus-readiness-${suffix}`,
    });
    const { result, failure } = await caller.result();
    assert.equal(failure, undefined, JSON.stringify(failure));
    assert.deepEqual(
      result?.outcomes.map((o: FleetTargetOutcome) => [o.target, o.outcome]),
      [
        ['ready', 'DRY_RUN_PASSED'],
        ['notReady', 'PreflightRejected'],
      ],
    );
    assert.deepEqual(result?.outcomes[1]?.failedChecks, ['witness-up']);
    assertPublishedShape('readiness', result);
    assert.equal(lab.failoverPosts('ready'), 0);
    assert.equal(lab.failoverPosts('notReady'), 0);
  });

  it('runs a maintenance: a failover, the window, a failback, one record', async () => {
    const workflowId = `nexus-maintenance-${suffix}`;
    const caller = await callEndpoint('callMaintenance', {
      workflowId,
      input: {
        target: 'maintained',
        reason: 'patch node1',
        maxDuration: '1s',
        onMaxDuration: 'failback',
        pollInterval: '1s',
      },
    });
    const { result, failure } = await caller.result();
    assert.equal(failure, undefined, JSON.stringify(failure));
    assert.equal(result?.outcome, 'SUCCEEDED');
    assert.deepEqual(
      result?.legs.map((leg) => [leg.leg, leg.workflowId, leg.outcome]),
      [
        ['failover', `${workflowId}/failover`, 'SUCCEEDED'],
        ['failback', `${workflowId}/failback`, 'SUCCEEDED'],
      ],
    );
    assert.equal(result?.activeAtEnd, ha('10.7.0.1'));
    assert.equal(lab.failoverPosts('maintained'), 2);
    assertPublishedShape('maintenance', result);
  });

  it('runs the example caller of docs/nexus.md: a failover, then a failure by its type', async () => {
    const example = readFileSync(path.join(root, 'examples', 'nexus-patch-then-failover.ts'), 'utf8');
    const snippet = example.split('// snippet:start\n')[1]!.split('// snippet:end')[0]!;
    assert.ok(
      readFileSync(path.join(root, 'docs', 'nexus.md'), 'utf8').includes(snippet),
      'docs/nexus.md shows the example',
    );

    const done = await call<typeof callers.patchVcenterNodeThroughNexus>('patchVcenterNodeThroughNexus', [
      { endpoint, target: 'example', ticket: `CHG-${suffix}` },
    ]);
    assert.match(
      await done.result(),
      new RegExp(String.raw`^patch ${haRe('10.8.0.1')} now: ${haRe('10.8.0.2')} is active \(task-`),
    );
    const refused = await call<typeof callers.patchVcenterNodeThroughNexus>('patchVcenterNodeThroughNexus', [
      { endpoint, target: 'exampleNotReady', ticket: `CHG-${suffix}` },
    ]);
    await assert.rejects(refused.result(), (error: Error) => {
      assert.match(String((error.cause as Error | undefined)?.message), /^failover not done \(PreflightRejected\): /);
      return true;
    });
    assert.equal(lab.failoverPosts('exampleNotReady'), 0);
  });

  it('approves a waiting forced failover: the requester is refused, another approver lets it run', async () => {
    const workflowId = `nexus-approval-${suffix}`;
    const failover = await callEndpoint('callFailover', {
      workflowId,
      input: { target: 'waiting', planned: false, acceptDataLoss: true, requestedBy: 'alice', pollInterval: '1s' },
    });
    await waitForPhase(await startedRun(workflowId), 'AWAITING_APPROVAL');
    assert.equal(lab.failoverPosts('waiting'), 0);

    // A second start under the same workflow id is refused by the server: nothing else starts.
    const twice = await callEndpoint('callFailover', { workflowId, input: { target: 'waiting', planned: true } });
    const duplicate = await twice.result();
    assert.equal(duplicate.failure?.error, 'NexusOperationFailure', JSON.stringify(duplicate));
    assert.equal(duplicate.failure?.chain[0]?.class, 'HandlerError', JSON.stringify(duplicate));
    assert.match(duplicate.failure?.chain.at(-1)?.message ?? '', /already started/);

    const selfApproval = await callEndpoint('callApprove', { workflowId, approver: 'alice' });
    const refused = await selfApproval.result();
    assert.deepEqual(
      refused.failure?.chain.map((cause) => cause.type),
      ['OperationError', 'ApprovalRefused'],
      JSON.stringify(refused),
    );
    assert.match(refused.failure?.chain[1]?.message ?? '', /alice requested this failover and cannot approve it/);

    const approval = await callEndpoint('callApprove', { workflowId, approver: 'bob', comment: 'CHG-42' });
    const approved = await approval.result();
    assert.equal(approved.failure, undefined, JSON.stringify(approved.failure));
    assert.equal(approved.result?.state, 'approved');
    assert.equal(approved.result?.by, 'bob');
    assert.equal(approved.result?.comment, 'CHG-42');
    assertPublishedShape('approve', approved.result);

    const { result, failure } = await failover.result();
    assert.equal(failure, undefined, JSON.stringify(failure));
    assert.equal(result?.outcome, 'SUCCEEDED');
    assert.equal(result?.approval?.by, 'bob');
    assertPublishedShape('failover', result);
    assert.equal(lab.failoverPosts('waiting'), 1);
  });
});
