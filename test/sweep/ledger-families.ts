/**
 * The sweep's families of what operators and starters do in Temporal around a failover, judged by
 * the sweep's oracle: a Reset at every workflow task of a planned run, a workflow retry policy with
 * a run timeout, two names of one cluster, a re-run of a closed id, a maintenance Reset while
 * IN_MAINTENANCE, and two faults in one run. Each must keep the cluster to one failover POST.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { WORKFLOW_TYPES, type VchaFailoverWorkflow } from '../../src/contract';
import type { ClusterScenarioInput } from '../../src/simulator';
import { inParallel } from '../harness/parallel';
import { pollUntil } from '../harness/poll';
import { testEnv } from '../harness/temporal';
import { FAST_TIMING, startLab } from '../harness/lab';
import {
  firstWorkflowTask,
  historyEvents,
  isSendScheduled,
  isTaskCompleted,
  maintenanceUnderWay,
  resetTo,
  workflowTaskBeforeSend,
  type EventId,
} from '../workflows/resets';
import { FAULT_KINDS, SWEEP_CLIENT_TIMEOUTS, vcenter500After, type Rule } from './faults';
import { endOf, judge, sweepInput, type CaseResult, type CleanRun, type Mode, type SweepCase } from './sweep';

let sequence = 0;
const newId = (cluster: string) => `sweep-${cluster}-${process.pid}-${++sequence}-${Date.now()}`;

/** A vCenter that hides a running failover through a flush longer than the no-sign window. */
const HIDDEN_FLUSH: ClusterScenarioInput = { timing: { flushMs: 25_000 }, faults: { hideRunningFailover: true } };

/** The windows of a run on a hidden flush: no sign for 8 s ends it unknown; the switch comes within 60 s. */
const HIDDEN_WINDOWS = { noSign: '8s', failover: '60s' } as const;

/** A lab of these families: the sweep's client timeouts and an in-process worker. */
function familyLab(clusters: Record<string, ClusterScenarioInput>, aliasTargets?: Record<string, string>) {
  return startLab({ clusters, timing: FAST_TIMING, timeouts: SWEEP_CLIENT_TIMEOUTS, aliasTargets });
}

/** The run a Reset made. */
async function resetRun(handle: WorkflowHandle, eventId: EventId): Promise<WorkflowHandle<VchaFailoverWorkflow>> {
  const { client } = await testEnv();
  const runId = await resetTo(handle, (await handle.describe()).runId, eventId);
  return client.workflow.getHandle<VchaFailoverWorkflow>(handle.workflowId, runId);
}

/** Whether a run is closed. */
const closed = async (handle: WorkflowHandle) => (await handle.describe()).status.name !== 'RUNNING';

/** Folds the judged runs of one case into its row: all the runs' outcomes, every violation. */
function oneCase(spec: SweepCase, runs: CaseResult[]): CaseResult {
  const last = runs.at(-1)!;
  return {
    ...last,
    ...spec,
    outcome: runs.map((run) => run.outcome).join(' → '),
    message: runs.map((run) => run.message).join(' | '),
    violations: runs.flatMap((run) => run.violations),
    durationMs: Math.max(...runs.map((run) => run.durationMs)),
  };
}

/**
 * Family 1: a clean planned run's workflow tasks, numbered; for each, a run is started, let reach
 * that task (or finish), and Reset there; the reset run and the cluster are judged.
 */
