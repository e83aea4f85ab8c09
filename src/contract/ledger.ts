/**
 * The per-cluster send ledger's vocabulary: the `vchaClusterLedger` workflow (one per VCHA cluster,
 * keyed by the cluster's identity as vCenter reports it) owns the cluster's lock and the record of
 * every failover request sent to it. Runs reach it through Updates whose validators are
 * compare-and-set: acquire the lock, claim the send before the POST, end the claim with the run's
 * verdict and release (withdrawing the claim only on proof that nothing was sent), settle an
 * unresolved request.
 * The decisions are `src/workflows/cluster-ledger/rules.ts`; these are the shapes they exchange.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

/**
 * The cluster's identity: the three VCHA network (`ha_ip`) addresses of node1, node2 and the
 * witness, sorted and joined by `_`. vCenter reports them on every cluster read (they are required
 * in the API and need only read privilege), a failover does not change them, and two names of one
 * vCenter (a DNS name and its IP address, a second URL) read the same three. Two different clusters
 * sharing all three addresses could only be two networks reusing one private range: they would
 * merely serialise, never lose a guarantee.
 */
export type ClusterIdentity = string;

/** Builds the identity from the three members' `ha_ip` addresses; undefined unless all three are known. */
export function clusterIdentityOf(addresses: (string | undefined)[]): ClusterIdentity | undefined {
  if (addresses.length !== 3 || addresses.some((address) => !address)) return undefined;
  return [...(addresses as string[])].sort().join('_');
}

/** The workflow id of a cluster's ledger. */
export function clusterLedgerWorkflowId(cluster: ClusterIdentity): string {
  return `vcha-cluster-${cluster}`;
}

/** One run as the ledger knows it. */
export interface LedgerRun {
  workflowId: string;
  runId: string;
}

/** The run that holds the cluster's lock. */
export interface LedgerHolder extends LedgerRun {
  /** `vchaFailover` or `vchaMaintenance`. */
  type: string;
  /** The target name it was reached by. */
  target: string;
  since: string;
}

/** The parent of a run, when it is a child (a fleet's or a maintenance run's leg). */
export interface LedgerParent {
  workflowId: string;
  type: string;
}

/**
 * One failover request, from its claim (before the POST) to its settlement:
 * - `claimed`: the POST may be out or about to go (the run is sending or following it, or died doing so);
 * - `withdrawn`: the run proved that nothing reached vCenter (its workflow id may send later);
 * - `ended`: the run ended with `outcome`; `proved` says whether that verdict proves the cluster's state.
 * An entry is unresolved while `claimed` or `ended` unproved, until it is `settled`.
 */
export interface LedgerEntry extends LedgerRun {
  target: string;
  planned: boolean;
  parent?: LedgerParent;
  /** The node that was ACTIVE, and the one that was PASSIVE, when the claim was made. */
  previousActive: string;
  previousPassive: string;
  claimedAt: string;
  state: 'claimed' | 'withdrawn' | 'ended';
  /** The earlier run of the same workflow id whose open claim this run took over (it closed before its verdict). */
  adoptedFrom?: string;
  /** vCenter's task id, once known. */
  taskId?: string;
  /** The run's outcome (`SUCCEEDED`, a failure type) and its one-sentence message. */
  outcome?: string;
  message?: string;
  /** Whether the outcome proves what the cluster did (SUCCEEDED, a FAILED task, a proven switch). */
  proved?: boolean;
  endedAt?: string;
  /** How an unresolved entry was settled later: by the cluster's own state, or by a named person. */
  settled?: LedgerSettlement;
}

/** Whether an entry still stands between the cluster and a new failover (the ledger's rules and the CLI read it). */
export function isUnresolved(entry: LedgerEntry): boolean {
  if (entry.settled !== undefined || entry.state === 'withdrawn') return false;
  return entry.state === 'claimed' || !entry.proved;
}

/** How an unresolved entry was settled. */
export interface LedgerSettlement {
  by: 'cluster-state' | 'acknowledged';
  at: string;
  /** What proved it (the cluster state seen), or the person's reason. */
  detail: string;
  /** The person who acknowledged it. */
  person?: string;
}

/** The cluster as a run read it, given to the ledger as evidence that may settle an earlier entry. */
export interface LedgerEvidence {
  activeNode?: string;
  passiveNode?: string;
  /** Undefined when the operations were not read. */
  failoverRunning?: boolean;
  observedAt: string;
}

