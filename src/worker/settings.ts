/**
 * Every environment variable the worker process reads, parsed once at start into one typed
 * {@link WorkerSettings} that the worker passes down: nothing else in the process reads the
 * environment. The same schema checks docker-compose.yml in a test. An empty value counts as unset
 * everywhere (compose's `${VAR:-}` passes unset variables as empty strings).
 */
import type { LogLevel } from '@temporalio/worker';
import { z } from 'zod';
import type { WebhookConfig } from '../activities/webhook';
import { auditStoreConfig, type AuditStoreConfig } from '../audit/settings';
import { DEFAULT_TASK_QUEUE, parseDuration } from '../contract';
import type { RuntimeSettings } from '../observability/runtime';
import { tracingSettingsFrom, type TracingSettings } from '../observability/tracing';

/** The service name spans are reported under unless `OTEL_SERVICE_NAME` says otherwise. */
export const WORKER_SERVICE_NAME = 'vcha-failover-worker';

/** Turns an empty value into an unset one before the field's own rule runs. */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema);

const optionalText = unsetIfEmpty(z.string().optional());

/**
 * How many clusters' ledgers the ledgers' worker keeps in memory between their tasks. A ledger
 * lives as long as its cluster and is asked a few times per failover, so without a bound the
 * worker would keep every cluster it ever failed over; an evicted ledger is replayed from its
 * history (at most 2,000 events, see the ledger's continue-as-new) at its next Update. 100 covers
 * 100 failovers in flight without a replay; at N = 1000 it took the worker's peak RSS from
 * 737–837 MB to 713–715 MB at the same CPU, where 20 saved no more memory and cost about 20 CPU-s
 * of replays (BENCHMARKS.md, 0.4.2).
 */
export const DEFAULT_LEDGER_MAX_CACHED_WORKFLOWS = 100;

const positiveInt = (name: string, fallback: number) =>
  unsetIfEmpty(
    z
      .string()
      .regex(/^\d+$/, `${name} must be a whole number`)
      .default(String(fallback))
      .transform(Number)
      .refine((n) => n >= 1, `${name} must be at least 1`),
  );

const LOG_LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

const HOST_PORT = /^[^\s:]+:\d{1,5}$/;
const BRACKETED_IPV6_PORT = /^\[[0-9a-fA-F:]+\]:\d{1,5}$/;

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** Longest deployment name or build id accepted: the server's limit is about 480 characters each. */
const MAX_VERSIONING_NAME_LENGTH = 255;

/**
 * What the Temporal server would reject in a deployment name or build id, in words; undefined when
 * it is acceptable. Checked at start so a bad value fails there rather than at the first poll.
 */
function versioningNameProblem(text: string, { deploymentName }: { deploymentName: boolean }): string | undefined {
  if (text.length > MAX_VERSIONING_NAME_LENGTH) return `at most ${MAX_VERSIONING_NAME_LENGTH} characters`;
  if (text.startsWith('__')) return 'must not start with "__" (reserved by Temporal)';
  if (/\s/.test(text)) return 'must not contain whitespace';
  // The server joins name and build id with "." (and formerly ":") into the version's id.
  if (deploymentName && /[.:]/.test(text)) return 'must not contain "." or ":"';
  return undefined;
}

/** An optional deployment name or build id, its problem named with the variable. */
const versioningName = (variable: string, kind: { deploymentName: boolean }) =>
  optionalText.superRefine((text, ctx) => {
    const problem = text === undefined ? undefined : versioningNameProblem(text, kind);
    if (problem) ctx.addIssue({ code: 'custom', message: `${variable}: ${problem}` });
  });

