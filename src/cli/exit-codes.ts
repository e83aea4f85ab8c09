/**
 * The exit codes of `vcha-failover`: scripts branch on them, so each failure type of the
 * workflow contract has its own code and none may change meaning once released.
 */
import type { FailureType } from '../contract';

/** Codes that do not come from a run's outcome. */
export const EXIT_CODES = {
  /** The command did what was asked; a run ended SUCCEEDED or DRY_RUN_PASSED. */
  ok: 0,
  /** Anything else went wrong: Temporal unreachable, run or schedule not found, run terminated or timed out. */
  error: 1,
  /** Wrong command line (unknown option, missing or invalid value); nothing was started. */
  usage: 2,
  /** `check`: not every target is ready (or one could not be checked). */
  notReady: 3,
  /** Stopped with Ctrl-C while watching; the run itself goes on. */
  interrupted: 130,
} as const;

/** One code per failure type of the contract. */
export const FAILURE_EXIT_CODES = {
  InvalidInput: 10,
  UnknownTarget: 11,
  TargetBusy: 12,
  PreflightRejected: 13,
  NotAuthorized: 14,
  FailoverFailed: 15,
  FailoverOutcomeUnknown: 16,
  FailoverNotHealthy: 17,
  Cancelled: 18,
  PolicyDenied: 19,
  NotApproved: 20,
  FailbackNotSent: 21,
  MaintenanceTimedOut: 22,
  AlreadySent: 23,
  UnresolvedFailover: 24,
  ModeNotRestored: 25,
  FailoverFlippedBack: 26,
  VcenterNotReady: 27,
} as const satisfies Record<FailureType, number>;

/** The exit code of a run's outcome (a SuccessOutcome or FailureType); unknown types count as other errors. */
export function exitCodeForOutcome(outcome: string): number {
  if (outcome === 'SUCCEEDED' || outcome === 'DRY_RUN_PASSED') return EXIT_CODES.ok;
  return Object.hasOwn(FAILURE_EXIT_CODES, outcome) ? FAILURE_EXIT_CODES[outcome as FailureType] : EXIT_CODES.error;
}

/** Every exit code with its meaning, for `--help` and docs/cli.md. */
export const EXIT_CODE_TABLE: readonly { code: number; meaning: string }[] = [
  { code: EXIT_CODES.ok, meaning: 'done; with --wait: SUCCEEDED or DRY_RUN_PASSED' },
  { code: EXIT_CODES.error, meaning: 'other error: Temporal unreachable, not found, run terminated or timed out' },
  { code: EXIT_CODES.usage, meaning: 'wrong command line or invalid input; nothing was started' },
  { code: EXIT_CODES.notReady, meaning: 'check: not every target is ready' },
  ...Object.entries(FAILURE_EXIT_CODES).map(([type, code]) => ({ code, meaning: `the run ended ${type}` })),
  { code: EXIT_CODES.interrupted, meaning: 'Ctrl-C while watching; the run goes on' },
];