/** What the ledger keeps: its lock holder and its entries, oldest first. */
export interface LedgerState {
  cluster: ClusterIdentity;
  holder?: LedgerHolder;
  entries: LedgerEntry[];
  /** Every target name runs reached this cluster by (aliases show here). */
  targets: string[];
}

/** `acquire`: take the lock (or run under a parent that holds it). */
export interface AcquireRequest extends LedgerRun {
  type: string;
  target: string;
  parent?: LedgerParent;
  /** Another workflow id's holder, proven closed by the caller (Temporal describes it as not running). */
  takeOverFrom?: LedgerRun;
  /**
   * The cluster as this run read it before acquiring: only a hint (it may predate a request the
   * ledger holds), so it never settles anything here; the claim's fresh reading does.
   */
  evidence?: LedgerEvidence;
  at: string;
}

/** The ledger's answer to `acquire`. */
export type AcquireReply =
  | {
      held: true;
      /** Whether the lock is this run's own or its parent's. */
      via: 'holder' | 'parent';
      /**
       * This workflow id's open claim, made by an earlier (closed) run of it and now this run's:
       * the run follows that request and never sends.
       */
      adopted?: LedgerEntry;
      /** This workflow id's earlier request that ended (or was settled): the run reports it, never sends. */
      sameWorkflowId?: LedgerEntry;
      /** Another workflow id's request that is unresolved: no new failover until it settles. */
      unresolved?: LedgerEntry;
    }
  | {
      held: false;
      holder: LedgerHolder;
      /** This workflow id's request made by an earlier run (open or ended): the run reports it, never sends. */
      sameWorkflowId?: LedgerEntry;
    };

/** `claim`: before the POST; refused if this workflow id already claimed, or another request is unresolved. */
export interface ClaimRequest extends LedgerRun {
  /**
   * Ask only about an earlier run's claim of this workflow id (handed over if open), claiming
   * nothing new: a run about to end "nothing was sent" on a failed check asks this first.
   */
  onlyEarlier?: boolean;
  /**
   * The cluster as this run read it just before claiming, while holding the cluster: newer than every
   * entry in the ledger, so it may settle what it proves (an earlier request whose switch it shows).
   */
  evidence?: LedgerEvidence;
  target: string;
  planned: boolean;
  parent?: LedgerParent;
  previousActive: string;
  previousPassive: string;
  at: string;
}

/** `finish`: the run's end: its entry (if it claimed) ends with the verdict, and the lock is released. */
export interface FinishRequest extends LedgerRun {
  /** Present when the run claimed a send. */
  verdict?: {
    outcome: string;
    message: string;
    /** The outcome proves what the cluster did (SUCCEEDED, a FAILED task, a proven switch, a refusal before starting). */
    proved: boolean;
    /** The run proved that no request reached vCenter: the claim is withdrawn and the id may send later. */
    nothingSent: boolean;
    taskId?: string;
  };
  at: string;
}

/** `acknowledge`: a named person settles an unresolved entry after checking the cluster. */
export interface AcknowledgeRequest {
  /** The workflow id of the unresolved entry. */
  workflowId: string;
  person: string;
  reason: string;
  at: string;
}

/** The ledger's Updates and its query. */
export const ledgerAcquireUpdate = defineUpdate<AcquireReply, [AcquireRequest]>('acquire');
export const ledgerClaimUpdate = defineUpdate<LedgerEntry, [ClaimRequest]>('claim');
export const ledgerFinishUpdate = defineUpdate<void, [FinishRequest]>('finish');
export const ledgerAcknowledgeUpdate = defineUpdate<LedgerEntry, [AcknowledgeRequest]>('acknowledge');
export const ledgerQuery = defineQuery<LedgerState>('ledger');

/** The stable type of a refused ledger Update (the reason is in the message and `details[0]`). */
export const LEDGER_REFUSED = 'LedgerRefused';

/** Why the ledger refused: read by the run to choose its end. */
export type LedgerRefusalReason =
  'not-holder' | 'already-claimed' | 'unresolved' | 'once-per-fleet' | 'no-such-entry' | 'not-unresolved' | 'invalid';

/** `details[0]` of a refused ledger Update. */
export interface LedgerRefusal {
  reason: LedgerRefusalReason;
  message: string;
  entry?: LedgerEntry;
  /** For `not-holder`: the run that holds the cluster. */
  holder?: LedgerHolder;
}
