/**
 * The follow activity's heartbeat details: its stage, what it has seen, and the state a retried
 * attempt resumes from. The activity writes them; the workflow (the stage a timed-out attempt was
 * in), the CLI and the Web UI (the live observation) read them through {@link readFollowHeartbeat}.
 */
import type { FailoverPhase } from './phases';
import { readReadinessState, type ReadinessState } from './readiness';

/** The activity type whose heartbeat carries these details. */
export const FOLLOW_ACTIVITY_TYPE = 'followFailover';

/** The stage the follow activity is in: waiting for the switch, then for the cluster to be back. */
export type FollowStage = Extract<FailoverPhase, 'FAILING_OVER' | 'VERIFYING'>;

/** One distinct observation; `kind` groups repeats such as the growing outage counter. */
export interface ObservationEntry {
  at: string;
  text: string;
  kind: string;
}

/** Everything a follow attempt heartbeats. */
export interface FollowHeartbeat {
  /** The latest observation in words, e.g. "vCenter unreachable for 42 s (refused)". */
  observation: string;
  /** Distinct observations so far, oldest first (bounded). */
  observations: ObservationEntry[];
  /** Epoch ms when vCenter became unreachable, while it still is. */
  unreachableSince?: number;
  /** Longest unbroken unreachable stretch seen, ms. */
  longestOutageMs: number;
  /** The task id is unknown to the node now serving the API: the cluster state decides. */
  taskGone?: boolean;
  taskStatus?: string;
  taskError?: string;
  polls: number;
  /** The stage (named `phase` on the wire, as the CLI and the Web UI show it). */
  phase?: FollowStage;
  /** Epoch ms (the worker's clock) when the switch was first seen, for the timeline; no deadline reads it. */
  switchedAt?: number;
  /**
   * The follow's own time so far (ms): each attempt's monotonic clock (`performance.now()`), summed
   * over the attempts through this heartbeat. Every window and deadline counts on it, never on a
   * wall clock. A crash loses at most the time since the last heartbeat and the pause before a retry
   * is not counted, so a retried attempt's windows only get longer, never shorter; the activity's
   * schedule-to-close timeout, enforced by the server, bounds them all.
   */
  followedForMs?: number;
  /** The follow's time ({@link followedForMs}) when the switch was first seen; the healthy window counts from it. */
  switchedAtFollowedMs?: number;
  /**
   * After a request whose arrival is unknown: the first sign that a failover is under way (a
   * changed role, a running failover or its task). Until there is one, the run may end saying the
   * cluster is unchanged.
   */
  signOfFailover?: string;
  /**
   * After a request whose arrival is unknown: the follow's time ({@link followedForMs}) since when every
   * read answered (its start, then the end of the last outage). The no-sign window counts from
   * here: an outage may be a hidden failover's switch, whose changed roles would show once vCenter
   * answers. (Older builds sent an epoch `quietSince`; it is dropped, and the window starts again.)
   */
  quietSinceFollowedMs?: number;
  /** The last read of the task failed with an answer that is not an outage: the next poll reads the cluster. */
  taskUnreadable?: boolean;
  /** The failover task found in vCenter's task list when the request's own answer was lost. */
  foundTaskId?: string;
  /** After a request whose arrival is unknown: how many sign lookups were made (they take turns). */
  lookups?: number;
  /** With a stability period: the follow's time ({@link followedForMs}) when the cluster was first seen back; the period starts here. */
  backAtFollowedMs?: number;
  /** With a stability period: since when (the follow's time) every read showed the new roles, without a break. */
  heldSinceFollowedMs?: number;
  /** With a stability period: when the last read showing the new roles was answered, and by whose clock. */
  heldReadAt?: { at: string; clock: 'vcenter' | 'worker' };
  /** vCenter's time (ISO, its `Date` header) of the read that showed the switch: the appliance's last check must be newer. */
  switchVcenterTime?: string;
  /** With the readiness gate: each gate as last seen (see `contract/readiness.ts`). */
  readiness?: ReadinessState;
  /** With the readiness gate: the stability period is over (the roles held); only the gate's requests remain. */
  rolesHeld?: boolean;
  /** With the readiness gate in the stability period: the next poll's request is the gate's (they take turns with the role reads). */
  readinessTurn?: boolean;
}

