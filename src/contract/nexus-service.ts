/**
 * The `vcha` Nexus service: the contract another team's namespace uses to fail over, maintain,
 * check and approve through a Nexus endpoint instead of a child workflow (which cannot cross a
 * namespace). Operation names, inputs and outputs only: callers import it into their workflow
 * code, so it holds no zod values and no handler code (that lives in `src/nexus/`).
 */
import * as nexus from 'nexus-rpc';
import type { VchaFailoverInput } from './input/failover';
import type { VchaMaintenanceInput } from './input/maintenance';
import type { ApprovalRecord, ApproveArgs, RejectArgs } from './approval';
import type { FleetFailoverResult } from './fleet';
import type { MaintenanceResult } from './maintenance';
import type { FailoverResult } from './record';

/** The service's name, as callers and the worker's handler agree on it. */
export const VCHA_NEXUS_SERVICE_NAME = 'vcha';

/**
 * The `failover` operation's input: a `vchaFailover` input and, optionally, the run's workflow id
 * (default `vcha-failover-<target>-<Nexus request id>`). Choose the id when the run may need an
 * approval: the `approve` and `reject` operations name the run by it.
 */
export interface NexusFailoverInput {
  workflowId?: string;
  input: VchaFailoverInput;
}

/** The `maintenance` operation's input: a `vchaMaintenance` input and, optionally, the run's workflow id. */
export interface NexusMaintenanceInput {
  /** Default `vcha-maintenance-<target>-<Nexus request id>`; its legs are `<id>/failover` and `<id>/failback`. */
  workflowId?: string;
  input: VchaMaintenanceInput;
}

/**
 * The `readiness` operation's input: which targets to check with a dry run of a planned failover
 * (`fleetFailover` with `dryRun`: preflight only, nothing is sent to vCenter).
 */
export interface NexusReadinessInput {
  /** Target names configured on the worker, or "all". */
  targets: string[] | 'all';
  /** How many targets are checked at once, 1–100 (default 10, as `vcha-failover check`). */
  concurrency?: number;
  requestedBy?: string;
  /** Default `vcha-readiness-<Nexus request id>`; its children are `<id>/<target>`. */
  workflowId?: string;
}

/** The `approve` operation's input: the waiting `vchaFailover` run and the `approve` Update's arguments. */
export interface NexusApproveInput extends ApproveArgs {
  /** The waiting run (a maintenance's leg is `<maintenance id>/failover` or `/failback`). */
  workflowId: string;
  runId?: string;
}

/** The `reject` operation's input: the waiting `vchaFailover` run and the `reject` Update's arguments. */
export interface NexusRejectInput extends RejectArgs {
  workflowId: string;
  runId?: string;
}

/**
 * The service definition callers pass to `createNexusServiceClient`. `failover`, `maintenance`
 * and `readiness` are backed by a workflow run (a caller's cancel reaches the run); `approve` and
 * `reject` answer at once with the approval as recorded.
 */
export const vchaNexusService = nexus.service(VCHA_NEXUS_SERVICE_NAME, {
  failover: nexus.operation<NexusFailoverInput, FailoverResult>(),
  maintenance: nexus.operation<NexusMaintenanceInput, MaintenanceResult>(),
  readiness: nexus.operation<NexusReadinessInput, FleetFailoverResult>(),
  approve: nexus.operation<NexusApproveInput, ApprovalRecord>(),
  reject: nexus.operation<NexusRejectInput, ApprovalRecord>(),
});

/** The service definition's type, for typed callers. */
export type VchaNexusService = typeof vchaNexusService;
