/**
 * The plain shapes a `vchaFailover` run decides with: how it ends, what preflight let through and
 * what the send proved. Data only, shared by the run and its pure decision modules.
 */
import type { ClusterCheck } from '../../activities';
import type { ClusterSnapshot } from '../../contract/cluster';
import type { FailureType, SuccessOutcome } from '../../contract/outcomes';
import type { FailoverRecord } from '../../contract/record';
import type { ApprovalPolicy } from '../../contract/policy';

/** How a run ends: a success, or a contract failure with the record fields it adds. */
export type RunEnd =
  | { ok: true; outcome: SuccessOutcome; message: string }
  | { ok: false; outcome: FailureType; message: string; extra?: Partial<FailoverRecord> };

/** A contract failure end. */
export const failed = (outcome: FailureType, message: string, extra?: Partial<FailoverRecord>): RunEnd => ({
  ok: false,
  outcome,
  message,
  ...(extra ? { extra } : {}),
});

/** Whether a step's answer is the run's end rather than its next value. */
export function isEnd<T extends object>(value: T | RunEnd): value is RunEnd {
  return 'ok' in value;
}

/** A cluster preflight let through: its snapshot, the two nodes the failover swaps, and the policy's word. */
export interface PassedPreflight {
  snapshot: ClusterSnapshot;
  active: string;
  passive: string;
  /** `approval` when the target's policy asks for it; absent (reports of older workers) means allow. */
  policy?: 'allow' | 'approval';
  /** What the approval must prove when the policy asks for signed decisions (absent: named approvals). */
  signedApproval?: ApprovalPolicy;
  /** Where the cluster answers once `passive` is ACTIVE, when preflight found it moves (its report's `followAt`). */
  followAt?: string;
}

/** Whether the request went out, as far as can be proven, and what vCenter answered. */
export interface Sent {
  triggered: 'yes' | 'unknown';
  taskId?: string;
  /** Epoch ms the request was sent (or last attempted). */
  at: number;
  /** For `unknown`: why the answer proves nothing. */
  why?: string;
  /** For `unknown`: vCenter's own refusal, confirmed by one read, to be borne out by the no-sign window. */
  refusal?: string;
  /**
   * The refusal's error type does not prove vCenter refused before starting (runs with the
   * `refusal-needs-proof` switch): a window without a sign then ends FailoverOutcomeUnknown, for
   * vCenter may hide a running failover; runs without the switch ended FailoverFailed.
   */
  refusalUnproven?: boolean;
  /**
   * vCenter's own time (ISO, its `Date` header, whole seconds) of the check just before the request
   * was sent: the follow adopts only a failover task vCenter started at or after it.
   */
  vcenterTimeBefore?: string;
  /** For `yes`: when vCenter accepted it (ISO, the worker's clock). */
  acceptedAt?: string;
}

/** What the check around the request saw, or why it could not read the cluster. */
export type Checked =
  { read: true; check: ClusterCheck } | { read: false; type: FailureType | undefined; message: string };

/** The end of a run cancelled before its request went out. */
export function cancelledBeforeSending(target: string): string {
  return `cancelled before the failover was triggered: nothing was changed on ${target}`;
}