/** The worker's environment (Temporal connection variables are read by envconfig). */
export const WorkerEnvSchema = z.object({
  VCHA_TARGETS_FILE: unsetIfEmpty(
    z.string({ error: 'VCHA_TARGETS_FILE: variable is not set; point it at the targets file (JSON or YAML)' }),
  ),
  VCHA_TASK_QUEUE: optionalText,
  VCHA_WORKFLOW_BUNDLE: optionalText,
  VCHA_AUDIT_DB: optionalText,
  VCHA_AUDIT_DATABASE_URL: optionalText,
  VCHA_AUDIT_TABLE: optionalText,
  VCHA_METRICS_ADDR: optionalText.refine(
    (text) => text === undefined || HOST_PORT.test(text) || BRACKETED_IPV6_PORT.test(text),
    'VCHA_METRICS_ADDR: expected host:port such as 127.0.0.1:9464',
  ),
  VCHA_LOG_LEVEL: optionalText
    .transform((text) => (text ?? 'INFO').toUpperCase())
    .refine((level) => (LOG_LEVELS as readonly string[]).includes(level), {
      error: `VCHA_LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}`,
    })
    .transform((level) => level as LogLevel),
  VCHA_WEBHOOK_URL: optionalText.refine(
    (text) => text === undefined || isHttpUrl(text),
    'VCHA_WEBHOOK_URL: expected an http(s) URL',
  ),
  VCHA_WEBHOOK_SECRET: optionalText,
  VCHA_HEALTH_ADDR: optionalText.refine(
    (text) => text === undefined || HOST_PORT.test(text) || BRACKETED_IPV6_PORT.test(text),
    'VCHA_HEALTH_ADDR: expected host:port such as 0.0.0.0:8080',
  ),
  VCHA_DEPLOYMENT_NAME: versioningName('VCHA_DEPLOYMENT_NAME', { deploymentName: true }),
  VCHA_BUILD_ID: versioningName('VCHA_BUILD_ID', { deploymentName: false }),
  // Set by Temporal's Worker Controller on the pods of each version it creates; they win over the
  // VCHA_ pair (see versioningFrom).
  TEMPORAL_DEPLOYMENT_NAME: versioningName('TEMPORAL_DEPLOYMENT_NAME', { deploymentName: true }),
  TEMPORAL_WORKER_BUILD_ID: versioningName('TEMPORAL_WORKER_BUILD_ID', { deploymentName: false }),
  VCHA_SHUTDOWN_GRACE_TIME: unsetIfEmpty(
    z
      .string()
      .default('30s')
      .refine((text) => parseDuration(text) !== undefined, 'VCHA_SHUTDOWN_GRACE_TIME must be a duration such as "30s"')
      .transform((text) => parseDuration(text)!),
  ),
  VCHA_MAX_CONCURRENT_ACTIVITIES: positiveInt('VCHA_MAX_CONCURRENT_ACTIVITIES', 200),
  // One workflow thread runs the activations, so more slots mostly queue inside the worker; but a
  // run keeps its slot while its local activity waits for the cluster's ledger, so too few slots
  // leave runs queued behind waiting ones. At 1000 concurrent runs (BENCHMARKS.md, release 0.3.0):
  // 10 slots gave p50/p99 overhead 17/31 s, 20 gave 1.9/4.3 s, 40 gave 3.0/4.6 s, 100 gave 6.0/10.4 s.
  VCHA_MAX_CONCURRENT_WORKFLOW_TASKS: positiveInt('VCHA_MAX_CONCURRENT_WORKFLOW_TASKS', 20),
  VCHA_MAX_CACHED_WORKFLOWS: optionalText
    .refine(
      (text) => text === undefined || (/^\d+$/.test(text) && Number(text) >= 1),
      'VCHA_MAX_CACHED_WORKFLOWS must be a whole number of at least 1',
    )
    .transform((text) => (text === undefined ? undefined : Number(text))),
  // The clusters' ledgers kept in memory between their Updates: see DEFAULT_LEDGER_MAX_CACHED_WORKFLOWS.
  VCHA_LEDGER_MAX_CACHED_WORKFLOWS: positiveInt(
    'VCHA_LEDGER_MAX_CACHED_WORKFLOWS',
    DEFAULT_LEDGER_MAX_CACHED_WORKFLOWS,
  ).refine((n) => n >= 2, "VCHA_LEDGER_MAX_CACHED_WORKFLOWS must be at least 2 (the SDK's smallest cache)"),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalText.refine(
    (text) => text === undefined || isHttpUrl(text),
    'OTEL_EXPORTER_OTLP_ENDPOINT: expected an http(s) URL such as http://127.0.0.1:4318',
  ),
  OTEL_SERVICE_NAME: optionalText,
  TEMPORAL_ADDRESS: optionalText,
  TEMPORAL_NAMESPACE: optionalText,
  TEMPORAL_API_KEY: optionalText,
  TEMPORAL_TLS: optionalText,
  TEMPORAL_TLS_CLIENT_CERT_PATH: optionalText,
  TEMPORAL_TLS_CLIENT_KEY_PATH: optionalText,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: optionalText,
  TEMPORAL_TLS_SERVER_NAME: optionalText,
  TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: optionalText,
  TEMPORAL_PROFILE: optionalText,
  TEMPORAL_CONFIG_FILE: optionalText,
});

