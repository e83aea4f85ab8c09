/**
 * The per-cluster ledger's decisions, as plain functions over plain data: who may hold the cluster,
 * who may send, what settles an unresolved request. Each rule returns either a refusal (the Update's
 * validator throws it, leaving no trace in history) or the reply and the change to make; the
 * handler runs the same rule again and applies it. Handlers never await, so nothing can change the
 * state between the validator's check and the handler's write: each Update is a compare-and-set.
 *
 * Temporal keeps at most one open run per workflow id, and the caller of an Update is an open run:
 * any other run of the caller's workflow id is closed and can no longer send. So a run may take the
 * cluster, and an open claim, from an earlier run of its own workflow id (a Reset, a workflow retry,
 * a re-run) without asking anyone; from another workflow id's run only after Temporal describes it
 * closed (`takeOverFrom`, checked by the caller).
 *
 * No SDK values here: the ledger workflow wires these to its Updates, and the unit tests and the
 * explorer drive them directly.
 */
import type {
  AcknowledgeRequest,
  AcquireReply,
  AcquireRequest,
  ClaimRequest,
  ClusterIdentity,
  FinishRequest,
  LedgerEntry,
  LedgerEvidence,
  LedgerHolder,
  LedgerRefusal,
  LedgerRefusalReason,
  LedgerRun,
  LedgerState,
} from '../../contract/ledger';
import { isUnresolved } from '../../contract/ledger';

/** Ended entries kept per cluster (unresolved ones are always kept): the memory of "this workflow id already sent". */
export const LEDGER_ENTRIES_KEPT = 200;

/** Target names kept per cluster, for the Web UI. */
const TARGET_NAMES_KEPT = 20;

/** A rule's answer: refused (nothing changes), or the reply and the change that goes with it. */
export type LedgerDecision<Reply> = { refused: LedgerRefusal } | { reply: Reply; apply(state: LedgerState): void };

/** A fresh ledger for `cluster`. */
export function emptyLedger(cluster: ClusterIdentity): LedgerState {
  return { cluster, entries: [], targets: [] };
}

const sameRun = (a: LedgerRun | undefined, b: LedgerRun | undefined): boolean =>
  a !== undefined && b !== undefined && a.workflowId === b.workflowId && a.runId === b.runId;

/** The same workflow id: the same run, or an earlier (closed) run of the caller's id. */
const sameWorkflow = (a: LedgerRun | undefined, b: LedgerRun): boolean =>
  a !== undefined && a.workflowId === b.workflowId;

function refuse(
  reason: LedgerRefusalReason,
  message: string,
  entry?: LedgerEntry,
  holder?: LedgerHolder,
): { refused: LedgerRefusal } {
  return { refused: { reason, message, ...(entry ? { entry } : {}), ...(holder ? { holder } : {}) } };
}

export { isUnresolved };

/** Why an entry is unresolved, in words for the refusal. */
export function unresolvedWhy(entry: LedgerEntry): string {
  if (entry.state === 'claimed') return 'its run claimed the send and has not ended with a verdict';
  return `its run ended ${entry.outcome ?? 'without a verdict'}, which does not prove what the cluster did`;
}

/**
 * Whether the cluster's own state proves that an unresolved request settled: the node that was
 * PASSIVE is ACTIVE and no failover is running. The reverse (the old node still ACTIVE, nothing
 * running) proves nothing: a vCenter may hide a running failover for minutes, and the request may
 * still act. Only a person who checked can settle that.
 */
export function settledByEvidence(entry: LedgerEntry, evidence: LedgerEvidence | undefined): boolean {
  if (!evidence || !isUnresolved(entry)) return false;
  return evidence.activeNode === entry.previousPassive && evidence.failoverRunning === false;
}

/** The newest entry that matches. */
function lastEntry(state: LedgerState, matches: (entry: LedgerEntry) => boolean): LedgerEntry | undefined {
  for (let index = state.entries.length - 1; index >= 0; index--)
    if (matches(state.entries[index]!)) return state.entries[index];
  return undefined;
}

