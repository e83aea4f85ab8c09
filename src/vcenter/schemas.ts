/**
 * Zod schemas for the vCenter REST wire types the worker reads, named after the swagger definitions in
 * VMware's published API (vcenter-vcha 7.0.3, cis-tasks 8.0.2, session 8.0.2, vcenter-services 7.0.3,
 * appliance-health 8.0.2). Property names stay snake_case as
 * on the wire.
 *
 * Conventions:
 * - Objects are loose: properties a newer vCenter adds are kept, never rejected.
 * - A property is required only where the spec marks it required; a present property of the wrong type is rejected.
 * - Enums the failover decisions are computed from are strict, so a value this code does not understand surfaces
 *   as a response error instead of being silently misread: `config_state`, cluster `mode`, node `runtime.state`
 *   and `runtime.role`, mode info `mode`, and task `status`.
 * - Enums that are only displayed or compared against one known-good value are open (known values plus any other
 *   string): `health_state` (a watch waits for HEALTHY; an unknown state simply is not HEALTHY, and rejecting it
 *   would break a watch against a newer vCenter), `ip_family`, network types, date-time formats and `error_type`.
 *
 * This module is pure (no I/O) so it can be imported from workflow code.
 */
import { z } from 'zod';

/**
 * A string schema typed as one of the known values or any other string: accepts enum values a newer vCenter adds
 * while keeping the known values visible to the type checker.
 */
function openEnum<const Values extends readonly [string, ...string[]]>(
  _knownValues: Values,
): z.ZodType<Values[number] | (string & {})> {
  return z.string();
}

const int64 = z.number().int();

// ---------------------------------------------------------------------------------------------------------------
// vAPI standard types
// ---------------------------------------------------------------------------------------------------------------

/** Known values of `VapiStdErrorsErrorType`: the discriminator of a vAPI standard error. */
export const VAPI_STD_ERRORS_ERROR_TYPES = [
  'ERROR',
  'ALREADY_EXISTS',
  'ALREADY_IN_DESIRED_STATE',
  'CANCELED',
  'CONCURRENT_CHANGE',
  'FEATURE_IN_USE',
  'INTERNAL_SERVER_ERROR',
  'INVALID_ARGUMENT',
  'INVALID_ELEMENT_CONFIGURATION',
  'INVALID_ELEMENT_TYPE',
  'INVALID_REQUEST',
  'NOT_ALLOWED_IN_CURRENT_STATE',
  'NOT_FOUND',
  'OPERATION_NOT_FOUND',
  'RESOURCE_BUSY',
  'RESOURCE_IN_USE',
  'RESOURCE_INACCESSIBLE',
  'SERVICE_UNAVAILABLE',
  'TIMED_OUT',
  'UNABLE_TO_ALLOCATE_RESOURCE',
  'UNAUTHENTICATED',
  'UNAUTHORIZED',
  'UNEXPECTED_INPUT',
  'UNSUPPORTED',
  'UNVERIFIED_PEER',
] as const;

/** `VapiStdErrorsErrorType`: open, because a newer vCenter may report error types this list does not know. */
export const VapiStdErrorsErrorTypeSchema = openEnum(VAPI_STD_ERRORS_ERROR_TYPES);
/** A vAPI standard error type such as `NOT_FOUND`. */
export type VapiStdErrorsErrorType = z.infer<typeof VapiStdErrorsErrorTypeSchema>;

/** `VapiStdLocalizationParamDateTimeFormat`: display-only, therefore open. */
export const VapiStdLocalizationParamDateTimeFormatSchema = openEnum([
  'SHORT_DATE',
  'MED_DATE',
  'LONG_DATE',
  'FULL_DATE',
  'SHORT_TIME',
  'MED_TIME',
  'LONG_TIME',
  'FULL_TIME',
  'SHORT_DATE_TIME',
  'MED_DATE_TIME',
  'LONG_DATE_TIME',
  'FULL_DATE_TIME',
]);
/** Date and time display style of a localization parameter. */
export type VapiStdLocalizationParamDateTimeFormat = z.infer<typeof VapiStdLocalizationParamDateTimeFormatSchema>;

/** `VapiStdNestedLocalizableMessage`: a message nested inside a localization parameter. */
export type VapiStdNestedLocalizableMessage = {
  id: string;
  params?: Record<string, VapiStdLocalizationParam>;
  [key: string]: unknown;
};

