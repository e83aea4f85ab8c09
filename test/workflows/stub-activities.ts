/**
 * The failover workflow's decisions with stubbed activities (as samples-typescript's
 * activities-examples does): a worker on the shared dev server whose activities answer what a test
 * scripts, so each branch of the workflow runs in about a second without a simulator.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type {
  CheckClusterInput,
  ClusterCheck,
  FailoverActivities,
  FollowFailoverInput,
  FollowFailoverResult,
  PreflightInput,
  PreflightReport,
  RecordOutcomeInput,
  SendFailoverInput,
  TriggerInput,
} from '../../src/activities';
import { makeAcquireCluster, makeClaimSend, makeFinishCluster, type LedgerDeps } from '../../src/activities/ledger';
import { ledgerTaskQueueFor } from '../../src/worker/create-worker';
import {
  validateFailoverInput,
  validateFleetInput,
  validateMaintenanceInput,
} from '../../src/activities/validate-input';
import type { VchaFailoverInput, VchaFailoverWorkflow } from '../../src/contract';
import type { ClusterSnapshot } from '../../src/domain/cluster-snapshot';
import { evaluatePreflight } from '../../src/domain/preflight-rules';
import { clusterSnapshot } from '../domain/snapshots';
import { createTestWorker, onTeardown, testEnv, uniqueTaskQueue } from '../harness/temporal';

/** The cluster as preflight sees it: node1 (10.0.0.1) ACTIVE, node2 (10.0.0.2) PASSIVE, all UP, HEALTHY. */
export const healthySnapshot = (overrides: Partial<ClusterSnapshot> = {}) => clusterSnapshot('node1', overrides);

/** The same cluster after the switch: node2 ACTIVE. */
export const switchedSnapshot = (overrides: Partial<ClusterSnapshot> = {}) => clusterSnapshot('node2', overrides);

/** The check before the request: nothing changed since preflight. */
export function unchangedCheck(overrides: Partial<ClusterCheck> = {}): ClusterCheck {
  return {
    unchanged: true,
    snapshot: healthySnapshot(),
    detail: 'active 10.0.0.1, HEALTHY, all members UP; no failover running',
    ...overrides,
  };
}

/** A follow result that verified the switch. */
export function verified(overrides: Partial<FollowFailoverResult> = {}): FollowFailoverResult {
  return {
    outcome: 'verified',
    switchedAt: new Date().toISOString(),
    snapshot: switchedSnapshot(),
    observation: 'verified: active 10.0.0.2, HEALTHY, all members UP',
    observations: ['2026-01-01T00:00:10.000Z verified: active 10.0.0.2, HEALTHY, all members UP'],
    longestOutageMs: 3_000,
    ...overrides,
  };
}

/** What each stubbed activity was called with, in order. */
export interface StubCalls {
  preflight: PreflightInput[];
  checkCluster: CheckClusterInput[];
  sendFailover: SendFailoverInput[];
  triggerFailover: TriggerInput[];
  followFailover: FollowFailoverInput[];
  recordOutcome: RecordOutcomeInput[];
  notifyOutcome: RecordOutcomeInput[];
  describeTargetLock: { lockWorkflowId: string }[];
}

/** Activities a test overrides; the rest answer a healthy, successful failover. */
export type StubActivities = Partial<
  Omit<
    FailoverActivities,
    | 'validateFailoverInput'
    | 'validateFleetInput'
    | 'validateMaintenanceInput'
    | 'replaySavedHistories'
    | 'identifyCluster'
    | 'acquireCluster'
    | 'claimSend'
    | 'finishCluster'
  >
>;

/** One scripted target: its activities answer as the test says. */
export interface ScriptedTarget {
  name: string;
  taskQueue: string;
  calls: StubCalls;
  start(input?: Partial<VchaFailoverInput> | Record<string, unknown>): Promise<WorkflowHandle<VchaFailoverWorkflow>>;
}

/** A worker whose activities answer per target, as each test scripts its own target. */
export interface StubbedWorker {
  taskQueue: string;
  /** A fresh target (the lock is a workflow id shared by the whole server) answered by `overrides`. */
  script(overrides?: StubActivities): ScriptedTarget;
}

