/**
 * Reading the cluster ledger's answers (`cluster-ledger/rules.ts`) into the run's next step, and
 * the run's end into what the ledger keeps. Pure (no SDK values): unit tests and the explorer drive
 * these with the ledger rules and the send protocol.
 */
import type { AcquireClusterResult } from '../../activities/ledger';
import type { FinishRequest, LedgerEntry, LedgerRefusal } from '../../contract/ledger';
import { WORKFLOW_TYPES } from '../../contract/names';
import { failed, type RunEnd, type Sent } from './shapes';

/** What the run does once it asked for the cluster. */
export type LedgerStart =
  | { step: 'end'; end: RunEnd }
  /** An earlier run of this workflow id claimed the send and closed before its verdict: follow that request. */
  | { step: 'follow-adopted'; entry: LedgerEntry; sent: Sent; observation: string }
  | { step: 'proceed' };

/** The operator's way out of an unresolved request: what proves it settled, or who may acknowledge it. */
export function unresolvedAdvice(entry: LedgerEntry, target: string, cluster: string): string {
  return (
    `before a new failover, check ${target}: once it shows ${entry.previousPassive} ACTIVE with no failover ` +
    `running, the next run settles it by itself; if it still shows ${entry.previousActive} ACTIVE, vCenter's tasks ` +
    `show no failover since ${entry.claimedAt} and the cluster has been HEALTHY for a while, acknowledge it: ` +
    `vcha-failover acknowledge ${entry.workflowId} --cluster ${cluster} --by <your name> --reason <what you checked>`
  );
}

/** The end for a request of this workflow id made by an earlier run. */
export function alreadySent(entry: LedgerEntry, target: string): RunEnd {
  const outcome = entry.outcome
    ? `${entry.outcome}: ${entry.message ?? ''}`.trim()
    : 'not known (its run ended without a verdict)';
  return failed(
    'AlreadySent',
    `this workflow id already sent the failover of ${target} at ${entry.claimedAt} (run ${entry.runId}); ` +
      `its outcome: ${outcome}; this run sent nothing; use a new workflow id for a new failover`,
  );
}

/** The end for another workflow id's unresolved request. */
export function unresolvedFailover(entry: LedgerEntry, target: string, cluster: string, why: string): RunEnd {
  return failed(
    'UnresolvedFailover',
    `the failover of this cluster requested by ${entry.workflowId} (run ${entry.runId}, as ${entry.target}) at ` +
      `${entry.claimedAt} is unresolved (${why}): nothing was sent; ${unresolvedAdvice(entry, target, cluster)}`,
    { heldBy: { workflowId: entry.workflowId, runId: entry.runId } },
  );
}

/**
 * This workflow id's request, claimed by an earlier run that closed before its verdict (a Reset, a
 * workflow retry): what the run follows instead of sending, and what it notes.
 */
export function adoptedRequest(entry: LedgerEntry, target: string): { sent: Sent; observation: string } {
  const earlier = entry.adoptedFrom ?? 'unknown';
  return {
    sent: {
      triggered: 'unknown',
      at: Date.parse(entry.claimedAt),
      why: `run ${earlier} of this workflow id claimed the request at ${entry.claimedAt} and closed before its verdict`,
    },
    observation:
      `this workflow id already claimed the failover of ${target} at ${entry.claimedAt} (run ${earlier}, closed): ` +
      `not sending again; following that request`,
  };
}

/** The end of a run that followed its workflow id's earlier request: the verdict, and whose request it was. */
export function adoptedEnd(end: RunEnd, entry: LedgerEntry): RunEnd {
  return {
    ...end,
    message: `${end.message} (the request claimed at ${entry.claimedAt} by run ${entry.adoptedFrom ?? 'unknown'} of this workflow id; this run sent nothing)`,
  };
}

/** The step after `acquireCluster`. */
export function readAcquired(acquired: AcquireClusterResult, target: string, cluster: string): LedgerStart {
  if (!acquired.held) {
    // Its own workflow id's earlier request comes first: "busy, nothing was sent" would hide it.
    if (acquired.sameWorkflowId) return { step: 'end', end: alreadySent(acquired.sameWorkflowId, target) };
    const { holder } = acquired;
    const doing = holder.type === WORKFLOW_TYPES.maintenance ? 'holding it for maintenance' : 'failing it over';
    const alias = holder.target !== target ? ` (as ${holder.target}, another name of the same cluster)` : '';
    return {
      step: 'end',
      end: failed(
        'TargetBusy',
        `target ${target} is busy: run ${holder.workflowId} (${holder.runId}) is ${doing}${alias}`,
        {
          heldBy: { workflowId: holder.workflowId, runId: holder.runId },
        },
      ),
    };
  }
  if (acquired.adopted)
    return { step: 'follow-adopted', entry: acquired.adopted, ...adoptedRequest(acquired.adopted, target) };
  if (acquired.sameWorkflowId) return { step: 'end', end: alreadySent(acquired.sameWorkflowId, target) };
  if (acquired.unresolved) {
    const entry = acquired.unresolved;
    const why =
      entry.state === 'claimed'
        ? 'its run claimed the send and never ended with a verdict'
        : `it ended ${entry.outcome}`;
    return { step: 'end', end: unresolvedFailover(entry, target, cluster, why) };
  }
  return { step: 'proceed' };
}

/** The end for a refused claim. */
export function claimRefused(refusal: LedgerRefusal, target: string, cluster: string): RunEnd {
  const { entry } = refusal;
  switch (refusal.reason) {
    case 'already-claimed':
      if (entry) return alreadySent(entry, target);
      break;
    case 'unresolved':
      if (entry) return unresolvedFailover(entry, target, cluster, refusal.message);
      break;
    case 'not-holder':
      return failed('TargetBusy', `target ${target} is busy: ${refusal.message}; nothing was sent`);
    case 'once-per-fleet':
      return failed('PreflightRejected', `${refusal.message}: nothing was sent`, {
        failedChecks: [{ id: 'once-per-fleet', ok: false, detail: refusal.message }],
      });
  }
  return failed('PreflightRejected', `the cluster's ledger refused the send: ${refusal.message}; nothing was sent`);
}

/**
 * Outcomes that prove what the cluster did after a request went out. A flip back proves it too: the
 * request's failover happened, and the cluster then failed back by itself (its roles were read). So
 * does a vCenter that did not serve: the switch was proven and the roles held; only its services lag.
 */
const PROVING_OUTCOMES: ReadonlySet<string> = new Set([
  'SUCCEEDED',
  'FailoverFailed',
  'FailoverNotHealthy',
  'FailoverFlippedBack',
  'VcenterNotReady',
]);

/**
 * What the ledger keeps of a run that claimed the send: its outcome, whether that proves the
 * cluster's state, and whether nothing reached vCenter (then the claim is withdrawn). `sent` is
 * undefined when the send ended the run; `reachedVcenter` when vCenter answered an attempt (a
 * refusal: it proves no failover, but the request did arrive).
 */
export function ledgerVerdict(
  end: RunEnd,
  sent: Sent | undefined,
  reachedVcenter: boolean,
): NonNullable<FinishRequest['verdict']> {
  const base = { outcome: end.outcome, message: end.message, ...(sent?.taskId ? { taskId: sent.taskId } : {}) };
  if (sent === undefined) return { ...base, proved: true, nothingSent: !reachedVcenter };
  return { ...base, proved: end.ok || PROVING_OUTCOMES.has(end.outcome), nothingSent: false };
}
