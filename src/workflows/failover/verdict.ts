/**
 * The verdict: what the follow activity proved (or how it failed) gives the run's end. Pure (no
 * SDK values), so every verdict is unit-tested without a Temporal server; the run turns a follow
 * failure into {@link FollowFailure} facts first.
 */
import type { FollowFailoverResult } from '../../activities';
import { formatDuration } from '../../contract/duration';
import type { FollowHeartbeat } from '../../contract/follow-heartbeat';
import type { ValidatedFailoverInput } from '../../contract/input/failover';
import type { GateReport } from '../../contract/readiness';
import { REQUIRED_GATES } from '../../domain/readiness';
import { failed, type PassedPreflight, type RunEnd, type Sent } from './shapes';

/**
 * What a verdict reads of the input: the target, the deadlines it was followed under, the health
 * asked for, and the stability period the follow held the result for (undefined: none, a run
 * without the `stable-result` patch).
 */
export type VerdictInput = Pick<ValidatedFailoverInput, 'target' | 'deadlines' | 'requireHealthy'> & {
  stableMs?: number;
};

/** A time the follow read, with whose clock it is. */
function readTime(time: { at: string; clock: 'vcenter' | 'worker' } | undefined): string {
  if (!time) return 'at an unknown time';
  return `at ${time.at} (${time.clock === 'vcenter' ? "vCenter's time" : "this worker's time: vCenter sent none"})`;
}

/**
 * After a switch: what ties it to this request. With no task of its own (its answer was lost) and
 * none adopted from vCenter's list, the roles alone fit another failover (an automatic one, or
 * someone else's) as well: the message says so.
 */
function tiedToRequest(followed: FollowFailoverResult, sent: Pick<Sent, 'taskId'>): string {
  if (sent.taskId !== undefined || followed.taskId !== undefined) return '';
  return (
    '; nothing ties this switch to this request (no task id of its own, no task adopted from vCenter): ' +
    'the evidence fits another failover as well (e.g. an automatic one)'
  );
}

/** The gates that were not checked or skipped, for a SUCCEEDED message (empty when every gate passed). */
function servesDetail(gates: readonly GateReport[]): string {
  const notChecked = gates.filter((gate) => gate.status === 'not-checked' || gate.status === 'skipped');
  if (notChecked.length === 0) return ' (every readiness gate passed)';
  return ` (${notChecked.map((gate) => `${gate.gate} ${gate.status === 'skipped' ? 'skipped' : `not checked: ${gate.seen ?? 'no answer'}`}`).join('; ')})`;
}

/** The gates that did not pass and what each saw, e.g. "services: trustmanagement STARTING". */
function notServing(gates: readonly GateReport[]): string {
  const failing = gates.filter(
    (gate) => gate.status === 'pending' || (REQUIRED_GATES.includes(gate.gate) && gate.status === 'not-checked'),
  );
  if (failing.length === 0) return 'no readiness gate was seen passing';
  return failing.map((gate) => `${gate.gate}: ${gate.seen ?? 'not seen answering'}`).join('; ');
}