/** The latest entry of a workflow id that claimed a send (withdrawn claims sent nothing). */
function claimOf(state: LedgerState, workflowId: string): LedgerEntry | undefined {
  return lastEntry(state, (entry) => entry.workflowId === workflowId && entry.state !== 'withdrawn');
}

/** Whether `request` runs under the current holder (a maintenance run's leg, say). */
function underParent(state: LedgerState, parent: { workflowId: string } | undefined): boolean {
  return parent !== undefined && state.holder !== undefined && state.holder.workflowId === parent.workflowId;
}

/** Drops the oldest resolved entries beyond {@link LEDGER_ENTRIES_KEPT}. */
function prune(state: LedgerState): void {
  let excess = state.entries.length - LEDGER_ENTRIES_KEPT;
  if (excess <= 0) return;
  state.entries = state.entries.filter((entry) => {
    if (excess > 0 && !isUnresolved(entry)) {
      excess -= 1;
      return false;
    }
    return true;
  });
}

/** The caller's own workflow id's open claim, made by an earlier run: the caller takes it over. */
function openClaimOfEarlierRun(state: LedgerState, request: LedgerRun): LedgerEntry | undefined {
  const entry = claimOf(state, request.workflowId);
  return entry && entry.state === 'claimed' && entry.runId !== request.runId ? entry : undefined;
}

/** Makes `entry` the caller's (an earlier run of its workflow id made it, and is closed). */
function adoptInto(target: LedgerState, request: LedgerRun): LedgerEntry {
  const own = claimOf(target, request.workflowId)!;
  if (own.runId !== request.runId) Object.assign(own, { adoptedFrom: own.runId, runId: request.runId });
  return own;
}

/**
 * `acquire`: hold the cluster (idempotent for the holder's workflow id; under a parent that holds
 * it; or taking it over from another id's holder the caller proved closed). The reply tells the run
 * what the ledger knows that changes what it may do: its own workflow id's earlier request (an open
 * one is handed to this run, which follows it instead of sending), or another id's unresolved
 * request (after letting the caller's evidence settle what it proves).
 */
export function acquire(state: LedgerState, request: AcquireRequest): LedgerDecision<AcquireReply> {
  const { holder } = state;
  let via: 'holder' | 'parent';
  if (underParent(state, request.parent)) via = 'parent';
  else if (!holder || sameWorkflow(holder, request) || sameRun(holder, request.takeOverFrom)) via = 'holder';
  else {
    // Busy, but a run whose workflow id already claimed must hear of it first (a Reset of a run
    // whose hold another id took over): it reports that request instead of "busy, nothing sent".
    const earlier = claimOf(state, request.workflowId);
    const sameWorkflowId = earlier && earlier.runId !== request.runId ? { sameWorkflowId: earlier } : {};
    return { reply: { held: false, holder, ...sameWorkflowId }, apply: () => undefined };
  }
  // The run's reading from before it held the cluster may predate a request here: it only decides
  // whether to report an unresolved request now; the claim's fresh reading settles it for real.
  const settles = (entry: LedgerEntry) =>
    entry.workflowId !== request.workflowId && settledByEvidence(entry, request.evidence);
  const earlier = claimOf(state, request.workflowId);
  // Handed over by an earlier ask whose answer was lost (a re-run local activity): still handed over.
  const alreadyMine = earlier && sameRun(earlier, request) && earlier.state === 'claimed' && earlier.adoptedFrom;
  const open = openClaimOfEarlierRun(state, request);
  const unresolved = state.entries.find(
    (entry) => entry.workflowId !== request.workflowId && isUnresolved(entry) && !settles(entry),
  );
  return {
    reply: {
      held: true,
      via,
      ...(open ? { adopted: { ...open, adoptedFrom: open.runId, runId: request.runId } } : {}),
      ...(alreadyMine ? { adopted: earlier } : {}),
      ...(!open && earlier && earlier.runId !== request.runId ? { sameWorkflowId: earlier } : {}),
      ...(unresolved ? { unresolved } : {}),
    },
    apply(target) {
      if (via === 'holder') {
        target.holder = {
          workflowId: request.workflowId,
          runId: request.runId,
          type: request.type,
          target: request.target,
          since: sameRun(target.holder, request) ? target.holder!.since : request.at,
        };
      }
      if (open) adoptInto(target, request);
      if (!target.targets.includes(request.target)) {
        target.targets = [...target.targets, request.target].slice(-TARGET_NAMES_KEPT);
      }
    },
  };
}