export async function runResetAtEveryTask(pick: (tasks: { n: number; afterSend: boolean }[]) => number[]) {
  const lab0 = await familyLab({ 'reset-clean': {} });
  const clean = await lab0.start(sweepInput('reset-clean', 'planned'), newId('reset-clean'));
  await clean.result();
  const events = await historyEvents(clean);
  const send = events.findIndex(isSendScheduled);
  const tasks = events
    .map((event, index) => ({ event, index }))
    .filter(({ event }) => isTaskCompleted(event))
    .map(({ index }, i) => ({ n: i + 1, afterSend: index > send }));
  const cases: SweepCase[] = pick(tasks).map((n) => ({
    family: 'Reset at a workflow task',
    mode: 'planned',
    kind: `to task ${n} of ${tasks.length} (${tasks[n - 1]!.afterSend ? 'after' : 'before'} the send)`,
    k: n,
  }));
  const names = cases.map((spec) => `reset-task-${spec.k}`);
  const lab = await familyLab(Object.fromEntries(names.map((name) => [name, {}])));
  return inParallel(
    cases.map((spec, i) => ({ spec, cluster: names[i]! })),
    3,
    async ({ spec, cluster }) => {
      const startedAt = Date.now();
      const handle = await lab.start(sweepInput(cluster, 'planned'), newId(cluster));
      const reached = await pollUntil(
        async () => ({ tasks: (await historyEvents(handle)).filter(isTaskCompleted), done: await closed(handle) }),
        (seen) => seen.tasks.length >= spec.k! || seen.done,
        120_000,
        100,
        `${cluster} reaching workflow task ${spec.k}`,
      );
      const wasClosed = reached.done;
      const postsBefore = lab.failoverPosts(cluster);
      const task = reached.tasks[Math.min(spec.k!, reached.tasks.length) - 1]!;
      const reset = await resetRun(handle, task.eventId!);
      // Exact only when the run had closed: an open run's send may still be in flight.
      return judge(spec, lab, cluster, await endOf(reset), startedAt, wasClosed ? { postsBefore } : {});
    },
  );
}

/** Family 2: a starter's retry policy with a run timeout that expires mid-outage; the retry must not send again. */
export async function runWorkflowRetries(cases: { mode: Mode; runTimeout: string }[]): Promise<CaseResult[]> {
  const specs: SweepCase[] = cases.map(({ mode, runTimeout }) => ({
    family: 'workflow retry',
    mode,
    kind: `run timeout ${runTimeout}, 3 attempts`,
  }));
  const names = specs.map((spec, i) => `retry-${spec.mode}-${i}`);
  const lab = await familyLab(
    Object.fromEntries(names.map((name) => [name, { timing: { flushMs: 3_000, switchOutageMs: 12_000 } }])),
  );
  const { client } = await testEnv();
  return inParallel(
    specs.map((spec, i) => ({ spec, cluster: names[i]!, runTimeout: cases[i]!.runTimeout })),
    4,
    async ({ spec, cluster, runTimeout }) => {
      const startedAt = Date.now();
      const handle = await client.workflow.start<VchaFailoverWorkflow>(WORKFLOW_TYPES.failover, {
        taskQueue: lab.taskQueue,
        workflowId: newId(cluster),
        args: [sweepInput(cluster, spec.mode) as never],
        workflowRunTimeout: runTimeout,
        retry: { maximumAttempts: 3, initialInterval: '1s' },
      });
      return judge(spec, lab, cluster, await endOf(handle), startedAt);
    },
  );
}

/** Family 3: one cluster under two names (its address and a second loopback address), two runs started together. */
export async function runAliasPairs(modes: Mode[]): Promise<CaseResult[]> {
  const names = modes.map((mode) => `alias-${mode}`);
  const clusters = Object.fromEntries(
    names.map((name, i) => [name, { aliases: [`127.0.21.${40 + i}`], timing: { flushMs: 6_000 } }]),
  );
  const lab = await familyLab(clusters, Object.fromEntries(names.map((name) => [`${name}-ip`, name])));
  return inParallel(
    modes.map((mode, i) => ({ mode, cluster: names[i]! })),
    2,
    async ({ mode, cluster }) => {
      const spec: SweepCase = { family: 'alias pair', mode, kind: 'two names started together' };
      const startedAt = Date.now();
      const handles = await Promise.all(
        [cluster, `${cluster}-ip`].map((target) => lab.start(sweepInput(target, mode))),
      );
      const ends = await Promise.all(handles.map(endOf));
      const sent = (end: (typeof ends)[number]) => (end.record?.triggered === 'yes' ? 1 : 0);
      const runs = [];
      for (const [i, end] of ends.entries()) {
        runs.push(await judge(spec, lab, cluster, end, startedAt, { postsBefore: 0, postsBeside: sent(ends[1 - i]!) }));
      }
      return oneCase(spec, runs);
    },
  );
}