/** `VapiStdLocalizationParam`: one named argument of a localizable message. */
export type VapiStdLocalizationParam = {
  s?: string;
  dt?: string;
  i?: number;
  d?: number;
  l?: VapiStdNestedLocalizableMessage;
  format?: VapiStdLocalizationParamDateTimeFormat;
  precision?: number;
  [key: string]: unknown;
};

// The two definitions refer to each other, so their types are written out above and the schemas use getters.
/** Schema of `VapiStdNestedLocalizableMessage`. */
export const VapiStdNestedLocalizableMessageSchema: z.ZodType<VapiStdNestedLocalizableMessage> = z.looseObject({
  id: z.string(),
  get params() {
    return z.record(z.string(), VapiStdLocalizationParamSchema).optional();
  },
});

/** Schema of `VapiStdLocalizationParam`. */
export const VapiStdLocalizationParamSchema: z.ZodType<VapiStdLocalizationParam> = z.looseObject({
  s: z.string().optional(),
  dt: z.string().optional(),
  i: int64.optional(),
  d: z.number().optional(),
  get l() {
    return VapiStdNestedLocalizableMessageSchema.optional();
  },
  format: VapiStdLocalizationParamDateTimeFormatSchema.optional(),
  precision: int64.optional(),
});

/** `VapiStdLocalizableMessage`: a message with an English default text, as used in errors and warnings. */
export const VapiStdLocalizableMessageSchema = z.looseObject({
  id: z.string(),
  default_message: z.string(),
  args: z.array(z.string()),
  params: z.record(z.string(), VapiStdLocalizationParamSchema).optional(),
  localized: z.string().optional(),
});
/** A localizable message; `default_message` is the English text. */
export type VapiStdLocalizableMessage = z.infer<typeof VapiStdLocalizableMessageSchema>;

/** `VapiStdErrorsError`: the body of every `/api` error response and the error of a FAILED task. */
export const VapiStdErrorsErrorSchema = z.looseObject({
  messages: z.array(VapiStdLocalizableMessageSchema),
  data: z.record(z.string(), z.unknown()).optional(),
  // Can be missing or null for compatibility with releases before 6.7.2.
  error_type: VapiStdErrorsErrorTypeSchema.nullish(),
});
/** A vAPI standard error body. */
export type VapiStdErrorsError = z.infer<typeof VapiStdErrorsErrorSchema>;

/** `VapiStdDynamicID`: a typed resource identifier. */
export const VapiStdDynamicIDSchema = z.looseObject({
  type: z.string(),
  id: z.string(),
});
/** A typed resource identifier such as a task target. */
export type VapiStdDynamicID = z.infer<typeof VapiStdDynamicIDSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Session
// ---------------------------------------------------------------------------------------------------------------

/** Body of a `201` from `POST /api/session`: the session token as a JSON string. */
export const SessionTokenSchema = z.string().min(1, 'session token is empty');

// ---------------------------------------------------------------------------------------------------------------
// VCHA cluster
// ---------------------------------------------------------------------------------------------------------------

/** `VcenterVchaClusterConfigState` (strict: failover preconditions depend on it). */
export const VcenterVchaClusterConfigStateSchema = z.enum(['CONFIGURED', 'NOTCONFIGURED', 'INVALID', 'PREPARED']);
/** VCHA configuration state. */
export type VcenterVchaClusterConfigState = z.infer<typeof VcenterVchaClusterConfigStateSchema>;

/** `VcenterVchaClusterClusterMode` (strict: failover preconditions depend on it). */
export const VcenterVchaClusterClusterModeSchema = z.enum(['ENABLED', 'DISABLED', 'MAINTENANCE']);
/** Operational mode of a VCHA cluster as reported in the cluster info. */
export type VcenterVchaClusterClusterMode = z.infer<typeof VcenterVchaClusterClusterModeSchema>;

/** Known values of `VcenterVchaClusterClusterState`. */
export const VCENTER_VCHA_CLUSTER_CLUSTER_STATES = ['HEALTHY', 'DEGRADED', 'ISOLATED'] as const;
/** `VcenterVchaClusterClusterState`: open, see the module comment. */
export const VcenterVchaClusterClusterStateSchema = openEnum(VCENTER_VCHA_CLUSTER_CLUSTER_STATES);
/** Last known health of a VCHA cluster. */
export type VcenterVchaClusterClusterState = z.infer<typeof VcenterVchaClusterClusterStateSchema>;

/** `VcenterVchaClusterNodeState` (strict: "all members present" is computed from it). */
export const VcenterVchaClusterNodeStateSchema = z.enum(['UP', 'DOWN']);
/** Last known state of a VCHA node. */
export type VcenterVchaClusterNodeState = z.infer<typeof VcenterVchaClusterNodeStateSchema>;

