/**
 * Scenarios: the clusters a simulator serves, their state and faults, credentials and timing, as
 * zod schemas so that a mistake is reported with the path of the offending field. The same shape
 * is a runtime change (`configure`, `PATCH /__sim/clusters/{name}`); files are read in
 * `scenario-file.ts`.
 */
import { z } from 'zod';
import { VCENTER_OPERATIONS } from '../vcenter/operations';
import { SERVICE_IDS } from './model/services';

const operationSelector = z.enum([...VCENTER_OPERATIONS, '*']);
const durationMs = z.number().finite().nonnegative();
const ipv4 = z.string().regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, 'expected an IPv4 address');

/** Cluster names appear in URLs, so they are limited to URL-safe characters. */
const CLUSTER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const clusterName = z.string().regex(CLUSTER_NAME_PATTERN, 'cluster names use letters, digits, ".", "_" and "-"');

/** One node or the witness. */
export const memberScenarioSchema = z.strictObject({
  vmName: z.string().min(1).optional(),
  vmId: z.string().min(1).optional(),
  hostName: z.string().min(1).optional(),
  haIp: ipv4.optional(),
  state: z.enum(['UP', 'DOWN']).optional(),
  role: z.enum(['ACTIVE', 'PASSIVE', 'WITNESS']).optional(),
  /** node1/node2: the address this node serves clients at once it is active (`failover_ip`); unset: the public one. */
  failoverIp: ipv4.optional(),
  /**
   * node1/node2: where clients reach this node's failover IP through NAT (another loopback address):
   * the simulator serves there once the node is active, and still reports `failoverIp`.
   */
  natAddress: ipv4.optional(),
});

/** An extra user account and its privileges (e.g. `System.Read`, `Global.VCServer`). */
export const userScenarioSchema = z.strictObject({
  password: z.string(),
  privileges: z.array(z.string().min(1)).optional(),
});

/** Simulated durations in milliseconds (scaled by the time scale). */
export const timingScenarioSchema = z.strictObject({
  flushMs: durationMs.optional(),
  switchOutageMs: durationMs.optional(),
  resyncMs: durationMs.optional(),
  taskStartMs: durationMs.optional(),
  refusalTaskMs: durationMs.optional(),
  modeChangeMs: durationMs.optional(),
  /** After a switch: how long each vCenter service of the new active node takes to start, one after another. */
  serviceStartMs: durationMs.optional(),
  /** After a switch: when the new active node's first periodic appliance health check runs (from the API's return). */
  healthCheckMs: durationMs.optional(),
  /** `faults.failBack`: how long after the API's return the cluster fails back by itself. */
  failBackMs: durationMs.optional(),
});

const vapiErrorTypes = [
  'ERROR',
  'INVALID_ARGUMENT',
  'NOT_ALLOWED_IN_CURRENT_STATE',
  'NOT_FOUND',
  'OPERATION_NOT_FOUND',
  'RESOURCE_BUSY',
  'SERVICE_UNAVAILABLE',
  'TIMED_OUT',
  'UNAUTHENTICATED',
  'UNAUTHORIZED',
] as const;

/** Envoy's plain-text answers while the vAPI endpoint behind it is down (with status 503). */
export const ENVOY_BODIES = ['envoy-no-healthy-upstream', 'envoy-connect-failure'] as const;

const serviceId = z.enum(SERVICE_IDS as [string, ...string[]]);