const STAGES: readonly string[] = ['FAILING_OVER', 'VERIFYING'] satisfies FollowStage[];

const optionalNumber = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const optionalString = (value: unknown) => (typeof value === 'string' ? value : undefined);

function entryOf(value: unknown): ObservationEntry[] {
  if (typeof value !== 'object' || value === null) return [];
  const { at, text, kind } = value as Record<string, unknown>;
  return typeof at === 'string' && typeof text === 'string' && typeof kind === 'string' ? [{ at, text, kind }] : [];
}

/**
 * The heartbeat in `details`, or undefined when they are not a follow heartbeat (another
 * activity's, or none). Fields of the wrong type are dropped rather than trusted.
 */
export function readFollowHeartbeat(details: unknown): FollowHeartbeat | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const raw = details as Record<string, unknown>;
  if (typeof raw.observation !== 'string' || !Array.isArray(raw.observations)) return undefined;
  const heartbeat: FollowHeartbeat = {
    observation: raw.observation,
    observations: raw.observations.flatMap(entryOf),
    longestOutageMs: optionalNumber(raw.longestOutageMs) ?? 0,
    polls: optionalNumber(raw.polls) ?? 0,
  };
  const unreachableSince = optionalNumber(raw.unreachableSince);
  if (unreachableSince !== undefined) heartbeat.unreachableSince = unreachableSince;
  if (raw.taskGone === true) heartbeat.taskGone = true;
  const taskStatus = optionalString(raw.taskStatus);
  if (taskStatus !== undefined) heartbeat.taskStatus = taskStatus;
  const taskError = optionalString(raw.taskError);
  if (taskError !== undefined) heartbeat.taskError = taskError;
  if (typeof raw.phase === 'string' && STAGES.includes(raw.phase)) heartbeat.phase = raw.phase as FollowStage;
  const switchedAt = optionalNumber(raw.switchedAt);
  if (switchedAt !== undefined) heartbeat.switchedAt = switchedAt;
  const signOfFailover = optionalString(raw.signOfFailover);
  if (signOfFailover !== undefined) heartbeat.signOfFailover = signOfFailover;
  const foundTaskId = optionalString(raw.foundTaskId);
  if (foundTaskId !== undefined) heartbeat.foundTaskId = foundTaskId;
  const lookups = optionalNumber(raw.lookups);
  if (lookups !== undefined) heartbeat.lookups = lookups;
  const heldReadAt = raw.heldReadAt as { at?: unknown; clock?: unknown } | undefined;
  if (typeof heldReadAt?.at === 'string' && (heldReadAt.clock === 'vcenter' || heldReadAt.clock === 'worker')) {
    heartbeat.heldReadAt = { at: heldReadAt.at, clock: heldReadAt.clock };
  }
  for (const key of [
    'followedForMs',
    'switchedAtFollowedMs',
    'quietSinceFollowedMs',
    'backAtFollowedMs',
    'heldSinceFollowedMs',
  ] as const) {
    const value = optionalNumber(raw[key]);
    if (value !== undefined && value >= 0) heartbeat[key] = value;
  }
  if (raw.taskUnreadable === true) heartbeat.taskUnreadable = true;
  const switchVcenterTime = optionalString(raw.switchVcenterTime);
  if (switchVcenterTime !== undefined) heartbeat.switchVcenterTime = switchVcenterTime;
  const readiness = readReadinessState(raw.readiness);
  if (readiness) heartbeat.readiness = readiness;
  if (raw.rolesHeld === true) heartbeat.rolesHeld = true;
  if (raw.readinessTurn === true) heartbeat.readinessTurn = true;
  return heartbeat;
}
