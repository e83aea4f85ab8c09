/**
 * The explorer's model: one VCHA cluster, its send ledger, and the `vchaFailover` runs that reach
 * it, each a step machine that mirrors `src/workflows/failover/run.ts`'s ledger path and calls the
 * same pure decision functions at each decision point (the ledger rules, `readAcquired`,
 * `claimRefused`, `ledgerVerdict`, `readPreflight`, `checkBeforeSend`, `nextSendStep`,
 * `readRefusal`, `verdict`). Activities are modelled by their possible outcomes given the cluster;
 * the environment (faults, crashes, Resets, other runs, other failovers, a worker clock ahead) is
 * a set of transitions the explorer (`explore.ts`) interleaves with the runs' steps.
 *
 * A transition mutates a copy of the world and returns the invariant violations it saw.
 */
import type { AcquireClusterResult } from '../../src/activities/ledger';
import type { FollowFailoverResult, PreflightReport } from '../../src/activities';
import type { ClusterSnapshot } from '../../src/contract/cluster';
import type { LedgerEntry, LedgerRefusal, LedgerRun, LedgerState } from '../../src/contract/ledger';
import { SEND_FAILURE_TYPES } from '../../src/contract/send';
import { ledgerEvidence } from '../../src/domain/cluster-snapshot';
import * as rules from '../../src/workflows/cluster-ledger/rules';
import {
  adoptedRequest,
  alreadySent,
  claimRefused,
  ledgerVerdict,
  readAcquired,
} from '../../src/workflows/failover/ledger-reading';
import { readPreflight } from '../../src/workflows/failover/preflight-reading';
import {
  checkBeforeSend,
  nextSendStep,
  readRefusal,
  type SendFailureFacts,
} from '../../src/workflows/failover/send-protocol';
import { failed, isEnd, type Checked, type RunEnd, type Sent } from '../../src/workflows/failover/shapes';
import { verdict, type VerdictInput } from '../../src/workflows/failover/verdict';
import { DEFAULT_STABLE_POLLS } from '../../src/domain/stability';

/** The cluster's identity (the model has one cluster) and its two nodes. */
export const CLUSTER = '10.0.0.1_10.0.0.2_10.0.0.3';
type Node = 'node-a' | 'node-b';
const other = (node: Node): Node => (node === 'node-a' ? 'node-b' : 'node-a');

/** One time for every ledger write: times only feed messages, and equal times let equal states meet. */
const AT = '2026-12-06T10:00:00.000Z';

/** The deadlines the runs follow under (the input's defaults, with the stability period of the `stable-result` patch). */
const INPUT: VerdictInput = {
  target: 'vc-a',
  deadlines: {
    failover: 30 * 60_000,
    healthy: 30 * 60_000,
    noSign: 10 * 60_000,
    approval: 30 * 60_000,
    ready: 10 * 60_000,
  },
  requireHealthy: true,
  stableMs: DEFAULT_STABLE_POLLS * 5_000,
};

/**
 * How long vCenter shows nothing of a running failover (roles, `operations.active`, its task
 * list): not at all, for less than the no-sign window, or for longer.
 */
export type Hidden = 'no' | 'short' | 'long';

/** A failover vCenter is running: whose request started it, whether it will switch the nodes or its task FAIL. */
export interface RunningFailover {
  /** The workflow id whose POST started it, or `external` (an automatic failover, another tool). */
  origin: string;
  fate: 'complete' | 'fail';
  hidden: Hidden;
  /**
   * For an external failover: the workflow ids whose request may have been out when it started (a
   * POST reached vCenter, or a claim is open): a run of those may take it for its own, since
   * nothing it can read tells them apart.
   */
  after: string[];
}

/** A failover that ended. */
export interface EndedFailover extends Omit<RunningFailover, 'hidden'> {
  /** The node that became ACTIVE (unchanged for a FAILED task). */
  activeAfter: Node;
}

/** A POST that reached vCenter (an attempt refused before connecting, or never started, did not). */
export interface Post extends LedgerRun {
  acted: boolean;
}

/** The cluster as vCenter has it. */
export interface Environment {
  active: Node;
  running?: RunningFailover;
  ended: EndedFailover[];
  posts: Post[];
  /**
   * A worker's clock runs ahead of the server's. The follow times its windows on its own monotonic
   * clock, so this changes no window: the event is kept to show it.
   */
  clockAhead: boolean;
}

/** The step a run is at, as in `run.ts`: preflight, acquire, claim, check, send, confirm, follow, finish. */
export type Step = 'preflight' | 'acquire' | 'claim' | 'check' | 'send' | 'confirm' | 'follow' | 'finish' | 'closed';

/** What a run's history holds at a workflow task: the state its replay rebuilds. */
export interface RunLocals {
  step: Step;
  passed?: { active: Node; passive: Node; snapshot: ClusterSnapshot };
  preflightEnd?: RunEnd;
  evidenceSnapshot?: ClusterSnapshot;
  /** What the check before the claim read: the claim's evidence. */
  checkSnapshot?: ClusterSnapshot;
  holdsCluster: boolean;
  claimed: boolean;
  reachedVcenter: boolean;
  attempt: number;
  sent?: Sent;
  refusal?: { message: string; status: number; errorType?: string };
  end?: RunEnd;
}