/** `VcenterVchaClusterNodeRole` (strict: failover preconditions and its completion proof depend on it). */
export const VcenterVchaClusterNodeRoleSchema = z.enum(['ACTIVE', 'PASSIVE', 'WITNESS']);
/** Last known role of a VCHA node. */
export type VcenterVchaClusterNodeRole = z.infer<typeof VcenterVchaClusterNodeRoleSchema>;

/** `VcenterVchaClusterIpFamily`: display-only, therefore open. */
export const VcenterVchaClusterIpFamilySchema = openEnum(['IPV4', 'IPV6']);
/** IP address family of a node address. */
export type VcenterVchaClusterIpFamily = z.infer<typeof VcenterVchaClusterIpFamilySchema>;

/** `VcenterVchaNetworkType`: display-only, therefore open. */
export const VcenterVchaNetworkTypeSchema = openEnum(['STANDARD_PORTGROUP', 'DISTRIBUTED_PORTGROUP']);
/** Type of a vCenter network. */
export type VcenterVchaNetworkType = z.infer<typeof VcenterVchaNetworkTypeSchema>;

/** `VcenterVchaClusterIpv4Info`. */
export const VcenterVchaClusterIpv4InfoSchema = z.looseObject({
  address: z.string(),
  subnet_mask: z.string(),
  prefix: int64.optional(),
});
/** IPv4 configuration of a node interface. */
export type VcenterVchaClusterIpv4Info = z.infer<typeof VcenterVchaClusterIpv4InfoSchema>;

/** `VcenterVchaClusterIpv6Info`. */
export const VcenterVchaClusterIpv6InfoSchema = z.looseObject({
  address: z.string(),
  prefix: int64,
});
/** IPv6 configuration of a node interface. */
export type VcenterVchaClusterIpv6Info = z.infer<typeof VcenterVchaClusterIpv6InfoSchema>;

/** `VcenterVchaClusterIpInfo`. */
export const VcenterVchaClusterIpInfoSchema = z.looseObject({
  ip_family: VcenterVchaClusterIpFamilySchema,
  ipv4: VcenterVchaClusterIpv4InfoSchema.optional(),
  ipv6: VcenterVchaClusterIpv6InfoSchema.optional(),
  gateway_ip: z.string().optional(),
});
/** Network configuration of a node interface. */
export type VcenterVchaClusterIpInfo = z.infer<typeof VcenterVchaClusterIpInfoSchema>;

/** `VcenterVchaDiskInfo`. */
export const VcenterVchaDiskInfoSchema = z.looseObject({
  datastore: z.string(),
  datastore_name: z.string(),
});
/** Datastore holding a node's disks. */
export type VcenterVchaDiskInfo = z.infer<typeof VcenterVchaDiskInfoSchema>;

/** `VcenterVchaPlacementInfo`. */
export const VcenterVchaPlacementInfoSchema = z.looseObject({
  management_vcenter_name: z.string(),
  management_vcenter_server_guid: z.string().optional(),
  vm_name: z.string(),
  datacenter: z.string(),
  datacenter_name: z.string(),
  host: z.string(),
  host_name: z.string(),
  cluster: z.string().optional(),
  cluster_name: z.string().optional(),
  ha_network: z.string().optional(),
  ha_network_name: z.string().optional(),
  ha_network_type: VcenterVchaNetworkTypeSchema.optional(),
  management_network: z.string(),
  management_network_name: z.string(),
  management_network_type: VcenterVchaNetworkTypeSchema,
  storage: VcenterVchaDiskInfoSchema,
  bios_uuid: z.string().optional(),
});
/** Where a VCHA node's virtual machine runs. */
export type VcenterVchaPlacementInfo = z.infer<typeof VcenterVchaPlacementInfoSchema>;

/** `VcenterVchaClusterNodeRuntimeInfo`. */
export const VcenterVchaClusterNodeRuntimeInfoSchema = z.looseObject({
  state: VcenterVchaClusterNodeStateSchema.optional(),
  role: VcenterVchaClusterNodeRoleSchema.optional(),
  placement: VcenterVchaPlacementInfoSchema.optional(),
});
/** Runtime state, role and placement of a VCHA node. */
export type VcenterVchaClusterNodeRuntimeInfo = z.infer<typeof VcenterVchaClusterNodeRuntimeInfoSchema>;