/** The refusal of a second claim of a workflow id. */
function alreadyClaimed(earlier: LedgerEntry): { refused: LedgerRefusal } {
  return refuse(
    'already-claimed',
    `this workflow id already claimed the failover at ${earlier.claimedAt} (run ${earlier.runId}); ` +
      `its outcome: ${earlier.outcome ?? 'not known'}; use a new workflow id for a new failover`,
    earlier,
  );
}

/**
 * `claim`, just before the failover request: refused unless this run's workflow id (or its parent)
 * holds the cluster, this workflow id never claimed a send before, no other request is unresolved,
 * and (for a fleet's child) the fleet has not already sent one to this cluster under another name.
 * Idempotent for the run that claimed. An open claim of an earlier run of the same workflow id
 * (reset after its claim) is handed to this run instead: the reply's `adoptedFrom` tells it to
 * follow that request, never to send. A run that does not hold the cluster but whose workflow id
 * already claimed is refused as `already-claimed`, not `not-holder`.
 */
export function claim(state: LedgerState, request: ClaimRequest): LedgerDecision<LedgerEntry> {
  const { holder } = state;
  const earlier = claimOf(state, request.workflowId);
  if (!sameWorkflow(holder, request) && !underParent(state, request.parent)) {
    // A run reset to after its acquire (its replayed hold long released, or taken over) whose
    // workflow id already claimed is told so: it must not end "busy, nothing was sent".
    if (earlier && !sameRun(earlier, request)) return alreadyClaimed(earlier);
    return refuse(
      'not-holder',
      holder
        ? `the cluster is held by ${holder.workflowId} (${holder.runId}), not by this run`
        : 'this run does not hold the cluster',
      undefined,
      holder,
    );
  }
  const takeHold = (target: LedgerState) => {
    if (sameWorkflow(target.holder, request)) target.holder!.runId = request.runId;
  };
  const handedOver = earlier && sameRun(earlier, request) && earlier.state === 'claimed' && earlier.adoptedFrom;
  if (request.onlyEarlier && handedOver) return { reply: earlier, apply: takeHold };
  if (request.onlyEarlier && (!earlier || sameRun(earlier, request))) {
    return refuse('no-such-entry', 'no earlier run of this workflow id claimed a failover of this cluster');
  }
  if (earlier && sameRun(earlier, request) && earlier.state === 'claimed') return { reply: earlier, apply: takeHold };
  if (earlier && earlier.state === 'claimed') {
    return {
      reply: { ...earlier, adoptedFrom: earlier.runId, runId: request.runId },
      apply(target) {
        takeHold(target);
        adoptInto(target, request);
      },
    };
  }
  if (earlier) return alreadyClaimed(earlier);
  // Read after this run took the cluster, so after every request here: it settles what it proves.
  const settles = (entry: LedgerEntry) =>
    entry.workflowId !== request.workflowId && settledByEvidence(entry, request.evidence);
  const unresolved = state.entries.find(
    (entry) => entry.workflowId !== request.workflowId && isUnresolved(entry) && !settles(entry),
  );
  if (unresolved) {
    return refuse(
      'unresolved',
      `the failover requested by ${unresolved.workflowId} (run ${unresolved.runId}) at ${unresolved.claimedAt} is unresolved: ${unresolvedWhy(unresolved)}`,
      unresolved,
    );
  }
  if (request.parent?.type === 'fleetFailover') {
    const sibling = state.entries.find(
      (entry) => entry.parent?.workflowId === request.parent!.workflowId && entry.state !== 'withdrawn',
    );
    if (sibling) {
      return refuse(
        'once-per-fleet',
        `fleet ${request.parent.workflowId} already sent a failover to this cluster as ${sibling.target} (${sibling.workflowId})`,
        sibling,
      );
    }
  }
  const entry: LedgerEntry = {
    workflowId: request.workflowId,
    runId: request.runId,
    target: request.target,
    planned: request.planned,
    ...(request.parent ? { parent: request.parent } : {}),
    previousActive: request.previousActive,
    previousPassive: request.previousPassive,
    claimedAt: request.at,
    state: 'claimed',
  };
  return {
    reply: entry,
    apply(target) {
      takeHold(target);
      for (const other of target.entries) {
        if (settles(other)) {
          other.settled = {
            by: 'cluster-state',
            at: request.at,
            detail: `${request.target} showed ${other.previousPassive} ACTIVE and no failover running at ${request.evidence!.observedAt} (read by ${request.workflowId} before its claim)`,
          };
        }
      }
      target.entries.push(entry);
      prune(target);
    },
  };
}