/** One run (one run id of a workflow id). */
export interface Run extends RunLocals {
  workflowId: string;
  runId: string;
  target: string;
  /** Steps taken (the bound every run must end within). */
  taken: number;
  /** The locals at each boundary between steps, oldest first: the points a Reset can go back to. */
  history: RunLocals[];
  /** How the run closed: its own end, or a Reset, a retry or a terminate. */
  closedBy?: 'end' | 'reset' | 'terminate';
  /** What was untrue of its end when it decided it (reported once the run ends). */
  untrue: string[];
  /** Where the judgement of its latest end starts in `untrue` (the ledger's finish may replace that end). */
  judgedFrom?: number;
}

/** Everything the explorer branches on. */
export interface World {
  env: Environment;
  ledger: LedgerState;
  runs: Run[];
  /** Workflow ids started so far (`wf1`, `wf2`, ...). */
  workflowIds: number;
  /** Environment events spent so far (the bound K). */
  events: number;
}

/** The bound of one exploration. */
export interface Bound {
  /** Environment events (faults, hiding, crashes, Resets, other failovers, ...) per sequence. */
  events: number;
  /** Workflow ids (runs of different ids on the one cluster). */
  workflowIds: number;
  /** Steps any one run may take before it must have ended. */
  runSteps: number;
  /**
   * Whether a local activity may outlive its workflow task (a slow vCenter read, a ledger that
   * answers late), which puts a workflow task, and so a Reset point, just before it.
   */
  slowLocalActivities: boolean;
}

/** One possible next move of the world. */
export interface Transition {
  label: string;
  /** Environment events it spends. */
  cost: number;
  apply(world: World): string[];
}

/** The world at the start: one cluster, node-a ACTIVE, one run of `wf1` about to preflight. */
export function initialWorld(): World {
  const world: World = {
    env: { active: 'node-a', ended: [], posts: [], clockAhead: false },
    ledger: rules.emptyLedger(CLUSTER),
    runs: [],
    workflowIds: 0,
    events: 0,
  };
  startWorkflowId(world);
  return world;
}

function freshLocals(): RunLocals {
  return { step: 'preflight', holdsCluster: false, claimed: false, reachedVcenter: false, attempt: 1 };
}

function localsOf(run: Run): RunLocals {
  const {
    step,
    passed,
    preflightEnd,
    evidenceSnapshot,
    checkSnapshot,
    holdsCluster,
    claimed,
    reachedVcenter,
    attempt,
  } = run;
  return structuredClone({
    step,
    passed,
    preflightEnd,
    evidenceSnapshot,
    checkSnapshot,
    holdsCluster,
    claimed,
    reachedVcenter,
    attempt,
    sent: run.sent,
    refusal: run.refusal,
    end: run.end,
  });
}

/** A new workflow id on the cluster, reached by another name of it (an alias, a fleet sibling). */
function startWorkflowId(world: World): void {
  world.workflowIds += 1;
  const workflowId = `wf${world.workflowIds}`;
  const target = world.workflowIds === 1 ? 'vc-a' : `vc-a-alias${world.workflowIds}`;
  world.runs.push(newRun(world, workflowId, target, freshLocals(), []));
}

function newRun(world: World, workflowId: string, target: string, locals: RunLocals, history: RunLocals[]): Run {
  const runs = world.runs.filter((run) => run.workflowId === workflowId).length;
  return {
    ...structuredClone(locals),
    workflowId,
    runId: `${workflowId}-run${runs + 1}`,
    target,
    taken: 0,
    history: structuredClone(history),
    untrue: [],
  };
}

const isOpen = (run: Run) => run.step !== 'closed';
const isClosedRun = (world: World, run: LedgerRun) =>
  !world.runs.some((candidate) => candidate.runId === run.runId && isOpen(candidate));

/** The cluster as a read sees it now: a running failover shows unless vCenter hides it. */
function snapshotOf(env: Environment): ClusterSnapshot {
  const running = env.running !== undefined && env.running.hidden === 'no';
  return {
    observedAt: AT,
    members: [],
    activeNode: env.active,
    passiveNode: other(env.active),
    failoverRunning: running,
    healthMessages: [],
  };
}

/** The check activity's answer (`activities/check-cluster.ts`). */
function checkOf(env: Environment, run: Run): Checked {
  const snapshot = snapshotOf(env);
  const rolesKept = snapshot.activeNode === run.passed!.active && snapshot.passiveNode === run.passed!.passive;
  const unchanged = rolesKept && snapshot.failoverRunning !== true;
  return {
    read: true,
    check: {
      unchanged,
      snapshot,
      detail: `active ${snapshot.activeNode}; ${snapshot.failoverRunning ? 'a failover is running' : 'no failover running'}`,
    },
  };
}