/** `VcenterVchaClusterNodeInfo`: node1 or node2 of the cluster. */
export const VcenterVchaClusterNodeInfoSchema = z.looseObject({
  failover_ip: VcenterVchaClusterIpInfoSchema.optional(),
  ha_ip: VcenterVchaClusterIpInfoSchema,
  runtime: VcenterVchaClusterNodeRuntimeInfoSchema.optional(),
});
/** Configuration and runtime information of an active/passive node. */
export type VcenterVchaClusterNodeInfo = z.infer<typeof VcenterVchaClusterNodeInfoSchema>;

/** `VcenterVchaClusterWitnessInfo`. */
export const VcenterVchaClusterWitnessInfoSchema = z.looseObject({
  ha_ip: VcenterVchaClusterIpInfoSchema,
  runtime: VcenterVchaClusterNodeRuntimeInfoSchema.optional(),
});
/** Configuration and runtime information of the witness node. */
export type VcenterVchaClusterWitnessInfo = z.infer<typeof VcenterVchaClusterWitnessInfoSchema>;

/** `VcenterVchaClusterErrorCondition`: one health warning with an optional recommendation. */
export const VcenterVchaClusterErrorConditionSchema = z.looseObject({
  error: VapiStdLocalizableMessageSchema,
  recommendation: VapiStdLocalizableMessageSchema.optional(),
});
/** A reason the cluster is not healthy. */
export type VcenterVchaClusterErrorCondition = z.infer<typeof VcenterVchaClusterErrorConditionSchema>;

/** `VcenterVchaClusterInfo`: the answer of `POST /api/vcenter/vcha/cluster?action=get`. Every property optional. */
export const VcenterVchaClusterInfoSchema = z.looseObject({
  config_state: VcenterVchaClusterConfigStateSchema.optional(),
  node1: VcenterVchaClusterNodeInfoSchema.optional(),
  node2: VcenterVchaClusterNodeInfoSchema.optional(),
  witness: VcenterVchaClusterWitnessInfoSchema.optional(),
  mode: VcenterVchaClusterClusterModeSchema.optional(),
  health_state: VcenterVchaClusterClusterStateSchema.optional(),
  health_exception: z.array(VapiStdLocalizableMessageSchema).optional(),
  health_warnings: z.array(VcenterVchaClusterErrorConditionSchema).optional(),
  manual_failover_allowed: z.boolean().optional(),
  auto_failover_allowed: z.boolean().optional(),
});
/** VCHA configuration and health information. */
export type VcenterVchaClusterInfo = z.infer<typeof VcenterVchaClusterInfoSchema>;

/** `VcenterVchaClusterModeClusterMode` (strict: failover preconditions depend on it). */
export const VcenterVchaClusterModeClusterModeSchema = z.enum(['ENABLED', 'DISABLED', 'MAINTENANCE']);
/** Mode of a VCHA cluster as reported by the mode service. */
export type VcenterVchaClusterModeClusterMode = z.infer<typeof VcenterVchaClusterModeClusterModeSchema>;

/** `VcenterVchaClusterModeInfo`: the answer of `GET /api/vcenter/vcha/cluster/mode`. */
export const VcenterVchaClusterModeInfoSchema = z.looseObject({
  mode: VcenterVchaClusterModeClusterModeSchema,
});
/** The cluster mode. */
export type VcenterVchaClusterModeInfo = z.infer<typeof VcenterVchaClusterModeInfoSchema>;

/** `VcenterVchaOperationsInfo`: the answer of `GET /api/vcenter/vcha/operations`. */
export const VcenterVchaOperationsInfoSchema = z.looseObject({
  disabled: z.array(z.string()),
  active: z.array(z.string()),
});
/** Operation ids currently disabled and currently running. */
export type VcenterVchaOperationsInfo = z.infer<typeof VcenterVchaOperationsInfoSchema>;

/** Body of a `202` from the failover and mode set calls: the task id as a JSON string. */
export const TaskIdSchema = z.string().min(1, 'task id is empty');

// ---------------------------------------------------------------------------------------------------------------
// CIS tasks
// ---------------------------------------------------------------------------------------------------------------

/** `CisTaskStatus` (strict: whether a task is finished, and how, is decided from it). */
export const CisTaskStatusSchema = z.enum(['PENDING', 'RUNNING', 'BLOCKED', 'SUCCEEDED', 'FAILED']);
/** Status of a CIS task. */
export type CisTaskStatus = z.infer<typeof CisTaskStatusSchema>;

/** `CisTaskProgress`. */
export const CisTaskProgressSchema = z.looseObject({
  total: int64,
  completed: int64,
  message: VapiStdLocalizableMessageSchema,
});
/** Progress of a task. */
export type CisTaskProgress = z.infer<typeof CisTaskProgressSchema>;

