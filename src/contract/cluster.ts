/**
 * The cluster shapes a run records: the snapshot of a VCHA cluster at one moment and one
 * preflight rule's verdict. Built by `src/domain` from vCenter's answers; read by the workflows,
 * the records, the audit store and the CLI. Also the cluster mode and how it is set.
 */

/** A VCHA cluster mode, as vCenter names it (`GET /api/vcenter/vcha/cluster/mode`). */
export type ClusterMode = 'ENABLED' | 'DISABLED' | 'MAINTENANCE';

/**
 * How the cluster mode is set: the one request (a task; there is no plain form under `/api`) and
 * the privilege vCenter asks for (its documented `403`).
 */
export const CLUSTER_MODE_SET = {
  request: 'PUT /api/vcenter/vcha/cluster/mode?vmw-task=true',
  privilege: 'Global.VCServer',
} as const;

/** The mode-set activity's own failure types, beside the contract's (`NotAuthorized`, `UnknownTarget`). */
export const MODE_SET_FAILURE_TYPES = {
  /** vCenter's mode-set task ended FAILED, or the mode read back afterwards is not the one asked for: final. */
  notSet: 'ModeNotSet',
  /** The transition needs a HEALTHY cluster and it is not (yet): retried. */
  needsHealthy: 'ModeNeedsHealthy',
} as const;

/** One cluster member as the workflow records it. */
export interface MemberSnapshot {
  slot: 'node1' | 'node2' | 'witness';
  /** Stable identity across a failover: the member's VCHA (ha_ip) address, else its slot. */
  identity: string;
  state?: string;
  role?: string;
}

/** The cluster facts that preflight checks and verification compare. */
export interface ClusterSnapshot {
  observedAt: string;
  mode?: string;
  configState?: string;
  healthState?: string;
  manualFailoverAllowed?: boolean;
  members: MemberSnapshot[];
  /** Identity of the node whose runtime role is ACTIVE, if exactly one is. */
  activeNode?: string;
  /** Identity of the node whose runtime role is PASSIVE, if exactly one is. */
  passiveNode?: string;
  /** Whether `operations.disabled` lists the failover operation (undefined: operations not read). */
  failoverDisabled?: boolean;
  /** Whether `operations.active` lists a running failover (undefined: operations not read). */
  failoverRunning?: boolean;
  /** Default texts of `health_warnings` and `health_exception`. */
  healthMessages: string[];
  /**
   * The last time the roles changed, as far as vCenter's task list shows (a dry run's preflight
   * reads it; undefined when not read or none is listed). vCenter reports no time of the last role
   * change itself: this is the latest SUCCEEDED failover task, a request's or VCHA's own, and a
   * fail back without a task does not show here.
   */
  lastFailover?: LastFailover;
}

/** The latest finished failover task vCenter lists: when it ended, who ran it, how long ago. */
export interface LastFailover {
  taskId: string;
  /** When the task ended (ISO, vCenter's clock). */
  endedAt: string;
  /** The task's user; VCHA's own failovers run as `vpxd-extension`. */
  user?: string;
  /** VCHA started it by itself (its user is vCenter's `vpxd-extension`), not a request. */
  automatic: boolean;
  /** How long before the read it ended (ms), both times by vCenter's clock when it sent a `Date` header. */
  agoMs: number;
}

/** One rule's verdict. */
export interface PreflightCheck {
  id: string;
  ok: boolean;
  /** What the rule requires and what was seen, e.g. "mode is ENABLED or MAINTENANCE (saw DISABLED)". */
  detail: string;
}