/** A ledger Update as `vchaClusterLedger` runs it: the validator's check, then the handler's same rule, applied. */
class LedgerRefused extends Error {
  constructor(readonly refusal: LedgerRefusal) {
    super(refusal.message);
  }
}
function update<Request, Reply>(
  world: World,
  rule: (state: LedgerState, request: Request) => rules.LedgerDecision<Reply>,
  request: Request,
): Reply {
  const validated = rule(world.ledger, request);
  if ('refused' in validated) throw new LedgerRefused(validated.refused);
  const decision = rule(world.ledger, request);
  if ('refused' in decision) throw new Error('the handler refused what its validator accepted');
  decision.apply(world.ledger);
  return decision.reply;
}

/**
 * After every ledger write: at most one unresolved request per cluster, and none settled by the
 * cluster's state while its failover still runs.
 */
function ledgerInvariant(world: World): string[] {
  const found: string[] = [];
  const unresolved = world.ledger.entries.filter(rules.isUnresolved);
  if (unresolved.length > 1)
    found.push(`two unresolved requests in the ledger: ${unresolved.map((entry) => entry.workflowId).join(', ')}`);
  const running = world.env.running?.origin;
  const settled = world.ledger.entries.find(
    (entry) => entry.settled?.by === 'cluster-state' && entry.workflowId === running,
  );
  if (settled)
    found.push(`the ledger settled ${settled.workflowId}'s request by the cluster's state while its failover runs`);
  return found;
}

/** The acquire activity (`activities/ledger.ts`): ask, and take over from another id's holder Temporal describes closed. */
function acquireActivity(world: World, run: Run): AcquireClusterResult {
  const request = {
    workflowId: run.workflowId,
    runId: run.runId,
    type: 'vchaFailover',
    target: run.target,
    ...(run.evidenceSnapshot ? { evidence: ledgerEvidence(run.evidenceSnapshot) } : {}),
    at: AT,
  };
  let reply = update(world, rules.acquire, request);
  if (!reply.held) {
    if (!isClosedRun(world, reply.holder)) return reply;
    const { workflowId, runId } = reply.holder;
    reply = update(world, rules.acquire, { ...request, takeOverFrom: { workflowId, runId } });
  }
  return reply;
}

/** How a ledger local activity ends: answered, re-run after a crash (its Updates applied), or failed for good. */
type LedgerFault = 'none' | 'crash' | 'fail';
const LEDGER_FAULTS: LedgerFault[] = ['none', 'crash', 'fail'];

/** The end of a run that could not reach the ledger (`run.ts`). */
const LEDGER_UNREACHABLE = 'could not reach the send ledger';
const ledgerUnreachable = (what: string): RunEnd =>
  failed('PreflightRejected', `${LEDGER_UNREACHABLE} (${what}): nothing was sent`);

/**
 * The send activity's possible ends, as `activities/send-failover.ts` classifies them: whether the
 * request reached vCenter, whether vCenter started a failover, and the facts `send.ts` reads.
 */
export interface SendFault {
  name: string;
  reached: boolean;
  acted: boolean;
  facts?: SendFailureFacts;
  status?: number;
  /** A refusal's vAPI error type: only some prove vCenter refused before starting. */
  errorType?: string;
}
const maybeSent = (message: string): SendFailureFacts => ({
  applicationType: SEND_FAILURE_TYPES.maybeSent,
  neverStarted: false,
  message,
});
const refused = (message: string): SendFailureFacts => ({
  applicationType: SEND_FAILURE_TYPES.refused,
  neverStarted: false,
  message,
});
const timedOut: SendFailureFacts = { neverStarted: false, message: 'activity StartToClose timeout' };
export const SEND_FAULTS: SendFault[] = [
  { name: 'accepted', reached: true, acted: true },
  {
    name: 'refused before connecting',
    reached: false,
    acted: false,
    facts: { applicationType: SEND_FAILURE_TYPES.notSent, neverStarted: false, message: 'ECONNREFUSED' },
  },
  { name: 'never started', reached: false, acted: false, facts: { neverStarted: true, message: 'ScheduleToStart' } },
  { name: 'reset before vCenter acted', reached: true, acted: false, facts: maybeSent('ECONNRESET') },
  { name: 'reset after vCenter acted', reached: true, acted: true, facts: maybeSent('ECONNRESET') },
  { name: 'late answer', reached: true, acted: true, facts: timedOut },
  { name: 'worker crash during the send, vCenter acted', reached: true, acted: true, facts: timedOut },
  { name: 'worker crash during the send, nothing acted', reached: true, acted: false, facts: timedOut },
  { name: 'proxy 502, vCenter acted', reached: true, acted: true, facts: maybeSent('HTTP 502') },
  { name: 'proxy 503, nothing acted', reached: true, acted: false, facts: maybeSent('HTTP 503') },
  {
    name: 'vAPI 401 UNAUTHENTICATED refusal',
    reached: true,
    acted: false,
    facts: refused('HTTP 401 UNAUTHENTICATED'),
    status: 401,
    errorType: 'UNAUTHENTICATED',
  },
  {
    name: 'vAPI 500 before starting',
    reached: true,
    acted: false,
    facts: refused('HTTP 500 ERROR'),
    status: 500,
    errorType: 'ERROR',
  },
  {
    name: 'vAPI 500 after starting',
    reached: true,
    acted: true,
    facts: refused('HTTP 500 ERROR'),
    status: 500,
    errorType: 'ERROR',
  },
  { name: 'malformed answer', reached: true, acted: true, facts: maybeSent('unexpected body') },
];