/** Family 4: a closed id started again, after SUCCEEDED or after FailoverOutcomeUnknown: AlreadySent, no new POST. */
export async function runReruns(kinds: ('SUCCEEDED' | 'FailoverOutcomeUnknown')[]): Promise<CaseResult[]> {
  const names = kinds.map((kind) => `rerun-${kind}`);
  // An unknown end: the POST's answer lost while vCenter hides the failover it started, past the no-sign window.
  const lostAnswer: Rule = { operation: 'cluster.failover', when: 'after', action: 'reset' };
  const lab = await familyLab(
    Object.fromEntries(
      names.map((name, i) => [
        name,
        kinds[i] === 'SUCCEEDED' ? {} : { ...HIDDEN_FLUSH, faults: { ...HIDDEN_FLUSH.faults, rules: [lostAnswer] } },
      ]),
    ),
  );
  return inParallel(
    kinds.map((kind, i) => ({ kind, cluster: names[i]! })),
    2,
    async ({ kind, cluster }) => {
      const spec: SweepCase = {
        family: 're-run of a closed id',
        mode: 'planned',
        kind: `after ${kind}`,
        ...(kind === 'SUCCEEDED' ? {} : HIDDEN_WINDOWS),
      };
      const input = sweepInput(cluster, 'planned', spec.noSign, spec.failover);
      const workflowId = newId(cluster);
      const startedAt = Date.now();
      const first = await judge(spec, lab, cluster, await endOf(await lab.start(input, workflowId)), startedAt, {
        expected: kind,
      });
      const postsBefore = lab.failoverPosts(cluster);
      const again = await endOf(await lab.start(input, workflowId));
      return oneCase(spec, [
        first,
        await judge(spec, lab, cluster, again, startedAt, { postsBefore, expected: 'AlreadySent' }),
      ]);
    },
  );
}

/**
 * Family 5: a maintenance Reset while IN_MAINTENANCE to its first workflow task: no second POST of
 * its first leg. (A Reset to a task after the first leg ended puts the run back IN_MAINTENANCE,
 * waiting for the operator's done, as before: nothing is sent again there.)
 */
export async function runMaintenanceResets(points: 'first'[]): Promise<CaseResult[]> {
  const names = points.map((point) => `maintenance-${point}`);
  const lab = await familyLab(Object.fromEntries(names.map((name) => [name, {}])));
  const { client } = await testEnv();
  return inParallel(
    points.map((point, i) => ({ point, cluster: names[i]! })),
    2,
    async ({ point, cluster }) => {
      const spec: SweepCase = {
        family: 'maintenance Reset',
        mode: 'planned',
        kind: `to its ${point} workflow task, IN_MAINTENANCE`,
      };
      const startedAt = Date.now();
      const handle = await maintenanceUnderWay(lab.taskQueue, cluster, newId(cluster));
      const postsBefore = lab.failoverPosts(cluster);
      const runId = await resetTo(handle, handle.firstExecutionRunId, await firstWorkflowTask(handle));
      const reset = client.workflow.getHandle<VchaFailoverWorkflow>(handle.workflowId, runId);
      return judge(spec, lab, cluster, await endOf(reset), startedAt, { postsBefore, expected: 'AlreadySent' });
    },
  );
}

/** The pairs of faults in one run that matter. */
export type TwoFaults =
  'answer lost + Reset before the send' | 'refused, answer lost + Reset after the backoff' | 'hidden 500 + re-run';

/**
 * Family 6: two faults in one run. (a) the POST's answer lost after vCenter acted, then a Reset to
 * the task before the send; (b) the first attempt refused before connecting, the second's answer
 * lost after vCenter acted, then a Reset to the task after the backoff timer; (c) vCenter's own
 * 500 after starting, the flush hidden past the no-sign window, then a re-run of the id.
 * `postPlace` is the place of the POST in a clean planned run.
 */
