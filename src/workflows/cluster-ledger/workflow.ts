/**
 * `vchaClusterLedger`: one long-lived workflow per VCHA cluster, under `vcha-cluster-<identity>`,
 * that owns the cluster's lock and its send ledger. It lives outside every failover run's history,
 * so resetting, retrying or re-running a failover never resets it; every worker replica reaches the
 * same one through Temporal. Runs start it on first use (Update-with-Start) and talk to it only
 * through Updates whose validators run the rules in `rules.ts`. It continues as new when its
 * history grows, carrying its state; it never ends by itself. On a versioned worker deployment it
 * is started auto-upgrading (`activities/ledger.ts`): a ledger pinned to the build that started it
 * would be stranded once that build's workers are gone. Its history is only Updates and a
 * continue-as-new, so replaying it on new code is safe while the Update handlers stay compatible;
 * a rule change that would decide an old Update differently ships behind `patched()`.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  setCurrentDetails,
  setHandler,
  workflowInfo,
  ApplicationFailure,
} from '@temporalio/workflow';
import {
  LEDGER_REFUSED,
  ledgerAcknowledgeUpdate,
  ledgerAcquireUpdate,
  ledgerClaimUpdate,
  ledgerFinishUpdate,
  ledgerQuery,
  markdownList,
  type AcknowledgeRequest,
  type AcquireRequest,
  type ClaimRequest,
  type ClusterIdentity,
  type FinishRequest,
  type LedgerEntry,
  type LedgerState,
} from '../../contract';
import { acknowledge, acquire, claim, emptyLedger, finish, isUnresolved, type LedgerDecision } from './rules';

/** Input of {@link vchaClusterLedger}: the cluster, and the state a continued run carries over. */
export interface ClusterLedgerInput {
  cluster: ClusterIdentity;
  state?: LedgerState;
}

/** History length after which the ledger continues as new (well under Temporal's suggestion, to keep replays short). */
const CONTINUE_AS_NEW_AFTER_EVENTS = 2_000;

/** The validator's half of a rule: refuse, leaving no trace in history. */
function check<Reply>(decision: LedgerDecision<Reply>): void {
  if ('refused' in decision) {
    throw ApplicationFailure.create({
      type: LEDGER_REFUSED,
      message: decision.refused.message,
      details: [decision.refused],
      nonRetryable: true,
    });
  }
}

/**
 * A rule on an Update's argument. Arguments come from this worker's activities, but also from a
 * person's `temporal workflow update`: a malformed one is refused, naming what is wrong, and never
 * changes the state.
 */
function decide<Request, Reply>(
  rule: (state: LedgerState, request: Request) => LedgerDecision<Reply>,
  state: LedgerState,
  request: Request,
): LedgerDecision<Reply> {
  if (
    typeof request !== 'object' ||
    request === null ||
    typeof (request as { workflowId?: unknown }).workflowId !== 'string'
  ) {
    return { refused: { reason: 'invalid', message: 'the argument must be one object with a workflowId' } };
  }
  try {
    return rule(state, request);
  } catch (error) {
    return { refused: { reason: 'invalid', message: `malformed argument: ${(error as Error).message}` } };
  }
}

/** `acknowledge` from a person: a name and a reason are required, and recorded. */
function acknowledgeChecked(state: LedgerState, request: AcknowledgeRequest): LedgerDecision<LedgerEntry> {
  for (const field of ['person', 'reason'] as const) {
    const value: unknown = request[field];
    if (typeof value !== 'string' || value.trim() === '' || value.length > 500) {
      return {
        refused: { reason: 'invalid', message: `${field} is required: a non-empty text of at most 500 characters` },
      };
    }
  }
  return acknowledge(state, request);
}

/** The ledger of one cluster; see the module comment. */
export async function vchaClusterLedger(input: ClusterLedgerInput): Promise<never> {
  const state = input.state ?? emptyLedger(input.cluster);
  const show = () => setCurrentDetails(ledgerDetails(state));
  /** The handler's half: the same rule again (nothing ran in between), applied. */
  const apply = <Reply>(decision: LedgerDecision<Reply>): Reply => {
    check(decision);
    const accepted = decision as Exclude<LedgerDecision<Reply>, { refused: unknown }>;
    accepted.apply(state);
    show();
    return accepted.reply;
  };
  show();
  setHandler(ledgerQuery, () => state);
  setHandler(ledgerAcquireUpdate, (request) => apply(decide(acquire, state, request)), {
    validator: (request: AcquireRequest) => check(decide(acquire, state, request)),
  });
  setHandler(ledgerClaimUpdate, (request) => apply(decide(claim, state, request)), {
    validator: (request: ClaimRequest) => check(decide(claim, state, request)),
  });
  setHandler(ledgerFinishUpdate, (request) => apply(decide(finish, state, request)), {
    validator: (request: FinishRequest) => check(decide(finish, state, request)),
  });
  setHandler(ledgerAcknowledgeUpdate, (request) => apply(decide(acknowledgeChecked, state, request)), {
    validator: (request: AcknowledgeRequest) => check(decide(acknowledgeChecked, state, request)),
  });
  await condition(
    () =>
      (workflowInfo().historyLength >= CONTINUE_AS_NEW_AFTER_EVENTS || workflowInfo().continueAsNewSuggested) &&
      allHandlersFinished(),
  );
  return continueAsNew<typeof vchaClusterLedger>({ cluster: state.cluster, state });
}

/** What the Web UI shows for the ledger: the holder and the unresolved requests. */
function ledgerDetails(state: LedgerState): string {
  const unresolved = state.entries.filter(isUnresolved);
  const last = state.entries.at(-1);
  return markdownList([
    `**Cluster:** ${state.cluster} (reached as ${state.targets.join(', ') || 'no target yet'})`,
    `**Held by:** ${state.holder ? `${state.holder.workflowId} (${state.holder.runId}) since ${state.holder.since}` : 'nobody'}`,
    `**Unresolved:** ${unresolved.length ? unresolved.map((entry) => `${entry.workflowId} (claimed ${entry.claimedAt})`).join('; ') : 'none'}`,
    `**Last request:** ${last ? `${last.workflowId}: ${last.state}${last.outcome ? ` ${last.outcome}` : ''}` : 'none'}`,
  ]);
}