/** The end types that say this run sent nothing. */
const NOTHING_SENT = new Set(['PreflightRejected', 'TargetBusy', 'UnresolvedFailover', 'AlreadySent', 'Cancelled']);

/** Checks an end when the run decides it: what must be true of the cluster, the ledger and the POSTs right now. */
function judgeEnd(world: World, run: Run, end: RunEnd): void {
  const posted = world.env.posts.filter((post) => post.workflowId === run.workflowId);
  if (NOTHING_SENT.has(end.outcome)) {
    if (posted.some((post) => post.runId === run.runId))
      run.untrue.push(`${end.outcome} ("sent nothing") but this run's POST reached vCenter`);
    // A run that could not reach the ledger cannot know what earlier runs of its id sent.
    else if (end.outcome !== 'AlreadySent' && !end.message.startsWith(LEDGER_UNREACHABLE) && posted.length > 0)
      run.untrue.push(`${end.outcome} ("nothing was sent") but run ${posted[0]!.runId} of this workflow id posted`);
  }
  if (end.outcome === 'AlreadySent') {
    const earlier = world.ledger.entries.some(
      (entry) => entry.workflowId === run.workflowId && entry.runId !== run.runId && entry.state !== 'withdrawn',
    );
    if (!earlier) run.untrue.push('AlreadySent but no earlier run of this workflow id claimed');
  }
  if (end.outcome === 'FailoverFlippedBack') {
    // "It switched, then failed back by itself": the node it left is ACTIVE again, after a switch to the other.
    const { active, passive } = run.passed!;
    if (world.env.active !== active) run.untrue.push(`FailoverFlippedBack but ${active} is not ACTIVE again`);
    const last = world.env.ended.at(-1);
    const before = world.env.ended.at(-2);
    if (last?.origin !== 'external' || last.activeAfter !== active || before?.activeAfter !== passive)
      run.untrue.push(`FailoverFlippedBack but the cluster did not switch to ${passive} and back by itself`);
  }
  if (end.outcome === 'SUCCEEDED' || end.outcome === 'FailoverNotHealthy' || end.outcome === 'VcenterNotReady') {
    const passive = run.passed!.passive;
    if (world.env.active !== passive) run.untrue.push(`${end.outcome} but ${passive} is not ACTIVE`);
    const its = world.env.ended.some(
      (ended) =>
        ended.fate === 'complete' &&
        ended.activeAfter === passive &&
        (ended.origin === run.workflowId || (ended.origin === 'external' && ended.after.includes(run.workflowId))),
    );
    // Someone else's failover to the same node is indistinguishable when nothing ties the switch to
    // this request (no task of its own): the verdict is then true only if it says so.
    const saysItMayBeAnother = end.message.includes('the evidence fits another failover as well');
    if (!its && !saysItMayBeAnother)
      run.untrue.push(`${end.outcome} but no failover of this request (or started after it) switched to ${passive}`);
  }
}

/** Final checks once every run closed and no failover is running. */
export function finalViolations(world: World): string[] {
  const found: string[] = [];
  for (const run of world.runs) {
    if (run.closedBy !== 'end') continue;
    found.push(...run.untrue.map((what) => `${run.runId}: ${what}`));
    if (run.end?.outcome === 'FailoverFailed') {
      const switched = world.env.ended.some((ended) => ended.origin === run.workflowId && ended.fate === 'complete');
      if (switched) found.push(`${run.runId}: FailoverFailed but this workflow id's request failed the cluster over`);
    }
  }
  return found;
}

/** Sets the run's end and moves it to its finish. */
function endWith(world: World, run: Run, end: RunEnd): void {
  run.end = end;
  run.judgedFrom = run.untrue.length;
  judgeEnd(world, run, end);
  run.step = 'finish';
}