/** Names of the variables the worker reads. */
export const WORKER_ENV_KEYS: readonly string[] = Object.keys(WorkerEnvSchema.shape);

/** Variables the worker cannot start without. */
export const REQUIRED_WORKER_ENV_KEYS: readonly string[] = ['VCHA_TARGETS_FILE'];

/** The settings that shape the Worker itself. */
export interface WorkerProcessSettings {
  shutdownGraceTimeMs: number;
  maxConcurrentActivityTaskExecutions: number;
  maxConcurrentWorkflowTaskExecutions: number;
  /** Sticky cache size; the SDK sizes it from memory when unset. Smaller saves memory, costs replays. */
  maxCachedWorkflows?: number;
  /** The ledgers' worker's cache size (`VCHA_LEDGER_MAX_CACHED_WORKFLOWS`, 100 by default). */
  ledgerMaxCachedWorkflows: number;
}

/** Everything the worker process was configured with. */
export interface WorkerSettings {
  /** The targets file, and the environment its `passwordEnv` entries name variables of. */
  targets: { file: string; env: Readonly<Record<string, string | undefined>> };
  taskQueue: string;
  /** Prebuilt workflow code (`VCHA_WORKFLOW_BUNDLE`); unset: the bundle beside the built worker, else the source. */
  workflowBundle?: string;
  /** `TEMPORAL_WORKER_BUILD_ID` or `VCHA_BUILD_ID`: names the code in logs and, with a deployment, the version; unset: derived from the bundle. */
  buildId?: string;
  /**
   * `TEMPORAL_DEPLOYMENT_NAME` or `VCHA_DEPLOYMENT_NAME`: the Worker Deployment the worker joins (versioned, every workflow
   * PINNED to the build that started it). Unset: an unversioned worker, as before versioning.
   */
  deploymentName?: string;
  /** The variable each of `deploymentName` and `buildId` came from, for the start log. */
  versioningSource?: { deploymentName?: string; buildId?: string };
  /**
   * `VCHA_HEALTH_ADDR`: where the health endpoint listens (`/livez`, `/readyz`) for probes;
   * unset: no health endpoint.
   */
  healthAddress?: string;
  audit: AuditStoreConfig;
  runtime: RuntimeSettings;
  /** The completion webhook, when `VCHA_WEBHOOK_URL` is set. */
  webhook?: WebhookConfig;
  /** OpenTelemetry tracing, when `OTEL_EXPORTER_OTLP_ENDPOINT` is set; off otherwise. */
  tracing?: TracingSettings;
  process: WorkerProcessSettings;
}

