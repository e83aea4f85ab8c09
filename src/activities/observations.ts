/**
 * The running log a polling activity keeps in its heartbeat (the contract's `FollowHeartbeat`):
 * the latest observation in words, a bounded history of distinct observations, and how long
 * vCenter has been unreachable, so a retried activity resumes where the lost one stopped.
 */
import { readFollowHeartbeat, type FollowHeartbeat } from '../contract';
import type { VcenterErrorClass } from '../vcenter/classify';

const MAX_OBSERVATIONS = 30;

/** A fresh state, or the one a previous attempt heartbeated. */
export function initialFollowHeartbeat(previous: unknown): FollowHeartbeat {
  return (
    readFollowHeartbeat(previous) ?? {
      observation: 'starting',
      observations: [],
      longestOutageMs: 0,
      polls: 0,
      phase: 'FAILING_OVER',
    }
  );
}

/** Records an observation; consecutive ones of the same kind replace each other. */
export function observe(state: FollowHeartbeat, text: string, kind = text): void {
  state.observation = text;
  const entry = { at: new Date().toISOString(), text, kind };
  if (state.observations.at(-1)?.kind === kind) state.observations[state.observations.length - 1] = entry;
  else state.observations.push(entry);
  if (state.observations.length > MAX_OBSERVATIONS)
    state.observations.splice(0, state.observations.length - MAX_OBSERVATIONS);
}

/** The observations as "time text" lines, oldest first. */
export function publicObservations(state: FollowHeartbeat): string[] {
  return state.observations.map((entry) => `${entry.at} ${entry.text}`);
}

/**
 * The words for an outage an error class shows, as the observation quotes them: `refused`, `reset`,
 * `no answer` (a request that timed out: a blackholed address, a pooled connection the network
 * dropped), Envoy's 503 (the API behind it is down) or another gateway's status. The login made on a
 * call's behalf speaks for the call.
 */
export function outageReason(errorClass: VcenterErrorClass): string {
  switch (errorClass.kind) {
    case 'gateway':
      return errorClass.envoy ? `HTTP ${errorClass.status} from Envoy, no upstream` : `HTTP ${errorClass.status}`;
    case 'not-sent':
      if (errorClass.login) return outageReason(errorClass.login);
      return errorClass.reason === 'timeout' ? 'no answer' : errorClass.reason;
    case 'lost':
      return errorClass.reason === 'timeout' ? 'no answer' : errorClass.reason;
    default:
      return errorClass.kind;
  }
}

/** Marks vCenter unreachable now and records "vCenter unreachable for N s (reason)". */
export function observeUnreachable(state: FollowHeartbeat, reason: string, now = Date.now()): void {
  state.unreachableSince ??= now;
  const seconds = Math.round((now - state.unreachableSince) / 1_000);
  state.longestOutageMs = Math.max(state.longestOutageMs, now - state.unreachableSince);
  observe(state, `vCenter unreachable for ${seconds} s (${reason})`, 'unreachable');
}

/** Marks vCenter reachable again. */
export function observeReachable(state: FollowHeartbeat, now = Date.now()): void {
  if (state.unreachableSince !== undefined) {
    state.longestOutageMs = Math.max(state.longestOutageMs, now - state.unreachableSince);
    state.unreachableSince = undefined;
  }
}