/** The follow activity's possible results, from the cluster (`activities/follow.ts`), with what each does to it. */
function followResults(
  world: World,
  run: Run,
): { label: string; cost: number; result: FollowFailoverResult['outcome']; effect?: 'complete' | 'flip-back' }[] {
  const { env } = world;
  const sent = run.sent!;
  const passive = run.passed!.passive;
  const unconfirmed = sent.triggered === 'unknown';
  const running = env.running;
  if (running && !unconfirmed && running.origin === run.workflowId) {
    // An accepted request: the follow watches its own task to its end, then reads the roles.
    const after = running.fate === 'complete' ? other(env.active) : env.active;
    const results: ReturnType<typeof followResults> = [];
    if (after === passive) {
      results.push({ label: 'its task succeeded: verified', cost: 0, result: 'verified', effect: 'complete' });
      results.push({ label: 'switched, not healthy in time', cost: 1, result: 'healthy-deadline', effect: 'complete' });
      results.push(...afterTheSwitch(passive));
    } else if (running.fate === 'fail' && after === run.passed!.active) {
      results.push({ label: 'its task FAILED', cost: 0, result: 'failed', effect: 'complete' });
    } else {
      results.push({
        label: `its task ended, ${after} ACTIVE`,
        cost: 0,
        result: 'switch-deadline',
        effect: 'complete',
      });
    }
    results.push({ label: 'no switch before the deadline', cost: 1, result: 'switch-deadline' });
    return results;
  }
  if (env.active === passive)
    return [{ label: `${passive} ACTIVE: verified`, cost: 0, result: 'verified' }, ...afterTheSwitch(passive, false)];
  const results: ReturnType<typeof followResults> = [];
  if (running) {
    const windowPasses = unconfirmed && running.hidden === 'long';
    if (running.fate === 'complete') {
      results.push({ label: 'the failover switches: verified', cost: 0, result: 'verified', effect: 'complete' });
      results.push({ label: 'switched, not healthy in time', cost: 1, result: 'healthy-deadline', effect: 'complete' });
      results.push(...afterTheSwitch(passive));
    } else if (!unconfirmed || running.hidden !== 'long') {
      results.push({ label: 'its task FAILED', cost: 0, result: 'failed', effect: 'complete' });
    }
    if (windowPasses) results.push({ label: 'hidden past the no-sign window', cost: 0, result: 'no-sign' });
    results.push({ label: 'no switch before the deadline', cost: 1, result: 'switch-deadline' });
    return results;
  }
  if (!unconfirmed) {
    const own = env.ended.at(-1);
    const failedTask = own !== undefined && own.origin === run.workflowId && own.fate === 'fail';
    return [
      failedTask
        ? { label: 'its task FAILED', cost: 0, result: 'failed' }
        : { label: 'no switch before the deadline', cost: 0, result: 'switch-deadline' },
    ];
  }
  return [{ label: 'no sign of a failover for the window', cost: 0, result: 'no-sign' }];
}

/**
 * The stability period's ends once the cluster is back on `passive` (`domain/stability.ts`): VCHA
 * fails back by itself (FailoverFlippedBack), no whole period of reads shows the new roles
 * (FailoverOutcomeUnknown), or the roles held but vCenter does not serve in time (VcenterNotReady,
 * `domain/readiness.ts`). `completes`: the switch is the running failover's end.
 */
function afterTheSwitch(passive: Node, completes = true): ReturnType<typeof followResults> {
  return [
    {
      label: `${passive} ACTIVE, then VCHA fails back by itself`,
      cost: 1,
      result: 'flipped-back',
      effect: 'flip-back',
    },
    {
      label: 'back, but the roles not proven held for the period',
      cost: 1,
      result: 'hold-unproven',
      ...(completes ? { effect: 'complete' as const } : {}),
    },
    {
      label: 'back and held, but vCenter does not serve in time',
      cost: 1,
      result: 'not-ready',
      ...(completes ? { effect: 'complete' as const } : {}),
    },
  ];
}

/** VCHA fails the cluster back by itself (Broadcom KB 430364): the nodes swap again, with no request. */
function failBack(env: Environment): void {
  env.active = other(env.active);
  env.ended.push({ origin: 'external', fate: 'complete', after: [], activeAfter: env.active });
}

/** Ends the running failover: its task succeeded (the nodes swap) or FAILED. */
function endRunning(env: Environment): void {
  const running = env.running!;
  if (running.fate === 'complete') env.active = other(env.active);
  const { hidden: _hidden, ...rest } = running;
  env.ended.push({ ...rest, activeAfter: env.active });
  delete env.running;
}