/**
 * The deployment name and build id, each from the Worker Controller's variable
 * (`TEMPORAL_DEPLOYMENT_NAME`, `TEMPORAL_WORKER_BUILD_ID`) when it is set, else from the VCHA_ one.
 * The controller's win because it registers, routes to and watches the version by exactly those
 * values: a pod polling under any other name or build id would never be seen as that version's
 * worker, and the rollout would stall.
 */
function versioningFrom(vars: {
  VCHA_DEPLOYMENT_NAME?: string;
  VCHA_BUILD_ID?: string;
  TEMPORAL_DEPLOYMENT_NAME?: string;
  TEMPORAL_WORKER_BUILD_ID?: string;
}): Pick<WorkerSettings, 'deploymentName' | 'buildId' | 'versioningSource'> {
  const pick = (controller: string, controllerValue?: string, own?: string, ownValue?: string) =>
    controllerValue !== undefined
      ? { value: controllerValue, source: controller }
      : ownValue !== undefined
        ? { value: ownValue, source: own! }
        : undefined;
  const name = pick(
    'TEMPORAL_DEPLOYMENT_NAME',
    vars.TEMPORAL_DEPLOYMENT_NAME,
    'VCHA_DEPLOYMENT_NAME',
    vars.VCHA_DEPLOYMENT_NAME,
  );
  const build = pick('TEMPORAL_WORKER_BUILD_ID', vars.TEMPORAL_WORKER_BUILD_ID, 'VCHA_BUILD_ID', vars.VCHA_BUILD_ID);
  if (!name && !build) return {};
  return {
    ...(build ? { buildId: build.value } : {}),
    ...(name ? { deploymentName: name.value } : {}),
    versioningSource: {
      ...(name ? { deploymentName: name.source } : {}),
      ...(build ? { buildId: build.source } : {}),
    },
  };
}

/** Parses the worker's environment once; the error lists every bad variable. */
export function workerSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerSettings {
  const parsed = WorkerEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid worker environment: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  const vars = parsed.data;
  const tracing = tracingSettingsFrom(vars.OTEL_EXPORTER_OTLP_ENDPOINT, vars.OTEL_SERVICE_NAME, WORKER_SERVICE_NAME);
  return {
    targets: { file: vars.VCHA_TARGETS_FILE, env },
    taskQueue: vars.VCHA_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
    ...(vars.VCHA_WORKFLOW_BUNDLE !== undefined ? { workflowBundle: vars.VCHA_WORKFLOW_BUNDLE } : {}),
    ...versioningFrom(vars),
    ...(vars.VCHA_HEALTH_ADDR !== undefined ? { healthAddress: vars.VCHA_HEALTH_ADDR } : {}),
    audit: auditStoreConfig(env),
    runtime: {
      logLevel: vars.VCHA_LOG_LEVEL,
      ...(vars.VCHA_METRICS_ADDR !== undefined ? { metricsAddress: vars.VCHA_METRICS_ADDR } : {}),
    },
    ...(vars.VCHA_WEBHOOK_URL !== undefined
      ? {
          webhook: {
            url: vars.VCHA_WEBHOOK_URL,
            ...(vars.VCHA_WEBHOOK_SECRET ? { secret: vars.VCHA_WEBHOOK_SECRET } : {}),
          },
        }
      : {}),
    ...(tracing !== undefined ? { tracing } : {}),
    process: {
      shutdownGraceTimeMs: vars.VCHA_SHUTDOWN_GRACE_TIME,
      maxConcurrentActivityTaskExecutions: vars.VCHA_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTaskExecutions: vars.VCHA_MAX_CONCURRENT_WORKFLOW_TASKS,
      ...(vars.VCHA_MAX_CACHED_WORKFLOWS !== undefined ? { maxCachedWorkflows: vars.VCHA_MAX_CACHED_WORKFLOWS } : {}),
      ledgerMaxCachedWorkflows: vars.VCHA_LEDGER_MAX_CACHED_WORKFLOWS,
    },
  };
}