export async function runTwoFaults(kinds: TwoFaults[], postPlace: number): Promise<CaseResult[]> {
  const lostAnswer: Rule = { operation: 'cluster.failover', when: 'after', action: 'reset' };
  const scenarios: Record<TwoFaults, ClusterScenarioInput> = {
    'answer lost + Reset before the send': { faults: { rules: [lostAnswer] } },
    'refused, answer lost + Reset after the backoff': {
      faults: { rules: [FAULT_KINDS.refused(postPlace), lostAnswer] },
    },
    'hidden 500 + re-run': {
      ...HIDDEN_FLUSH,
      faults: { ...HIDDEN_FLUSH.faults, rules: [vcenter500After({ operation: 'cluster.failover' })] },
    },
  };
  const names = kinds.map((_, i) => `two-faults-${i}`);
  const lab = await familyLab(Object.fromEntries(names.map((name, i) => [name, scenarios[kinds[i]!]])));
  return inParallel(
    kinds.map((kind, i) => ({ kind, cluster: names[i]! })),
    3,
    async ({ kind, cluster }) => {
      const hidden = kind === 'hidden 500 + re-run';
      const spec: SweepCase = { family: 'two faults', mode: 'planned', kind, ...(hidden ? HIDDEN_WINDOWS : {}) };
      const input = sweepInput(cluster, 'planned', spec.noSign, spec.failover);
      const workflowId = newId(cluster);
      const startedAt = Date.now();
      const handle = await lab.start(input, workflowId);
      if (hidden) {
        const first = await judge(spec, lab, cluster, await endOf(handle), startedAt);
        const postsBefore = lab.failoverPosts(cluster);
        const again = await endOf(await lab.start(input, workflowId));
        return oneCase(spec, [
          first,
          await judge(spec, lab, cluster, again, startedAt, { postsBefore, expected: 'AlreadySent' }),
        ]);
      }
      await pollUntil(
        () => lab.failoverPosts(cluster),
        (posts) => posts > 0,
        90_000,
        50,
        `${cluster}'s POST`,
      );
      return judge(spec, lab, cluster, await endOf(await resetRun(handle, await resetPoint(handle, kind))), startedAt);
    },
  );
}

/** Where family 6 resets to: the task before the send, or the first task after the backoff timer fired. */
async function resetPoint(handle: WorkflowHandle, kind: TwoFaults): Promise<EventId> {
  if (kind === 'answer lost + Reset before the send') return workflowTaskBeforeSend(handle);
  const events = await historyEvents(handle);
  const fired = events.findIndex((event) => event.timerFiredEventAttributes);
  const after = fired < 0 ? undefined : events.slice(fired).find(isTaskCompleted);
  if (!after) throw new Error(`${handle.workflowId} has no workflow task after a backoff timer`);
  return after.eventId!;
}

/** Every family, all of it (`full`) or one case each. */
export async function runLedgerFamilies(clean: CleanRun[], full: boolean): Promise<CaseResult[]> {
  const planned = clean.find((run) => run.mode === 'planned')!;
  const postPlace = planned.operations.indexOf('cluster.failover') + 1;
  return [
    ...(await runResetAtEveryTask((tasks) =>
      full ? tasks.map(({ n }) => n) : [tasks.find(({ afterSend }) => afterSend)!.n],
    )),
    ...(await runWorkflowRetries(
      full
        ? [
            { mode: 'planned', runTimeout: '8s' },
            { mode: 'planned', runTimeout: '12s' },
            { mode: 'forced', runTimeout: '8s' },
            { mode: 'forced', runTimeout: '12s' },
          ]
        : [{ mode: 'planned', runTimeout: '12s' }],
    )),
    ...(await runAliasPairs(full ? ['planned', 'forced'] : ['planned'])),
    ...(await runReruns(full ? ['SUCCEEDED', 'FailoverOutcomeUnknown'] : ['SUCCEEDED'])),
    ...(await runMaintenanceResets(['first'])),
    ...(await runTwoFaults(
      full
        ? [
            'answer lost + Reset before the send',
            'refused, answer lost + Reset after the backoff',
            'hidden 500 + re-run',
          ]
        : ['answer lost + Reset before the send'],
      postPlace,
    )),
  ];
}
