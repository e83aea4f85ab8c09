/**
 * The running log a polling activity keeps: the latest observation in words, a bounded history of
 * distinct observations, and how long vCenter has been unreachable. Carried in heartbeat details
 * so a retried activity resumes where the lost one stopped.
 */

/** One distinct observation; `kind` groups repeats such as the growing outage counter. */
export interface ObservationEntry {
  at: string;
  text: string;
  kind: string;
}

/** Serialisable state of a follow activity (its heartbeat details). */
export interface FollowState {
  observation: string;
  observations: ObservationEntry[];
  /** Epoch ms when vCenter became unreachable, while it still is. */
  unreachableSince?: number;
  /** Longest unbroken unreachable stretch seen, ms. */
  longestOutageMs: number;
  taskGone?: boolean;
  taskStatus?: string;
  taskError?: string;
  polls: number;
  /** The stage the follow activity is in: the status the CLI and the Web UI show. */
  phase?: 'FAILING_OVER' | 'VERIFYING';
  /** Epoch ms when the switch was first seen; the healthy deadline counts from it. */
  switchedAt?: number;
}

const MAX_OBSERVATIONS = 30;

/** A fresh state, or the one a previous attempt heartbeated. */
export function initialFollowState(previous: unknown): FollowState {
  const restored = previous as Partial<FollowState> | undefined;
  if (restored && typeof restored.observation === 'string' && Array.isArray(restored.observations)) {
    return { longestOutageMs: 0, polls: 0, ...restored } as FollowState;
  }
  return { observation: 'starting', observations: [], longestOutageMs: 0, polls: 0, phase: 'FAILING_OVER' };
}

/** Records an observation; consecutive ones of the same kind replace each other. */
export function observe(state: FollowState, text: string, kind = text): void {
  state.observation = text;
  const entry = { at: new Date().toISOString(), text, kind };
  if (state.observations.at(-1)?.kind === kind) state.observations[state.observations.length - 1] = entry;
  else state.observations.push(entry);
  if (state.observations.length > MAX_OBSERVATIONS)
    state.observations.splice(0, state.observations.length - MAX_OBSERVATIONS);
}

/** The observations as "time text" lines, oldest first. */
export function publicObservations(state: FollowState): string[] {
  return state.observations.map((entry) => `${entry.at} ${entry.text}`);
}

/** Marks vCenter unreachable now and records "vCenter unreachable for N s (reason)". */
export function observeUnreachable(state: FollowState, reason: string, now = Date.now()): void {
  state.unreachableSince ??= now;
  const seconds = Math.round((now - state.unreachableSince) / 1_000);
  state.longestOutageMs = Math.max(state.longestOutageMs, now - state.unreachableSince);
  observe(state, `vCenter unreachable for ${seconds} s (${reason})`, 'unreachable');
}

/** Marks vCenter reachable again. */
export function observeReachable(state: FollowState, now = Date.now()): void {
  if (state.unreachableSince !== undefined) {
    state.longestOutageMs = Math.max(state.longestOutageMs, now - state.unreachableSince);
    state.unreachableSince = undefined;
  }
}