/** The transitions of one open run's next step. */
function runTransitions(world: World, index: number, bound: Bound): Transition[] {
  const run = world.runs[index]!;
  const name = `${run.runId} ${run.step}`;
  const step = (label: string, cost: number, apply: (w: World, r: Run) => string[] | void): Transition => ({
    label: `${name}: ${label}`,
    cost,
    apply(w) {
      const r = w.runs[index]!;
      r.history.push(localsOf(r));
      r.taken += 1;
      const found = apply(w, r) ?? [];
      if (r.taken > bound.runSteps && r.step !== 'closed')
        found.push(`${r.runId} did not end within ${bound.runSteps} steps`);
      return found;
    },
  });
  switch (run.step) {
    case 'preflight':
      return [
        step('read', 0, (w, r) => {
          const snapshot = snapshotOf(w.env);
          const report: PreflightReport = {
            snapshot,
            checks: [
              {
                id: 'no-failover-running',
                ok: snapshot.failoverRunning !== true,
                detail: `no failover is running (saw ${snapshot.failoverRunning ? 'one' : 'none'})`,
              },
            ],
            cluster: CLUSTER,
          };
          const read = readPreflight(report, { target: r.target });
          r.evidenceSnapshot = snapshot;
          if (isEnd(read)) r.preflightEnd = read;
          else r.passed = { active: read.active as Node, passive: read.passive as Node, snapshot };
          r.step = 'acquire';
        }),
      ];
    case 'acquire':
      return LEDGER_FAULTS.map((fault) =>
        step(fault === 'none' ? 'answered' : `ledger ${fault}`, fault === 'none' ? 0 : 1, (w, r) => {
          let acquired: AcquireClusterResult;
          try {
            acquired = acquireActivity(w, r);
          } catch (error) {
            if (!(error instanceof LedgerRefused)) throw error;
            endWith(w, r, ledgerUnreachable(error.message));
            return ledgerInvariant(w);
          }
          if (fault === 'crash') return ledgerInvariant(w); // Re-run: the Updates are applied, the step is not.
          if (fault === 'fail') {
            endWith(w, r, ledgerUnreachable('acquire'));
            return ledgerInvariant(w);
          }
          r.holdsCluster = acquired.held && acquired.via === 'holder';
          const start = readAcquired(acquired, r.target, CLUSTER);
          if (start.step === 'end') endWith(w, r, start.end);
          else if (start.step === 'follow-adopted') {
            r.passed = {
              active: start.entry.previousActive as Node,
              passive: start.entry.previousPassive as Node,
              snapshot: r.evidenceSnapshot!,
            };
            r.claimed = true;
            r.sent = start.sent;
            r.step = 'follow';
          } else if (r.preflightEnd) endWith(w, r, r.preflightEnd);
          else r.step = 'check';
          return ledgerInvariant(w);
        }),
      );
    case 'claim':
      return LEDGER_FAULTS.map((fault) =>
        step(fault === 'none' ? 'answered' : `ledger ${fault}`, fault === 'none' ? 0 : 1, (w, r) => {
          let entry: LedgerEntry;
          try {
            entry = update(w, rules.claim, {
              workflowId: r.workflowId,
              runId: r.runId,
              target: r.target,
              planned: true,
              previousActive: r.passed!.active,
              previousPassive: r.passed!.passive,
              ...(r.checkSnapshot ? { evidence: ledgerEvidence(r.checkSnapshot) } : {}),
              at: AT,
            });
          } catch (error) {
            if (!(error instanceof LedgerRefused)) throw error;
            endWith(w, r, claimRefused(error.refusal, r.target, CLUSTER));
            return ledgerInvariant(w);
          }
          if (fault === 'crash') return ledgerInvariant(w);
          if (fault === 'fail') endWith(w, r, ledgerUnreachable('claim'));
          else if (entry.adoptedFrom !== undefined) {
            // Reset after its claim: the earlier run's request is this run's to follow, never to send again.
            r.passed = {
              active: entry.previousActive as Node,
              passive: entry.previousPassive as Node,
              snapshot: r.passed!.snapshot,
            };
            r.claimed = true;
            r.sent = adoptedRequest(entry, r.target).sent;
            r.step = 'follow';
          } else {
            r.claimed = true;
            r.step = 'send';
          }
          return ledgerInvariant(w);
        }),
      );
    case 'check':
      return [
        step('read', 0, (w, r) => {
          const checked = checkOf(w.env, r);
          const stop = checkBeforeSend(checked, r.target, false);
          if (stop) {
            // Before a "nothing was sent" end, `send.ts` asks the ledger about an earlier run's claim of this id.
            let earlier: LedgerEntry | undefined;
            try {
              earlier = update(w, rules.claim, {
                workflowId: r.workflowId,
                runId: r.runId,
                target: r.target,
                planned: true,
                previousActive: r.passed!.active,
                previousPassive: r.passed!.passive,
                ...(checked.read ? { evidence: ledgerEvidence(checked.check.snapshot) } : {}),
                onlyEarlier: true,
                at: AT,
              });
            } catch (error) {
              if (!(error instanceof LedgerRefused)) throw error;
              const none = error.refusal.reason === 'no-such-entry' || error.refusal.reason === 'not-holder';
              endWith(w, r, none ? stop : claimRefused(error.refusal, r.target, CLUSTER));
              return;
            }
            r.passed = {
              active: earlier.previousActive as Node,
              passive: earlier.previousPassive as Node,
              snapshot: r.passed!.snapshot,
            };
            r.claimed = true;
            r.sent = adoptedRequest(earlier, r.target).sent;
            r.step = 'follow';
          } else {
            // The claim after the check, in the workflow task that schedules the attempt (`send.ts`).
            r.checkSnapshot = checked.read ? checked.check.snapshot : undefined;
            r.step = 'claim';
          }
        }),
      ];
    case 'send':
      return sendTransitions(world, run, step);
    case 'confirm':
      return [
        step('read', 0, (w, r) => {
          const read = readRefusal(r.refusal!, checkOf(w.env, r), r.target, 0, {
            refusalNeedsProof: () => true,
            refusal5xxWaitsNoSign: () => true,
          });
          if (read.step === 'end') endWith(w, r, read.end);
          else {
            r.sent = read.sent;
            r.step = 'follow';
          }
        }),
      ];
    case 'follow':
      return followResults(world, run).map((option) =>
        step(option.label, option.cost, (w, r) => {
          if (option.effect === 'complete') endRunning(w.env);
          if (option.effect === 'flip-back') {
            // A failover still running ends first; when it already switched back, it was the flip.
            if (w.env.running) endRunning(w.env);
            if (w.env.active !== r.passed!.active) failBack(w.env);
          }
          const followed: FollowFailoverResult = {
            outcome: option.result,
            observation: option.label,
            observations: [],
            longestOutageMs: 0,
            ...(option.result === 'failed' ? { taskError: 'the failover task FAILED' } : {}),
          };
          endWith(w, r, verdict(followed, r.sent!, r.passed!, { ...INPUT, target: r.target }));
        }),
      );
    case 'finish':
      // A run that neither holds the cluster nor claimed has nothing to tell the ledger.
      return (run.holdsCluster || run.claimed ? LEDGER_FAULTS : (['none'] as LedgerFault[])).map((fault) =>
        step(fault === 'none' ? 'recorded' : `ledger ${fault}`, fault === 'none' ? 0 : 1, (w, r) => {
          if (r.holdsCluster || r.claimed) {
            const verdictOf = r.claimed ? ledgerVerdict(r.end!, r.sent, r.reachedVcenter) : undefined;
            if (fault !== 'fail') {
              try {
                const reply = update(w, rules.finish, {
                  workflowId: r.workflowId,
                  runId: r.runId,
                  ...(verdictOf ? { verdict: verdictOf } : {}),
                  at: AT,
                });
                // As `run.ts` does: an end an earlier run of the id recorded is the request's end.
                if (fault === 'none' && reply.endedBefore) {
                  // The end recorded is the earlier run's, judged now in place of the one this run reached.
                  r.end = alreadySent(reply.endedBefore, r.target);
                  r.untrue.splice(r.judgedFrom ?? r.untrue.length);
                  judgeEnd(w, r, r.end);
                }
              } catch (error) {
                if (!(error instanceof LedgerRefused)) throw error;
              }
            }
            if (fault === 'crash') return ledgerInvariant(w);
          }
          r.step = 'closed';
          r.closedBy = 'end';
          return ledgerInvariant(w);
        }),
      );
    case 'closed':
      return [];
  }
}