/**
 * `finish`: the run's end. Its workflow id's open claim (its own, or an earlier run's it replayed)
 * ends with the verdict (withdrawn when the verdict proves nothing reached vCenter and the claim is
 * the run's own or was handed to it; an earlier run's claim it only replayed stays unresolved), and
 * the lock is released if its workflow id holds it. Idempotent.
 */
export function finish(state: LedgerState, request: FinishRequest): LedgerDecision<void> {
  const entry = claimOf(state, request.workflowId);
  if (request.verdict && !entry) {
    return refuse('no-such-entry', `no claim of ${request.workflowId} to end`);
  }
  return {
    reply: undefined,
    apply(target) {
      const own = claimOf(target, request.workflowId);
      if (request.verdict && own && own.state === 'claimed') {
        const { outcome, message, proved, taskId, nothingSent } = request.verdict;
        // Only the run that made the claim, or was handed it, speaks for its request. A run Reset to
        // after an earlier run's claim replays "claimed" without asking the ledger: its "nothing was
        // sent" is only its own, and the earlier run may have sent. Its end keeps the entry unresolved.
        const itsOwn = own.runId === request.runId;
        adoptInto(target, request);
        Object.assign(own, {
          state: nothingSent && itsOwn ? 'withdrawn' : 'ended',
          outcome,
          message,
          proved: proved && itsOwn,
          endedAt: request.at,
          ...(taskId ? { taskId } : {}),
        });
      }
      if (sameWorkflow(target.holder, request)) delete target.holder;
    },
  };
}

/** `acknowledge`: a named person settles an unresolved entry whose run no longer holds the cluster. */
export function acknowledge(state: LedgerState, request: AcknowledgeRequest): LedgerDecision<LedgerEntry> {
  const entry = lastEntry(state, (candidate) => candidate.workflowId === request.workflowId && isUnresolved(candidate));
  if (!entry)
    return refuse('not-unresolved', `no unresolved failover of ${request.workflowId} in this cluster's ledger`);
  if (entry.state === 'claimed' && sameRun(state.holder, entry)) {
    return refuse(
      'not-unresolved',
      `run ${entry.runId} of ${entry.workflowId} still holds the cluster and may still send: wait for it to end`,
    );
  }
  const settled = { by: 'acknowledged' as const, at: request.at, detail: request.reason, person: request.person };
  return {
    reply: { ...entry, settled },
    apply(target) {
      const own = lastEntry(
        target,
        (candidate) => candidate.workflowId === request.workflowId && isUnresolved(candidate),
      );
      if (own) own.settled = settled;
    },
  };
}