/** One fault rule: which requests, how often, when and what happens (see `model/faults.ts`). */
export const faultRuleSchema = z
  .strictObject({
    /** Only the k-th API request the cluster receives (1-based). */
    request: z.number().int().positive().optional(),
    /** Only requests of this operation (default every operation). */
    operation: operationSelector.optional(),
    /** Let this many matching requests through before the rule applies. */
    skip: z.number().int().nonnegative().optional(),
    /** Apply to this many matching requests (default: once for an indexed rule, else every time). */
    count: z.number().int().positive().optional(),
    /** `before` vCenter processes the request (it never takes effect) or `after` (only the answer is affected). */
    when: z.enum(['before', 'after']).optional(),
    action: z.enum(['refuse', 'reset', 'hang', 'blackhole', 'delay', 'respond']),
    /** `delay`: real milliseconds, not scaled. */
    delayMs: durationMs.optional(),
    /** `refuse`: real milliseconds the port stays closed. */
    refuseMs: durationMs.optional(),
    /** `blackhole`: real milliseconds the cluster's address answers nothing at all. */
    blackholeMs: durationMs.optional(),
    /** `respond`: the status sent (default: the real answer's). */
    status: z.number().int().min(200).max(599).optional(),
    /** `respond`: the body sent instead of the real one. */
    body: z.enum(['vapi', 'html', ...ENVOY_BODIES, 'truncated-json', 'wrong-types']).optional(),
    /** `respond` with a `vapi` body: its error type (default ERROR). */
    errorType: z.enum(vapiErrorTypes).optional(),
  })
  .superRefine((rule, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (rule.action === 'refuse') {
      // A connection is refused before its request is sent: only the request's place is known, not its operation.
      if (rule.request === undefined) problem('a refuse rule names the request it refuses (request: k)');
      if (rule.operation !== undefined || rule.when === 'after')
        problem('a refuse rule has no operation and no "after"');
    }
    if (rule.action === 'respond' && rule.body === undefined && rule.status === undefined) {
      problem('a respond rule says what it sends: body and/or status');
    }
    if (rule.action === 'delay' && rule.delayMs === undefined) problem('a delay rule needs delayMs');
  });

/** How this vCenter behaves, and the fault rules of its requests. */
export const faultsScenarioSchema = z.strictObject({
  /** Fault rules, first match wins; a runtime change replaces the whole list. */
  rules: z.array(faultRuleSchema).optional(),
  /** How a failover that is not allowed is reported: a 500 error or a task that ends FAILED. */
  failoverRefusal: z.enum(['error', 'failed-task']).optional(),
  /** What the old task id returns after the switch: 404 NOT_FOUND or a SUCCEEDED task. */
  taskAfterSwitch: z.enum(['not-found', 'succeeded']).optional(),
  /**
   * What a client meets during the switch: `503` (vAPI SERVICE_UNAVAILABLE) or `reset` connections
   * (both shared-port only: a port of its own is closed instead), Envoy's plain-text 503s, or a
   * `blackhole` (nothing answers); the last three in both layouts.
   */
  outageStyle: z.enum(['503', 'reset', ...ENVOY_BODIES, 'blackhole']).optional(),
  /** Failover tasks end FAILED even when the failover is allowed; roles stay as they were. */
  failFailoverTask: z.boolean().optional(),
  /**
   * A running failover shows neither in operations.active nor in the task list: `true` until the
   * switch, or a number of simulated milliseconds from the request (capped at the switch).
   */
  hideRunningFailover: z.union([z.boolean(), durationMs]).optional(),
  /** After a switch, these services of the new active node do not start: stuck STARTING, or STOPPED. */
  servicesAfterSwitch: z.partialRecord(serviceId, z.enum(['STARTING', 'STOPPED'])).optional(),
  /**
   * The cluster fails back by itself `timing.failBackMs` after each switch (Broadcom KB 430364):
   * `task` with a failover task of its own, `silent` without one, `off` (default) never.
   */
  failBack: z.enum(['off', 'task', 'silent']).optional(),
  /**
   * Port-per-cluster layout: how the address the cluster left when a node with a failover IP took
   * over (or when it came back) behaves until the cluster returns to it: `refuse` (default) or `blackhole`.
   */
  oldAddress: z.enum(['refuse', 'blackhole']).optional(),
});

/** One service of the active node, set now (a runtime change sets its state at once). */
export const serviceScenarioSchema = z.strictObject({
  startupType: z.enum(['AUTOMATIC', 'MANUAL', 'DISABLED']).optional(),
  state: z.enum(['STARTING', 'STOPPING', 'STARTED', 'STOPPED']).optional(),
  health: z.enum(['HEALTHY', 'HEALTHY_WITH_WARNINGS', 'DEGRADED']).optional(),
});

