/**
 * The skeleton every run's status shares (failover and maintenance): the phase, its timeline, the
 * latest observation and whether a cancel was requested; entering a phase; and refusing an Update
 * from its validator. What the `status` query returns is built on it.
 */
import { ApplicationFailure, log } from '@temporalio/workflow';

/** The fields every run's status has, over its own phases. */
export interface RunStatus<P extends string> {
  phase: P;
  startedAt: string;
  timeline: { phase: P; at: string }[];
  observation: string;
  cancelRequested: boolean;
}

/** A run's status when it starts: validating its input. */
export function startingStatus(startedAt: Date): RunStatus<'VALIDATING'> {
  return {
    phase: 'VALIDATING',
    startedAt: startedAt.toISOString(),
    timeline: [{ phase: 'VALIDATING', at: startedAt.toISOString() }],
    observation: 'validating input',
    cancelRequested: false,
  };
}

/** Moves a run to `phase`: the status, its timeline and the log say so. */
export function enterPhase<P extends string>(status: RunStatus<P>, phase: P, observation: string): void {
  status.phase = phase;
  status.observation = observation;
  status.timeline.push({ phase, at: new Date().toISOString() });
  log.info(`phase ${phase}`, { phase, observation });
}

/** An Update validator's refusal of type `type`: it leaves no trace in history. */
export function refuseUpdate(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}