/** `CisTaskInfo`: the answer of `GET /api/cis/tasks/{task}`. */
export const CisTaskInfoSchema = z.looseObject({
  progress: CisTaskProgressSchema.optional(),
  // The result's shape depends on the operation (a failover has none); the worker does not interpret it.
  result: z.unknown().optional(),
  description: VapiStdLocalizableMessageSchema,
  service: z.string(),
  operation: z.string(),
  parent: z.string().optional(),
  target: VapiStdDynamicIDSchema.optional(),
  status: CisTaskStatusSchema,
  cancelable: z.boolean(),
  // The swagger types this as a string; vCenter and the SDKs send the vAPI error object. Both are accepted.
  error: z.union([VapiStdErrorsErrorSchema, z.string()]).optional(),
  start_time: z.string().optional(),
  end_time: z.string().optional(),
  user: z.string().optional(),
});
/** Information about a task. */
export type CisTaskInfo = z.infer<typeof CisTaskInfoSchema>;

/** Answer of `POST /api/cis/tasks?action=list`: task id → task information. */
export const CisTasksListResultSchema = z.record(z.string(), CisTaskInfoSchema);
/** Tasks by id. */
export type CisTasksListResult = z.infer<typeof CisTasksListResultSchema>;

// ---------------------------------------------------------------------------------------------------------------
// vCenter services, datacenters (vcenter-services 7.0.3) and appliance health (appliance-health 8.0.2)
// ---------------------------------------------------------------------------------------------------------------

/** `VcenterServicesServiceStartupType` (strict: which services must be running is decided from it). */
export const VcenterServicesServiceStartupTypeSchema = z.enum(['AUTOMATIC', 'MANUAL', 'DISABLED']);
/** `VcenterServicesServiceState` (strict: whether a service runs is decided from it). */
export const VcenterServicesServiceStateSchema = z.enum(['STARTING', 'STOPPING', 'STARTED', 'STOPPED']);
/** `VcenterServicesServiceHealth`: open, compared against the known values only. */
export const VcenterServicesServiceHealthSchema = openEnum(['HEALTHY', 'HEALTHY_WITH_WARNINGS', 'DEGRADED']);

/** `VcenterServicesServiceInfo`: one vCenter service; `health` is only meaningful while it is STARTED. */
export const VcenterServicesServiceInfoSchema = z.looseObject({
  name_key: z.string(),
  description_key: z.string(),
  startup_type: VcenterServicesServiceStartupTypeSchema,
  state: VcenterServicesServiceStateSchema,
  health: VcenterServicesServiceHealthSchema.optional(),
  health_messages: z.array(VapiStdLocalizableMessageSchema).optional(),
});
/** One vCenter service. */
export type VcenterServicesServiceInfo = z.infer<typeof VcenterServicesServiceInfoSchema>;

/** Answer of `GET /api/vcenter/services`: service id → service information. */
export const VcenterServicesListResultSchema = z.record(z.string(), VcenterServicesServiceInfoSchema);
/** vCenter services by id. */
export type VcenterServicesListResult = z.infer<typeof VcenterServicesListResultSchema>;

/** `VcenterDatacenterSummary`. */
export const VcenterDatacenterSummarySchema = z.looseObject({
  datacenter: z.string(),
  name: z.string(),
});
/** Answer of `GET /api/vcenter/datacenter` (served by vpxd). */
export const VcenterDatacenterListResultSchema = z.array(VcenterDatacenterSummarySchema);
/** Datacenters, as vpxd lists them. */
export type VcenterDatacenterSummary = z.infer<typeof VcenterDatacenterSummarySchema>;

/** The values of `ApplianceHealthSystemHealthLevel` in the 8.0.2 definitions, in their order. */
export const APPLIANCE_HEALTH_LEVELS = ['orange', 'gray', 'green', 'red', 'yellow'] as const;
/** `ApplianceHealthSystemHealthLevel`: a bare JSON string; open, compared against known colors only. */
export const ApplianceHealthSystemHealthLevelSchema = openEnum(APPLIANCE_HEALTH_LEVELS);
/** The appliance's overall health color. */
export type ApplianceHealthSystemHealthLevel = z.infer<typeof ApplianceHealthSystemHealthLevelSchema>;

/** Answer of `GET /api/appliance/health/system/lastcheck`: a date-time string, when the health was last computed. */
export const ApplianceHealthLastCheckSchema = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'expected a date-time');