/** One cluster in a scenario; every field is optional (defaults: a healthy, enabled cluster). */
export const clusterScenarioSchema = z.strictObject({
  /** Port-per-cluster layout: fixed port for this cluster's API (0 or unset = any free port). */
  port: z.number().int().min(0).max(65535).optional(),
  /**
   * Port-per-cluster layout: other (loopback) addresses this cluster also answers at, on the same
   * port, wherever its public address answers: two names for one vCenter. Fixed at start.
   */
  aliases: z.array(ipv4).optional(),
  mode: z.enum(['ENABLED', 'DISABLED', 'MAINTENANCE']).optional(),
  configState: z.enum(['CONFIGURED', 'NOTCONFIGURED', 'INVALID', 'PREPARED']).optional(),
  healthState: z.enum(['HEALTHY', 'DEGRADED', 'ISOLATED']).optional(),
  healthException: z.array(z.string()).optional(),
  healthWarnings: z.array(z.string()).optional(),
  manualFailoverAllowed: z.boolean().optional(),
  autoFailoverAllowed: z.boolean().optional(),
  disabledOperations: z.array(z.string().min(1)).optional(),
  nodes: z
    .strictObject({
      node1: memberScenarioSchema.optional(),
      node2: memberScenarioSchema.optional(),
      witness: memberScenarioSchema.optional(),
    })
    .optional(),
  users: z.record(z.string().min(1), userScenarioSchema).optional(),
  timing: timingScenarioSchema.optional(),
  faults: faultsScenarioSchema.optional(),
  /** Services of the active node (e.g. `{"vpxd": {"state": "STOPPED"}}`: vpxd down while the vAPI answers). */
  services: z.partialRecord(serviceId, serviceScenarioSchema).optional(),
  /** The color the appliance's periodic health checks compute (default green). */
  applianceHealth: z.enum(['green', 'yellow', 'orange', 'red', 'gray']).optional(),
});

/** The cluster list: a map of name to cluster, or just a list of names (all defaults). */
export const clustersSchema = z.preprocess(
  (value) =>
    Array.isArray(value) && value.every((entry) => typeof entry === 'string')
      ? Object.fromEntries(value.map((name: string) => [name, {}]))
      : value,
  z.record(clusterName, clusterScenarioSchema),
);

/** A whole scenario file. */
export const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  layout: z.enum(['port-per-cluster', 'shared-port']).optional(),
  username: z.string().min(1).optional(),
  password: z.string().optional(),
  users: z.record(z.string().min(1), userScenarioSchema).optional(),
  timeScale: z.number().finite().positive().optional(),
  timing: timingScenarioSchema.optional(),
  clusters: clustersSchema,
});

/** One node or the witness, as written in a scenario. */
export type MemberScenario = z.output<typeof memberScenarioSchema>;
/** An extra user account, as written in a scenario. */
export type UserScenario = z.output<typeof userScenarioSchema>;
/** Timing overrides, as written in a scenario. */
export type TimingScenario = z.output<typeof timingScenarioSchema>;
/** One service, as written in a scenario. */
export type ServiceScenario = z.output<typeof serviceScenarioSchema>;
/** Faults of one cluster, as validated. */
export type FaultsScenario = z.output<typeof faultsScenarioSchema>;
/** One fault rule, as validated. */
export type FaultRuleScenario = z.output<typeof faultRuleSchema>;
/** One cluster, as validated. Also the body of a runtime change (`PATCH /__sim/clusters/{name}`). */
export type ClusterScenario = z.output<typeof clusterScenarioSchema>;
/** One cluster as a caller may write it (before defaults are applied). */
export type ClusterScenarioInput = z.input<typeof clusterScenarioSchema>;
/** A validated scenario file. */
export type Scenario = z.output<typeof scenarioSchema>;

/** A scenario (or runtime change) that failed validation; `issues` name the offending fields. */
export class ScenarioError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`Invalid ${source}:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

/** Renders zod issues as `path.to.field: message` lines. */
function describeIssues(error: z.ZodError, pathPrefix: string[] = []): string[] {
  return error.issues.map((issue) => {
    const path = [...pathPrefix, ...issue.path.map(String)].join('.');
    return `${path || '(root)'}: ${issue.message}`;
  });
}

/** Validates `value` against `schema`, throwing a ScenarioError that names each bad field. */
export function validateWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: string,
  pathPrefix: string[] = [],
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ScenarioError(source, describeIssues(result.error, pathPrefix));
  return result.data;
}

/** Validates an already-parsed scenario object. */
export function validateScenario(value: unknown, source = 'scenario'): Scenario {
  return validateWith(scenarioSchema, value, source);
}
