/**
 * Reading preflight: the activity's report and the run's input give either the two nodes to swap
 * or the run's end. Pure (no SDK values), so it is unit-tested without a Temporal server; the run
 * turns an activity failure into {@link PreflightFailure} facts first.
 */
import type { PreflightReport } from '../../activities';
import type { FailureType } from '../../contract/outcomes';
import { evaluateInputRules, type InputRules } from '../../domain/preflight-rules';
import { failed, type PassedPreflight, type RunEnd } from './shapes';

/** What the run reads a preflight with: the target, and the rules its input adds. */
export type PreflightInput = InputRules & { target: string };

/** Why the preflight activity gave no report: the contract failure it carried, if any, and its text. */
export interface PreflightFailure {
  contractType?: FailureType;
  message: string;
}

/** Passed (the nodes to swap and the policy's word) or the run's end listing every failed rule. */
export function readPreflight(report: PreflightReport, input: PreflightInput): PassedPreflight | RunEnd {
  const failedChecks = [...report.checks, ...evaluateInputRules(report.snapshot, input)].filter((c) => !c.ok);
  const { activeNode, passiveNode } = report.snapshot;
  if (failedChecks.length > 0 || activeNode === undefined || passiveNode === undefined) {
    return failed(
      'PreflightRejected',
      `preflight rejected the failover of ${input.target}: ${failedChecks.map((c) => c.detail).join('; ')}`,
      { failedChecks },
    );
  }
  return {
    snapshot: report.snapshot,
    active: activeNode,
    passive: passiveNode,
    ...(report.policy ? { policy: report.policy } : {}),
    ...(report.signedApproval ? { signedApproval: report.signedApproval } : {}),
    ...(report.followAt ? { followAt: report.followAt } : {}),
  };
}

/** The end of a run whose preflight failed: the contract's answer, else an unreachable vCenter. */
export function preflightFailed(failure: PreflightFailure, target: string): RunEnd {
  if (failure.contractType) return failed(failure.contractType, failure.message);
  return failed('PreflightRejected', `could not read the cluster state of ${target}: ${failure.message}`, {
    failedChecks: [{ id: 'reachable', ok: false, detail: `vCenter answers (${failure.message})` }],
  });
}

/**
 * An approved run's second preflight: it goes on only with the same active node, since the
 * cluster may have changed while it waited.
 */
export function readAfterApproval(
  first: PassedPreflight,
  again: PassedPreflight | RunEnd,
  target: string,
): PassedPreflight | RunEnd {
  if ('ok' in again) return { ...again, message: `after approval, ${again.message}; nothing was sent` };
  if (again.active !== first.active) {
    return failed(
      'PreflightRejected',
      `the active node of ${target} changed while the run waited for approval (${first.active} then, ${again.active} now): nothing was sent`,
      {
        failedChecks: [{ id: 'roles', ok: false, detail: `${first.active} is still ACTIVE (saw ${again.active})` }],
      },
    );
  }
  return again;
}