/** The send activity's outcomes (each fault kind; for a failover it starts, its fate and how long vCenter hides it). */
function sendTransitions(
  world: World,
  run: Run,
  step: (label: string, cost: number, apply: (w: World, r: Run) => string[] | void) => Transition,
): Transition[] {
  const transitions: Transition[] = [];
  // A vCenter already running a failover starts no second one: a POST then only reaches it.
  const faults = SEND_FAULTS.filter((fault) => !(fault.acted && world.env.running));
  for (const fault of faults) {
    const fates: { fate: 'complete' | 'fail'; hidden: Hidden }[] = fault.acted
      ? (['complete', 'fail'] as const).flatMap((fate) =>
          (['no', 'short', 'long'] as const).map((hidden) => ({ fate, hidden })),
        )
      : [{ fate: 'complete', hidden: 'no' }];
    for (const { fate, hidden } of fates) {
      const cost = (fault.name === 'accepted' ? 0 : 1) + (hidden === 'no' ? 0 : 1) + (fate === 'fail' ? 1 : 0);
      const label = fault.acted
        ? `${fault.name} (${fate === 'fail' ? 'task will FAIL' : 'will switch'}, hidden ${hidden})`
        : fault.name;
      transitions.push(
        step(label, cost, (w, r) => {
          const found: string[] = [];
          if (fault.reached) {
            const again = w.env.posts.find((post) => post.workflowId === r.workflowId);
            if (again) found.push(`a second POST of ${r.workflowId} reached vCenter (${again.runId}, then ${r.runId})`);
            const unresolved = w.ledger.entries.find(
              (entry: LedgerEntry) => entry.workflowId !== r.workflowId && rules.isUnresolved(entry),
            );
            if (unresolved)
              found.push(`${r.runId} posted while ${unresolved.workflowId}'s request is unresolved in the ledger`);
            if (w.env.running && w.env.running.origin !== 'external' && w.env.running.origin !== r.workflowId)
              found.push(`${r.runId} posted while ${w.env.running.origin}'s failover is running`);
            w.env.posts.push({ workflowId: r.workflowId, runId: r.runId, acted: fault.acted });
          }
          if (fault.acted) w.env.running = { origin: r.workflowId, fate, hidden, after: [] };
          if (!fault.facts) {
            r.sent = { triggered: 'yes', taskId: `task-${r.runId}`, at: 0 };
            r.step = 'follow';
            return found;
          }
          const next = nextSendStep(r.attempt, fault.facts, r.target, 0);
          switch (next.step) {
            case 'end':
            case 'give-up':
              endWith(w, r, next.end);
              break;
            case 'confirm-refusal':
              r.reachedVcenter = true;
              r.refusal = {
                message: fault.facts.message,
                status: fault.status ?? 500,
                ...(fault.errorType ? { errorType: fault.errorType } : {}),
              };
              r.step = 'confirm';
              break;
            case 'follow':
              r.sent = next.sent;
              r.step = 'follow';
              break;
            case 'send-again':
              r.attempt += 1;
              r.step = 'check';
          }
          return found;
        }),
      );
    }
  }
  return transitions;
}

