/** Where a `vchaFailover` run is: the phases the `status` query, the timeline and the CLI show. */

/** Every phase, in the order a run passes through them. */
export const PHASES = [
  'VALIDATING',
  'PREFLIGHT',
  // Only when the target's policy asks for approval: nothing is sent until someone else approves.
  'AWAITING_APPROVAL',
  'TRIGGERING',
  'FAILING_OVER',
  'VERIFYING',
  'RECORDING',
  'COMPLETED',
] as const;

/** One phase of a run. */
export type FailoverPhase = (typeof PHASES)[number];

/** When a phase began (ISO time). */
export interface PhaseMark {
  phase: FailoverPhase;
  at: string;
}