/** The end the follow activity's result proves. */
export function verdict(
  followed: FollowFailoverResult,
  sent: Pick<Sent, 'refusal' | 'refusalUnproven' | 'why' | 'taskId'>,
  passed: Pick<PassedPreflight, 'active' | 'passive'>,
  input: VerdictInput,
): RunEnd {
  const { target, deadlines } = input;
  switch (followed.outcome) {
    case 'verified':
      return {
        ok: true,
        outcome: 'SUCCEEDED',
        message:
          `${target} failed over: ${passed.passive} is ACTIVE, ${followed.snapshot?.healthState ?? 'health unknown'}` +
          (input.stableMs ? `, and the roles held for ${formatDuration(input.stableMs)}` : '') +
          (followed.readiness ? `; vCenter serves${servesDetail(followed.readiness.gates)}` : '') +
          tiedToRequest(followed, sent),
      };
    case 'not-ready':
      return failed(
        'VcenterNotReady',
        `${target} switched to ${passed.passive} and the cluster is back` +
          (input.stableMs && followed.rolesHeld ? ` (the roles held for ${formatDuration(input.stableMs)})` : '') +
          `, but vCenter did not serve within ${formatDuration(deadlines.ready)}: ` +
          notServing(followed.readiness?.gates ?? []) +
          `. Nothing more was sent: check the services of ${passed.passive} (vmon, the appliance's health) before using or failing over it again` +
          tiedToRequest(followed, sent),
      );
    case 'flipped-back':
      return failed(
        'FailoverFlippedBack',
        `${target} switched to ${passed.passive}, then failed back by itself: ${passed.active} was ACTIVE again ` +
          `${readTime(followed.flippedBackAt)}` +
          (followed.lastHeldAt ? `, last seen with ${passed.passive} ACTIVE ${readTime(followed.lastHeldAt)}` : '') +
          `; the failover did not hold${input.stableMs ? ` for ${formatDuration(input.stableMs)}` : ''}. ` +
          `Nothing more was sent: check the VCHA network (Broadcom KB 430364) before failing over again`,
      );
    case 'hold-unproven':
      return failed(
        'FailoverOutcomeUnknown',
        `${target} switched to ${passed.passive} and was back, but no unbroken ${formatDuration(input.stableMs ?? 0)} ` +
          `of reads showed the new roles within the healthy deadline (${formatDuration(deadlines.healthy)} from the switch): ` +
          `it may have failed back; last observation: ${followed.observation}` +
          (followed.lastHeldAt ? `; last seen with ${passed.passive} ACTIVE ${readTime(followed.lastHeldAt)}` : '') +
          tiedToRequest(followed, sent),
      );
    case 'failed':
      return failed(
        'FailoverFailed',
        `the failover task of ${target} FAILED and ${passed.active} is still ACTIVE: ${followed.taskError ?? 'no error message'}`,
      );
    case 'no-sign':
      if (sent.refusal && sent.refusalUnproven) {
        // An error that may come after the failover started: the window proves nothing while vCenter may hide a flush.
        return failed(
          'FailoverOutcomeUnknown',
          `${sent.refusal}; this error does not prove vCenter refused before starting, and for ` +
            `${formatDuration(deadlines.noSign)} ${target} then showed no sign of a failover and is unchanged ` +
            `(${passed.active} still ACTIVE, no failover in operations.active or vCenter's tasks), but vCenter may hide ` +
            `a running failover (a planned failover's flush) until it switches: check the cluster and vCenter's tasks ` +
            `before re-running`,
        );
      }
      if (sent.refusal) {
        // Runs before `refusal-needs-proof`: vCenter's own refusal, one read confirming it, and a whole window without any sign.
        return failed(
          'FailoverFailed',
          `${sent.refusal}; for ${formatDuration(deadlines.noSign)} ${target} then showed no sign of a failover and ` +
            `is unchanged (${passed.active} still ACTIVE): it did not fail over`,
        );
      }
      return failed(
        'FailoverOutcomeUnknown',
        `the failover request to ${target} may not have arrived: its answer proved nothing (${sent.why ?? 'no answer'}), ` +
          `and for ${formatDuration(deadlines.noSign)} ${target} showed no sign of a failover and is unchanged ` +
          `(${passed.active} still ACTIVE, no failover in operations.active or vCenter's tasks); ` +
          `check the cluster and vCenter's tasks before re-running`,
      );
    case 'switch-deadline':
      return failed(
        'FailoverOutcomeUnknown',
        `no proof that ${target} failed over within ${formatDuration(deadlines.failover)}` +
          `${followed.signOfFailover ? ` (seen: ${followed.signOfFailover})` : ''}; last observation: ${followed.observation}`,
      );
    case 'healthy-deadline':
      return failed(
        'FailoverNotHealthy',
        `${target} switched to ${passed.passive} but was not ${input.requireHealthy ? 'HEALTHY with all members UP' : 'back with all members UP'} within ${formatDuration(deadlines.healthy)}; last observation: ${followed.observation}` +
          tiedToRequest(followed, sent),
      );
  }
}

/** Why the follow activity gave no result: a contract answer, or the heartbeat its last attempt left. */
export interface FollowFailure {
  /** A contract failure (a read refused, a target this worker does not know): it proves nothing about the cluster. */
  contract: boolean;
  message: string;
  /** The last heartbeat of an attempt that timed out, when the failure carries one. */
  lastSeen?: FollowHeartbeat;
}

/** The end of a run whose follow failed: how far the last heartbeat got decides between not healthy and unknown. */
export function followFailedVerdict(
  failure: FollowFailure,
  sent: Pick<Sent, 'triggered'>,
  passed: Pick<PassedPreflight, 'passive'>,
  target: string,
): RunEnd {
  if (failure.contract) {
    // After the request, a read refused (403) or a target this worker does not know proves nothing about the cluster.
    return failed(
      'FailoverOutcomeUnknown',
      `cannot follow the failover of ${target}: ${failure.message}; the request ${sent.triggered === 'yes' ? 'was accepted' : 'may have reached vCenter'}: check the cluster`,
    );
  }
  const { lastSeen } = failure;
  if (lastSeen?.rolesHeld && lastSeen.readiness) {
    // The roles held; whether vCenter serves was not proven before the follow stopped.
    return failed(
      'VcenterNotReady',
      `${target} switched to ${passed.passive} and the roles held, but the readiness checks could not be finished: ` +
        `${failure.message}; not proven: ${notServing(lastSeen.readiness.gates)}; last observation: ${lastSeen.observation}`,
    );
  }
  if (lastSeen?.backAtFollowedMs !== undefined) {
    // Back, but the stability period was not finished: the roles may have reverted since.
    return failed(
      'FailoverOutcomeUnknown',
      `${target} switched to ${passed.passive} and was back, but the stability period could not be finished: ` +
        `${failure.message}; last observation: ${lastSeen.observation}`,
    );
  }
  if (lastSeen?.phase === 'VERIFYING') {
    return failed(
      'FailoverNotHealthy',
      `${target} switched to ${passed.passive}, but could not be verified: ${failure.message}; last observation: ${lastSeen.observation}`,
    );
  }
  return failed(
    'FailoverOutcomeUnknown',
    `lost track of the failover of ${target}: ${failure.message}${lastSeen ? `; last observation: ${lastSeen.observation}` : ''}`,
  );
}
