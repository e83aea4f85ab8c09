/**
 * What `--wait` and `status` show while a run is in flight. The `status` query knows the
 * observation only at phase boundaries; while a follow activity runs, the live one ("vCenter
 * unreachable for 42 s (refused)") is in that activity's heartbeat details. This module merges
 * the two and renders the result: redrawn in place on a terminal, one line per change otherwise.
 */
import {
  describeGates,
  formatDuration,
  readFollowHeartbeat,
  type FailoverStatus,
  type FollowStage,
  type GateReport,
} from '../contract';
import type { CliIo } from './io';

/** What a pending follow activity's last heartbeat shows. */
export interface LiveFollow {
  activityType: string;
  observation: string;
  attempt: number;
  /** The follow activity's stage (FAILING_OVER, then VERIFYING once the switch is seen). */
  phase?: FollowStage;
  /** The readiness gates as the follow last saw them, once it checks them. */
  readiness?: GateReport[];
}

/** Everything known about a running run at one moment. */
export interface ProgressInput {
  /** The `status` query's answer, when the query worked. */
  status?: FailoverStatus;
  /** Why the query did not answer (no worker polling, timeout…). */
  statusError?: string;
  heartbeat?: LiveFollow;
  /** When the run started (fallback when the status is unknown). */
  startedAt: Date;
  now: Date;
}

/** The merged view. */
export interface ProgressView {
  phase: string;
  observation: string;
  /** True when the observation came from a heartbeat rather than the status query. */
  live: boolean;
  elapsedMs: number;
  /** The readiness gates in one line (live from the heartbeat, else the status), once the run checks them. */
  readiness?: string;
}

/**
 * The observation in heartbeat details, if they carry one worth showing. A follow activity's
 * first heartbeat is sent before it has polled anything (an empty `observations` list): the
 * status query's observation says more until the activity has seen something.
 */
export function heartbeatObservation(details: unknown): string | undefined {
  const heartbeat = readFollowHeartbeat(details);
  if (!heartbeat || heartbeat.observation === '' || heartbeat.observations.length === 0) return undefined;
  return heartbeat.observation;
}

/** Merges the status query with the live heartbeat: the heartbeat wins while a follow activity is pending. */
export function mergeProgress(input: ProgressInput): ProgressView {
  const startedAt = input.status ? new Date(input.status.startedAt) : input.startedAt;
  const elapsedMs = Math.max(0, input.now.getTime() - startedAt.getTime());
  let phase = input.status?.phase ?? 'UNKNOWN';
  if (input.heartbeat) {
    // The workflow learns of the switch when the follow activity ends; its heartbeat knows at once.
    if (phase === 'FAILING_OVER' && input.heartbeat.phase === 'VERIFYING') phase = 'VERIFYING';
    const retry = input.heartbeat.attempt > 1 ? ` (attempt ${input.heartbeat.attempt})` : '';
    const gates = input.heartbeat.readiness;
    return {
      phase,
      observation: `${input.heartbeat.observation}${retry}`,
      live: true,
      elapsedMs,
      ...(gates ? { readiness: describeGates(gates) } : {}),
    };
  }
  const observation = input.status?.observation ?? `status unavailable: ${input.statusError ?? 'no answer'}`;
  const gates = input.status?.readiness?.gates;
  return { phase, observation, live: false, elapsedMs, ...(gates ? { readiness: describeGates(gates) } : {}) };
}

/** One line of progress, e.g. `[1m05s] FAILING_OVER  vCenter unreachable for 42 s (refused)`. */
export function progressLine(view: ProgressView): string {
  return `[${formatDuration(view.elapsedMs)}] ${view.phase}  ${view.observation}`;
}

/** Prints progress: redrawn in place on a terminal, otherwise one line whenever phase or observation change. */
export class ProgressPrinter {
  private lastKey: string | undefined;
  private drawn = false;

  constructor(private readonly io: CliIo) {}

  update(view: ProgressView): void {
    if (this.io.isTTY) {
      // Wider than the terminal would wrap, and a carriage return cannot redraw a wrapped line.
      const width = this.io.columns && this.io.columns > 10 ? this.io.columns - 1 : undefined;
      const line = progressLine(view);
      this.io.out(`\r\x1b[2K${width && line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
      this.drawn = true;
      return;
    }
    // The elapsed time changes every second; only a new phase or observation is a change worth a line.
    const key = `${view.phase}\n${view.observation}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.io.out(`${progressLine(view)}\n`);
  }

  /** Ends the redrawn line so later output starts on a fresh one. */
  finish(): void {
    if (this.drawn) this.io.out('\n');
    this.drawn = false;
  }
}
