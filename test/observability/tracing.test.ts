/**
 * OpenTelemetry tracing end to end: a worker process and a `vcha-failover start --wait` process,
 * both pointed at an in-process OTLP receiver, run one planned failover against the simulator.
 * The spans form one trace: the CLI's start span as root, the workflow span under it, the
 * activities under the workflow and a span per vCenter request under its activity, with the
 * operation, status and attempt; no span carries a credential or session token. The traced run's
 * history replays, and a run started without a trace context gets no trace header at all.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from '@temporalio/worker';
import { startJson } from '../../src/cli/json-shapes';
import { VCENTER_OPERATIONS } from '../../src/vcenter/operations';
import { REQUEST_SPAN_ATTRIBUTES } from '../../src/vcenter/request-span';
import { workflowSpanSinks } from '../../src/observability/worker-tracing';
import { runCli } from '../cli/run-cli';
import { pollUntil } from '../harness/poll';
import { onTeardown, testEnv, workflowBundle } from '../harness/temporal';
import { member, startLab } from '../harness/lab';
import { spawnWorker } from '../workflows/worker-process';
import { startOtlpReceiver, type ReceivedSpan } from './otlp-receiver';

const TRACE_HEADER = '_tracer-data';

describe('OpenTelemetry tracing', () => {
  it('one failover is one trace: CLI start > workflow > activities > vCenter requests, without secrets', async (t) => {
    const receiver = await startOtlpReceiver();
    onTeardown(() => receiver.close());
    const lab = await startLab({
      runWorker: false,
      clusters: {
        traced: {
          nodes: {
            node1: member('10.61.0.1', 'ACTIVE'),
            node2: member('10.61.0.2', 'PASSIVE'),
            witness: member('10.61.0.3', 'WITNESS'),
          },
          timing: { switchOutageMs: 500 },
        },
      },
    });
    const tracingEnv = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: '' };
    const worker = await spawnWorker({
      taskQueue: lab.taskQueue,
      targetsFile: lab.targetsFile,
      env: { ...lab.targetsEnv, ...tracingEnv, OTEL_SERVICE_NAME: 'vcha-worker-under-test' },
    });
    onTeardown(() => worker.kill('SIGTERM'));
    await worker.ready;
    const env = await testEnv();

    const cli = await runCli(
      [
        'start',
        '--target',
        'traced',
        '--planned',
        '--poll-interval',
        '1s',
        '--reason',
        'trace test',
        '--wait',
        '-o',
        'json',
      ],
      {
        ...tracingEnv,
        TEMPORAL_ADDRESS: env.address,
        TEMPORAL_NAMESPACE: env.namespace ?? 'default',
        VCHA_TASK_QUEUE: lab.taskQueue,
      },
    );
    assert.equal(cli.code, 0, cli.stderr);
    const started = startJson.parse(JSON.parse(cli.stdout));
    assert.equal(started.ending?.outcome, 'SUCCEEDED', cli.stdout);

    // A run started without a trace context (the plain SDK client, as the Web UI or a schedule would).
    const untraced = await lab.start({ target: 'traced', planned: true, dryRun: true });
    await untraced.result();

    // SIGTERM: the worker flushes its tracer provider before it exits.
    await worker.kill('SIGTERM');

    const spans = receiver.spans;
    const root = spans.find((s) => s.name === 'StartWorkflow:vchaFailover');
    assert.ok(root, `no client start span; got ${spans.map((s) => s.name).join(', ')}`);
    assert.equal(root.service, 'vcha-failover-cli', 'an empty OTEL_SERVICE_NAME is unset: the default name');
    assert.equal(root.parentSpanId, '', 'the client start span is the root');
    assert.equal(root.attributes.temporalWorkflowId, started.workflowId);
    const trace = spans.filter((s) => s.traceId === root.traceId);
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const parentOf = (span: ReceivedSpan) => byId.get(span.parentSpanId);
    const ancestors = (span: ReceivedSpan): ReceivedSpan[] => {
      const chain: ReceivedSpan[] = [];
      for (let p = parentOf(span); p !== undefined; p = parentOf(p)) chain.push(p);
      return chain;
    };
    for (const span of trace) {
      if (span !== root) assert.ok(ancestors(span).includes(root), `${span.name} is not under the start span`);
    }

    const describe = (span: ReceivedSpan): string => {
      const a = span.attributes;
      const extra = span.name.startsWith('vcenter ')
        ? ` [status ${String(a[REQUEST_SPAN_ATTRIBUTES.status] ?? '-')}, attempt ${String(a[REQUEST_SPAN_ATTRIBUTES.attempt])}${a[REQUEST_SPAN_ATTRIBUTES.error] ? `, ${String(a[REQUEST_SPAN_ATTRIBUTES.error])}` : ''}]`
        : '';
      return `${span.name} (${span.service})${extra}`;
    };
    const tree = (span: ReceivedSpan, depth: number): string[] => [
      `${'  '.repeat(depth)}${describe(span)}`,
      ...trace.filter((c) => c.parentSpanId === span.spanId).flatMap((c) => tree(c, depth + 1)),
    ];
    t.diagnostic(`span tree:\n${tree(root, 0).join('\n')}`);

    const workflowSpans = trace.filter((s) => s.name === 'RunWorkflow:vchaFailover');
    assert.equal(workflowSpans.length, 1, 'one workflow span');
    const workflowSpan = workflowSpans[0]!;
    assert.equal(parentOf(workflowSpan), root, 'the workflow span is a child of the start span');
    assert.equal(workflowSpan.service, 'vcha-worker-under-test');

    const activitySpans = trace.filter((s) => s.name.startsWith('RunActivity:'));
    for (const name of ['validateFailoverInput', 'preflight', 'sendFailover', 'followFailover']) {
      const span = activitySpans.find((s) => s.name === `RunActivity:${name}`);
      assert.ok(span, `no span of activity ${name}; got ${activitySpans.map((s) => s.name).join(', ')}`);
      assert.ok(ancestors(span).includes(workflowSpan), `activity ${name} is not under the workflow span`);
    }

    const requestSpans = spans.filter((s) => s.name.startsWith('vcenter '));
    const inTrace = requestSpans.filter((s) => s.traceId === root.traceId);
    for (const span of inTrace) {
      const activity = parentOf(span);
      assert.ok(activity?.name.startsWith('RunActivity:'), `${span.name} is not a child of an activity span`);
      const operation = span.attributes[REQUEST_SPAN_ATTRIBUTES.operation];
      assert.equal(span.name, `vcenter ${String(operation)}`);
      assert.ok(
        (VCENTER_OPERATIONS as readonly unknown[]).includes(operation),
        `unknown operation ${String(operation)}`,
      );
      // A request that got no answer (the outage the failover causes) has its error instead of a status.
      const status = span.attributes[REQUEST_SPAN_ATTRIBUTES.status];
      const error = span.attributes[REQUEST_SPAN_ATTRIBUTES.error];
      assert.ok(typeof status === 'number' || typeof error === 'string', `${span.name} has neither status nor error`);
      assert.ok(Number(span.attributes[REQUEST_SPAN_ATTRIBUTES.attempt]) >= 1, `${span.name} has no attempt`);
    }
    const failovers = inTrace.filter((s) => s.attributes[REQUEST_SPAN_ATTRIBUTES.operation] === 'cluster.failover');
    assert.equal(failovers.length, 1, 'cluster.failover exactly once');
    assert.equal(parentOf(failovers[0]!)?.name, 'RunActivity:sendFailover');
    assert.equal(failovers[0]!.attributes[REQUEST_SPAN_ATTRIBUTES.status], 202);
    for (const operation of ['session.create', 'cluster.get', 'tasks.get']) {
      assert.ok(
        inTrace.some((s) => s.attributes[REQUEST_SPAN_ATTRIBUTES.operation] === operation),
        `no ${operation} span`,
      );
    }
    // Outside the trace: the untraced dry run's activities (each its own trace) and the logout at shutdown.
    const allById = new Map(spans.map((s) => [s.spanId, s]));
    for (const span of requestSpans.filter((s) => s.traceId !== root.traceId)) {
      const parent = allById.get(span.parentSpanId);
      assert.ok(
        parent === undefined ? span.parentSpanId === '' : parent.name.startsWith('RunActivity:'),
        `${span.name} outside the failover's trace is neither a root nor under an activity`,
      );
    }

    const password = lab.targetsEnv.VCHA_LAB_PASSWORD!;
    const secrets = [
      password,
      Buffer.from(`${lab.sim.username}:${password}`).toString('base64'),
      ...lab.sim.cluster('traced').issuedTokens(),
    ];
    assert.ok(secrets.length >= 3, 'the simulator issued a session token');
    const received = receiver.bodies.join('\n');
    for (const secret of secrets) assert.ok(!received.includes(secret), 'a credential or session token was exported');
    assert.ok(!/authorization|vmware-api-session-id/i.test(received), 'a credential header name was exported');

    // The traced run carries the context to its activities in headers, and still replays.
    const history = await env.client.workflow.getHandle(started.workflowId).fetchHistory();
    const scheduled = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes);
    assert.ok(scheduled.every((e) => e.activityTaskScheduledEventAttributes?.header?.fields?.[TRACE_HEADER]));
    await Worker.runReplayHistory(
      { workflowBundle: await workflowBundle(), sinks: workflowSpanSinks(undefined) },
      history,
      started.workflowId,
    );

    // Tracing is per run: the untraced run has no trace header and no spans of its own.
    const plain = await untraced.fetchHistory();
    assert.ok(!JSON.stringify(plain).includes(TRACE_HEADER), 'an untraced run carries a trace header');
    assert.equal(
      spans.filter((s) => s.name === 'RunWorkflow:vchaFailover').length,
      1,
      'the untraced run has no workflow span',
    );
    await pollUntil(
      () => worker.child.exitCode,
      (code) => code !== null,
      5_000,
      50,
      'worker exit',
    );
  });
});
