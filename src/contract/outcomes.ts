/**
 * How a run can end: the two successful outcomes and the stable `ApplicationFailure.type` of every
 * unsuccessful one. Other teams' workflows, scripts (through the CLI's exit codes) and the
 * `VchaOutcome` search attribute branch on these names: they never change meaning.
 */

/** Successful outcomes. */
export type SuccessOutcome = 'SUCCEEDED' | 'DRY_RUN_PASSED';

/** Stable `ApplicationFailure.type` values of every unsuccessful end. */
export const FAILURE_TYPES = [
  'InvalidInput',
  'UnknownTarget',
  'TargetBusy',
  'PreflightRejected',
  'NotAuthorized',
  'FailoverFailed',
  'FailoverOutcomeUnknown',
  'FailoverNotHealthy',
  'Cancelled',
  // The target's policy refuses this kind of failover: nothing was read from or sent to vCenter.
  'PolicyDenied',
  // The approval the policy asks for was rejected or did not come in time: nothing was sent.
  'NotApproved',
  // vchaMaintenance: the cluster was not fit to fail back, so the failback was not sent.
  'FailbackNotSent',
  // vchaMaintenance: maxDuration passed without maintenanceDone and onMaxDuration is "leave".
  'MaintenanceTimedOut',
  // This workflow id already sent its failover (an earlier run of it: reset, retried, re-run): this run sent nothing.
  'AlreadySent',
  // Another failover of the cluster is unresolved (in flight, or ended without proof): nothing was sent.
  'UnresolvedFailover',
  // vchaMaintenance: both legs succeeded, but the cluster's original mode could not be set again (it was left in MAINTENANCE).
  'ModeNotRestored',
  // The switch was proven, then the cluster failed back by itself within the stability period (the old
  // active node ACTIVE again): the failover did not hold. Nothing more was sent.
  'FailoverFlippedBack',
  // The switch was proven and the cluster is back, but vCenter did not serve within deadlines.ready (a
  // readiness gate did not pass: the vpxd read, a service, the appliance's health). Nothing more was sent.
  'VcenterNotReady',
] as const;

/** One unsuccessful end. */
export type FailureType = (typeof FAILURE_TYPES)[number];

/** Whether `name` is one of the contract's failure types. */
export function isFailureType(name: string | null | undefined): name is FailureType {
  return (FAILURE_TYPES as readonly (string | null | undefined)[]).includes(name);
}