/**
 * Whether a Reset can land just before step `next` (after step `previous`): the first workflow
 * task; the one that handles an activity's result (preflight, send, follow; after a send proved
 * not sent, also the one its backoff timer fires in); and, since a local activity
 * that outlives the workflow task's timeout makes the SDK complete the task with the markers so
 * far, the one before any local activity (acquire, claim, check, confirm, finish). Never between
 * the check and the send, nor between a confirm or an adopt and the follow: the send and the
 * follow are scheduled by the workflow task that read the local activity before them.
 */
function isWorkflowTask(next: Step, previous: Step | undefined, bound: Bound): boolean {
  if (previous === undefined) return true;
  if (previous === 'preflight' || previous === 'send' || previous === 'follow') return true;
  return bound.slowLocalActivities && next !== 'send' && next !== 'follow';
}

/** Some run is between its check and its POST (one workflow task: the explorer lets nothing happen to the cluster there). */
const sending = (world: World) => world.runs.some((run) => run.step === 'send' || run.step === 'claim');

/** Every transition from `world` within the bound: the runs' steps, the environment's events, the cluster's progress. */
export function transitions(world: World, bound: Bound): Transition[] {
  const all: Transition[] = [];
  world.runs.forEach((run, index) => {
    if (isOpen(run)) all.push(...runTransitions(world, index, bound));
  });
  const { env } = world;
  if (sending(world)) {
    // The check and the POST are one workflow task apart: no failover starts or ends in between.
  } else if (env.running) {
    all.push({
      label: `vCenter ends ${env.running.origin}'s failover (${env.running.fate === 'complete' ? 'switched' : 'task FAILED'})`,
      cost: 0,
      apply: (w) => (endRunning(w.env), []),
    });
  } else {
    for (const hidden of ['no', 'short', 'long'] as const) {
      all.push({
        label: `someone else starts a failover (hidden ${hidden})`,
        cost: 1,
        apply(w) {
          // The requests it could be mistaken for: every workflow id whose POST may be out.
          const mayBeOut = [
            ...w.env.posts.map((post) => post.workflowId),
            ...w.ledger.entries.filter((entry) => entry.state === 'claimed').map((entry) => entry.workflowId),
          ];
          const after = [...new Set(mayBeOut)];
          w.env.running = { origin: 'external', fate: 'complete', hidden, after };
          return [];
        },
      });
    }
  }
  if (world.workflowIds < bound.workflowIds) {
    all.push({
      label: `a run of another workflow id (wf${world.workflowIds + 1}, another name of the cluster)`,
      cost: 1,
      apply: (w) => (startWorkflowId(w), []),
    });
  }
  if (!env.clockAhead) {
    all.push({
      label: "a worker's clock runs ahead of the server's",
      cost: 1,
      apply: (w) => ((w.env.clockAhead = true), []),
    });
  }
  const latest = new Map<string, number>();
  world.runs.forEach((run, index) => latest.set(run.workflowId, index));
  for (const index of latest.values()) {
    const run = world.runs[index]!;
    if (isOpen(run)) {
      all.push({
        label: `terminate ${run.runId} (or its run timeout)`,
        cost: 1,
        apply(w) {
          const r = w.runs[index]!;
          r.step = 'closed';
          r.closedBy = 'terminate';
          return [];
        },
      });
    }
    // Reset to any workflow task it passed, or the one it is at (0 = the first: also a workflow
    // retry, and a re-run of a closed id). The new run replays the history up to that point.
    const points = run.history.length + (isOpen(run) ? 1 : 0);
    for (let point = 0; point < points; point++) {
      const at = point < run.history.length ? run.history[point]!.step : run.step;
      if (!isWorkflowTask(at, point === 0 ? undefined : run.history[point - 1]!.step, bound)) continue;
      all.push({
        label: `Reset ${run.runId} to its workflow task before "${at}"${point === 0 ? ' (or a workflow retry, a re-run of the id)' : ''}`,
        cost: 1,
        apply(w) {
          const r = w.runs[index]!;
          const locals = point === 0 ? freshLocals() : point < r.history.length ? r.history[point]! : localsOf(r);
          if (isOpen(r)) {
            r.step = 'closed';
            r.closedBy = 'reset';
          }
          const reset = newRun(w, r.workflowId, r.target, locals, r.history.slice(0, point));
          // A Reset to after the end was decided replays that end, judged when it was decided.
          if (reset.end) reset.untrue = [...r.untrue];
          w.runs.push(reset);
          return [];
        },
      });
    }
  }
  if (!env.running) {
    for (const entry of world.ledger.entries.filter(rules.isUnresolved)) {
      all.push({
        label: `a person acknowledges ${entry.workflowId}'s unresolved request`,
        cost: 1,
        apply(w) {
          try {
            update(w, rules.acknowledge, { workflowId: entry.workflowId, person: 'ops', reason: 'checked', at: AT });
          } catch (error) {
            if (!(error instanceof LedgerRefused)) throw error;
          }
          return [];
        },
      });
    }
  }
  return all;
}

/** Every run closed and no failover running: an end of a sequence. */
export function quiescent(world: World): boolean {
  return world.env.running === undefined && world.runs.every((run) => !isOpen(run));
}
