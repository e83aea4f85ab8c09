/**
 * The failover workflow end to end on the real dev server and the simulator: the happy paths, the
 * ride through the outage, every way it can end, and the at-most-once POST.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureOf } from './assertions';
import { member, startLab, ha, haRe } from '../harness/lab';

const healthyNodes = (n: number) => ({
  node1: member(`10.${n}.0.1`, 'ACTIVE'),
  node2: member(`10.${n}.0.2`, 'PASSIVE'),
  witness: member(`10.${n}.0.3`, 'WITNESS'),
});

describe('vchaFailover', { concurrency: true }, async () => {
  const lab = await startLab({
    clusters: {
      planned: { nodes: healthyNodes(1), timing: { resyncMs: 4_000 } },
      forced: { nodes: healthyNodes(2), healthState: 'DEGRADED' },
      dry: { nodes: healthyNodes(3) },
      failedTask: { nodes: healthyNodes(4), faults: { failFailoverTask: true } },
      longOutage: { nodes: healthyNodes(5), timing: { switchOutageMs: 30_000 } },
      slowResync: { nodes: healthyNodes(6), timing: { resyncMs: 60_000 } },
      taskSucceeded: { nodes: healthyNodes(7), faults: { taskAfterSwitch: 'succeeded' } },
      flipsBack: { nodes: healthyNodes(8), timing: { failBackMs: 2_000 }, faults: { failBack: 'task' } },
      holds: { nodes: healthyNodes(9) },
      servicesLate: { nodes: healthyNodes(10), timing: { serviceStartMs: 1_500 } },
      serviceStuck: { nodes: healthyNodes(11), faults: { servicesAfterSwitch: { trustmanagement: 'STARTING' } } },
      vpxdDown: { nodes: healthyNodes(12), faults: { servicesAfterSwitch: { vpxd: 'STOPPED' } } },
      servicesForbidden: {
        nodes: healthyNodes(13),
        faults: {
          rules: [
            { operation: 'services.list', action: 'respond', status: 403, body: 'vapi', errorType: 'UNAUTHORIZED' },
          ],
        },
      },
    },
  });

  it('performs a planned failover through refused connections, a lost session and an unknown task', async () => {
    const handle = await lab.start({
      target: 'planned',
      planned: true,
      pollInterval: '1s',
      reason: 'patching',
      requestedBy: 'sre',
    });
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.activeBefore, ha('10.1.0.1'));
    assert.equal(result.activeAfter, ha('10.1.0.2'));
    assert.equal(result.after?.healthState, 'HEALTHY');
    assert.equal(result.triggered, 'yes');
    assert.match(result.taskId ?? '', /^task-\d+:com\.vmware\.vcenter\.vcha\.cluster$/);
    assert.deepEqual(
      result.timeline.map((m) => m.phase),
      ['VALIDATING', 'PREFLIGHT', 'TRIGGERING', 'FAILING_OVER', 'VERIFYING'],
    );
    const seen = result.observations.join('\n');
    assert.match(seen, /task RUNNING/);
    assert.match(seen, /vCenter unreachable for \d+ s \(refused\)/);
    assert.match(seen, /unknown on the new node/);
    assert.match(seen, /DEGRADED, waiting for HEALTHY|waiting for HEALTHY/);
    assert.equal(lab.failoverPosts('planned'), 1);
    assert.ok(lab.sim.counters('planned').logins >= 2, 'logged in again after the switch');
    assert.deepEqual(
      lab.sim.requestLog('planned').filter((r) => r.status === 401),
      [],
      'the session was renewed after the outage instead of being tried on the new node',
    );
    const record = lab.recorder.records.find((r) => r.workflowId === handle.workflowId);
    assert.equal(record?.outcome, 'SUCCEEDED');
    assert.equal(record?.reason, 'patching');
  });

  it('performs a forced failover on a DEGRADED cluster when data loss is accepted', async () => {
    const handle = await lab.start({
      target: 'forced',
      planned: false,
      acceptDataLoss: true,
      pollInterval: '1s',
      requireHealthy: false,
    });
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.activeAfter, ha('10.2.0.2'));
    assert.equal(lab.failoverPosts('forced'), 1);
  });

  it('passes a dry run without sending the failover', async () => {
    const result = await (await lab.start({ target: 'dry', planned: true, dryRun: true })).result();
    assert.equal(result.outcome, 'DRY_RUN_PASSED');
    assert.equal(result.triggered, 'no');
    assert.equal(result.before?.activeNode, ha('10.3.0.1'));
    assert.equal(lab.failoverPosts('dry'), 0);
  });

  it('ends FailoverFailed when the task FAILED and the roles did not change', async () => {
    const handle = await lab.start({ target: 'failedTask', planned: true, pollInterval: '1s' });
    const { failure, record } = await failureOf(handle, 'FailoverFailed');
    assert.match(failure.message, new RegExp(String.raw`FAILED and ${haRe('10.4.0.1')} is still ACTIVE`));
    assert.equal(record?.triggered, 'yes');
    assert.equal(lab.failoverPosts('failedTask'), 1);
  });

  it('ends FailoverOutcomeUnknown when the outage outlasts the deadline, still with one POST', async () => {
    const handle = await lab.start({
      target: 'longOutage',
      planned: false,
      acceptDataLoss: true,
      pollInterval: '1s',
      deadlines: { failover: '6s' },
    });
    const { failure, record } = await failureOf(handle, 'FailoverOutcomeUnknown');
    assert.match(
      failure.message,
      /no proof that longOutage failed over within 6s; last observation: vCenter unreachable/,
    );
    assert.ok(record && record.observations.length > 0);
    assert.equal(lab.failoverPosts('longOutage'), 1);
  });

  it('ends FailoverNotHealthy when the cluster stays DEGRADED past the deadline', async () => {
    const handle = await lab.start({
      target: 'slowResync',
      planned: true,
      pollInterval: '1s',
      deadlines: { healthy: '5s' },
    });
    const { failure, record } = await failureOf(handle, 'FailoverNotHealthy');
    assert.match(failure.message, new RegExp(String.raw`switched to ${haRe('10.6.0.2')} but was not HEALTHY`));
    assert.equal(record?.activeAfter, ha('10.6.0.2'));
    assert.equal(lab.failoverPosts('slowResync'), 1);
  });

  it('accepts a task that is still readable and SUCCEEDED after the switch', async () => {
    const result = await (await lab.start({ target: 'taskSucceeded', planned: true, pollInterval: '1s' })).result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('taskSucceeded'), 1);
  });

  it('ends FailoverFlippedBack, naming when, when the cluster fails back by itself in the stability period', async () => {
    const handle = await lab.start({
      target: 'flipsBack',
      planned: true,
      pollInterval: '1s',
      deadlines: { stable: '30s' },
    });
    const { failure, record } = await failureOf(handle, 'FailoverFlippedBack');
    const [requested, automatic] = lab.sim.cluster('flipsBack').failovers();
    assert.equal(requested?.automatic, undefined);
    assert.equal(automatic?.automatic, true, 'the simulator failed back by itself');
    const at = new RegExp(
      String.raw`switched to ${haRe('10.8.0.2')}, then failed back by itself: ${haRe('10.8.0.1')} was ACTIVE again at (\S+) \(vCenter's time\)`,
    ).exec(failure.message);
    assert.ok(at, failure.message);
    // vCenter's Date header has whole seconds: the time may read up to a second before the switch back.
    const flippedAt = Date.parse(at[1]!);
    assert.ok(flippedAt >= automatic.requestedAt - 1_000, `${at[1]} is before the fail back started`);
    assert.ok(flippedAt <= Date.now());
    assert.match(failure.message, /the failover did not hold for 30s\. Nothing more was sent/);
    assert.equal(record?.outcome, 'FailoverFlippedBack');
    assert.equal(record?.activeAfter, ha('10.8.0.1'));
    assert.equal(lab.failoverPosts('flipsBack'), 1);
    // The run is closed and the cluster was left alone: still one POST a moment later.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(lab.failoverPosts('flipsBack'), 1);
  });

  it('says SUCCEEDED only after the new roles held for the stability period, read once a poll interval', async () => {
    const handle = await lab.start({ target: 'holds', planned: true, pollInterval: '1s', deadlines: { stable: '5s' } });
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.match(result.message, /and the roles held for 5s/);
    const [failover] = lab.sim.cluster('holds').failovers();
    assert.ok(failover?.healthyAt, 'the cluster came back HEALTHY');
    const timeOf = (prefix: string) => {
      const line = result.observations.find((entry) => entry.split(' ')[1]?.startsWith(prefix));
      assert.ok(line, `an observation starting "${prefix}"`);
      return Date.parse(line.split(' ')[0]!);
    };
    const back = timeOf('back:');
    const verified = timeOf('verified:');
    assert.ok(verified - back >= 5_000, `verified ${verified - back} ms after the cluster was back`);
    const requests = lab.sim
      .requestLog('holds')
      .filter((r) => r.operation !== 'session.create' && Date.parse(r.time) > back && Date.parse(r.time) <= verified);
    // One request per 1 s poll interval over 5 s, allowing for a slow machine's late polls: the role
    // reads, and the readiness gate's four requests taking turns with them.
    assert.ok(requests.length >= 4 && requests.length <= 7, `${requests.length} requests in the stability period`);
    const gateRequests = requests.filter((r) => r.operation !== 'cluster.get').map((r) => r.operation);
    assert.deepEqual(gateRequests, ['datacenter.list', 'services.list', 'health.lastcheck', 'health.system']);
    assert.deepEqual(
      result.readiness?.gates.map((gate) => `${gate.gate} ${gate.status}`),
      ['vapi passed', 'vpxd passed', 'services passed', 'applianceHealth passed'],
    );
    assert.equal(lab.failoverPosts('holds'), 1);
    // The period is read inside the follow activity: no timer per poll, the history stays within its budget.
    const events = (await handle.fetchHistory()).events ?? [];
    process.stdout.write(`# a failover with a 5 s stability period: ${events.length} history events\n`);
    assert.ok(events.length <= 45, `${events.length} history events`);
    assert.equal(events.filter((event) => event.timerStartedEventAttributes).length, 0, 'no timers');
  });

  it('says SUCCEEDED only after every AUTOMATIC service is STARTED, reading them once a poll interval', async () => {
    const handle = await lab.start({
      target: 'servicesLate',
      planned: true,
      pollInterval: '1s',
      deadlines: { stable: '2s' },
    });
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.match(result.message, /; vCenter serves \(every readiness gate passed\)/);
    const [failover] = lab.sim.cluster('servicesLate').failovers();
    const verified = result.observations.find((entry) => entry.split(' ')[1] === 'verified:');
    assert.ok(verified && failover?.apiBackAt);
    // Eight services start one after another after the API is back, 1.5 s each.
    const afterApi = Date.parse(verified.split(' ')[0]!) - failover.apiBackAt;
    assert.ok(afterApi >= 8 * 1_500, `SUCCEEDED ${afterApi} ms after the API was back, before the services started`);
    const servicesReads = lab.sim.requestLog('servicesLate').filter((r) => r.operation === 'services.list');
    assert.ok(servicesReads.length >= 3, `${servicesReads.length} services reads`);
    assert.match(result.observations.join('\n'), /readiness: services pending: .*STARTING/);
    assert.equal(result.readiness?.verdict, 'ready');
    assert.equal(lab.failoverPosts('servicesLate'), 1);
  });

  it('ends VcenterNotReady, naming the service, when one stays STARTING after the switch', async () => {
    const handle = await lab.start({
      target: 'serviceStuck',
      planned: true,
      pollInterval: '1s',
      deadlines: { stable: '2s', ready: '6s' },
    });
    const { failure, record } = await failureOf(handle, 'VcenterNotReady');
    assert.match(failure.message, new RegExp(`switched to ${haRe('10.11.0.2')} and the cluster is back`));
    assert.match(failure.message, /but vCenter did not serve within 6s: services: trustmanagement STARTING/);
    assert.equal(record?.outcome, 'VcenterNotReady');
    assert.equal(record?.activeAfter, ha('10.11.0.2'));
    assert.deepEqual(
      record?.readiness?.gates.map((gate) => `${gate.gate} ${gate.status}`),
      ['vapi passed', 'vpxd passed', 'services pending', 'applianceHealth pending'],
    );
    assert.equal(lab.failoverPosts('serviceStuck'), 1);
  });

  it('ends VcenterNotReady when vpxd is down after the switch while the vAPI answers', async () => {
    const handle = await lab.start({
      target: 'vpxdDown',
      planned: true,
      pollInterval: '1s',
      deadlines: { stable: '2s', ready: '5s' },
    });
    const { failure, record } = await failureOf(handle, 'VcenterNotReady');
    assert.match(failure.message, /vpxd: GET \/api\/vcenter\/datacenter: HTTP 503/);
    assert.equal(record?.readiness?.gates.find((gate) => gate.gate === 'vapi')?.status, 'passed');
    assert.equal(record?.readiness?.verdict, 'not-ready');
    const datacenterReads = lab.sim.requestLog('vpxdDown').filter((r) => r.operation === 'datacenter.list');
    assert.ok(datacenterReads.length >= 2 && datacenterReads.every((r) => r.status === 503));
    assert.equal(lab.failoverPosts('vpxdDown'), 1);
  });

  it('SUCCEEDED with the services not checked when the account may not list them (403), as the record says', async () => {
    const handle = await lab.start({
      target: 'servicesForbidden',
      planned: true,
      pollInterval: '1s',
      deadlines: { stable: '3s' },
    });
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.match(result.message, /vCenter serves \(services not checked: HTTP 403: the account may not make this call/);
    const record = lab.recorder.records.find((r) => r.workflowId === handle.workflowId);
    const services = record?.readiness?.gates.find((gate) => gate.gate === 'services');
    assert.equal(services?.status, 'not-checked');
    assert.equal(record?.readiness?.gates.find((gate) => gate.gate === 'applianceHealth')?.status, 'passed');
    assert.equal(lab.sim.requestLog('servicesForbidden').filter((r) => r.operation === 'services.list').length, 1);
    assert.equal(lab.failoverPosts('servicesForbidden'), 1);
  });

  it('ends UnknownTarget for a name the worker does not know, without calling vCenter', async () => {
    const { failure } = await failureOf(await lab.start({ target: 'vc-nowhere', planned: true }), 'UnknownTarget');
    assert.match(failure.message, /vc-nowhere/);
  });
});