const defaults: Required<StubActivities> = {
  preflight: (input) => {
    const snapshot = healthySnapshot();
    return Promise.resolve<PreflightReport>({ snapshot, checks: evaluatePreflight(snapshot, input.planned) });
  },
  checkCluster: () => Promise.resolve(unchangedCheck()),
  sendFailover: () =>
    Promise.resolve({ taskId: 'task-1:com.vmware.vcenter.vcha.cluster', at: new Date().toISOString() }),
  // New runs never schedule it: a call fails the test that made it.
  triggerFailover: () => Promise.reject(new Error('triggerFailover is for runs from older builds only')),
  followFailover: () => Promise.resolve(verified()),
  recordOutcome: () => Promise.resolve({ notify: false }),
  notifyOutcome: () => Promise.resolve(),
  describeTargetLock: () => Promise.resolve(undefined),
  listTargets: () => Promise.resolve([]),
  // Stubbed targets take named approvals only; signed ones are tested with the real activity.
  verifySignature: () => Promise.reject(new Error('a stubbed worker verifies no signature')),
};

/** The target an activity's input is about. */
function targetOf(input: unknown): string {
  const fields = input as { target?: string; record?: { target?: string }; lockWorkflowId?: string };
  return fields.target ?? fields.record?.target ?? fields.lockWorkflowId?.replace(/^vcha-lock-/, '') ?? '';
}

let sequence = 0;

/** Starts one worker with scripted activities on its own task queue; it runs until the test file ends. */
export async function stubbedWorker(): Promise<StubbedWorker> {
  const env = await testEnv();
  const taskQueue = uniqueTaskQueue('decisions');
  // The ledgers on a queue and worker of their own, as the product's worker runs them.
  const ledgerDeps: LedgerDeps = { temporal: env.client, ledgerTaskQueue: ledgerTaskQueueFor(taskQueue) };
  const scripts = new Map<string, { overrides: StubActivities; calls: StubCalls }>();
  const dispatch = <K extends keyof StubCalls>(name: K) => {
    return (input: StubCalls[K][number]) => {
      const script = scripts.get(targetOf(input));
      if (!script) return Promise.reject(new Error(`no script for target ${targetOf(input)}`));
      (script.calls[name] as StubCalls[K][number][]).push(input);
      const implementation = (script.overrides[name] ?? defaults[name]) as (
        input: StubCalls[K][number],
      ) => Promise<unknown>;
      return implementation(input);
    };
  };
  const worker = await createTestWorker({
    taskQueue,
    activities: {
      validateFailoverInput,
      validateFleetInput,
      validateMaintenanceInput,
      // Each scripted target is a cluster of its own: its identity names it, unless a test sets one.
      preflight: async (input: PreflightInput) => {
        const report = await dispatch('preflight')(input);
        return { cluster: `cluster-of-${input.target}`, ...(report as PreflightReport) };
      },
      checkCluster: dispatch('checkCluster'),
      sendFailover: dispatch('sendFailover'),
      triggerFailover: dispatch('triggerFailover'),
      followFailover: dispatch('followFailover'),
      recordOutcome: dispatch('recordOutcome'),
      notifyOutcome: dispatch('notifyOutcome'),
      describeTargetLock: dispatch('describeTargetLock'),
      // The cluster's ledger is the real one, on this server: a stubbed ledger would prove nothing.
      acquireCluster: makeAcquireCluster(ledgerDeps),
      claimSend: makeClaimSend(ledgerDeps),
      finishCluster: makeFinishCluster(ledgerDeps),
    },
  });
  const ledgerWorker = await createTestWorker({ taskQueue: ledgerDeps.ledgerTaskQueue });
  const running = Promise.all([worker.run(), ledgerWorker.run()]);
  onTeardown(async () => {
    worker.shutdown();
    ledgerWorker.shutdown();
    await running;
  });
  return {
    taskQueue,
    script: (overrides = {}) => {
      sequence += 1;
      const name = `decide-${process.pid}-${sequence}`;
      const calls: StubCalls = {
        preflight: [],
        checkCluster: [],
        sendFailover: [],
        triggerFailover: [],
        followFailover: [],
        recordOutcome: [],
        notifyOutcome: [],
        describeTargetLock: [],
      };
      scripts.set(name, { overrides, calls });
      return {
        name,
        taskQueue,
        calls,
        start: (input = {}) =>
          env.client.workflow.start<VchaFailoverWorkflow>('vchaFailover', {
            taskQueue,
            workflowId: `${name}-${Date.now()}`,
            args: [{ target: name, planned: true, ...input }],
          }),
      };
    },
  };
}
