/**
 * Every environment variable the worker process reads, as one zod schema: the worker validates its
 * environment with it at start, and a test checks docker-compose.yml against it.
 */
import { z } from 'zod';
import { parseDuration } from '../workflows/duration';

// Compose's `${VAR:-}` passes unset variables as empty strings: treat those as unset.
const optionalText = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());
const positiveInt = (name: string, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .default(String(fallback))
    .transform(Number)
    .refine((n) => n >= 1, `${name} must be at least 1`);

/** The worker's environment (Temporal connection variables are read by envconfig). */
export const WorkerEnvSchema = z.object({
  VCHA_TARGETS_FILE: z.string({ error: 'VCHA_TARGETS_FILE is required: the targets file (JSON or YAML)' }).min(1),
  VCHA_TASK_QUEUE: optionalText,
  VCHA_WORKFLOW_BUNDLE: optionalText,
  VCHA_AUDIT_DB: optionalText,
  VCHA_AUDIT_DATABASE_URL: optionalText,
  VCHA_AUDIT_TABLE: optionalText,
  VCHA_METRICS_ADDR: optionalText,
  VCHA_LOG_LEVEL: optionalText,
  VCHA_WEBHOOK_URL: optionalText,
  VCHA_WEBHOOK_SECRET: optionalText,
  VCHA_BUILD_ID: optionalText,
  VCHA_SHUTDOWN_GRACE_TIME: z
    .string()
    .default('30s')
    .refine((text) => parseDuration(text) !== undefined, 'VCHA_SHUTDOWN_GRACE_TIME must be a duration such as "30s"')
    .transform((text) => parseDuration(text)!),
  VCHA_MAX_CONCURRENT_ACTIVITIES: positiveInt('VCHA_MAX_CONCURRENT_ACTIVITIES', 200),
  // One workflow thread runs the activations: more slots only queue inside the worker. At 1000
  // concurrent runs, 10 slots gave p99 overhead 1.8 s against 2.8-3.4 s with the SDK's 40.
  VCHA_MAX_CONCURRENT_WORKFLOW_TASKS: positiveInt('VCHA_MAX_CONCURRENT_WORKFLOW_TASKS', 10),
  VCHA_MAX_CACHED_WORKFLOWS: optionalText.refine(
    (text) => text === undefined || (/^\d+$/.test(text) && Number(text) >= 1),
    'VCHA_MAX_CACHED_WORKFLOWS must be a whole number of at least 1',
  ),
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
}

/** Validates the environment; the error lists every bad variable. */
export function workerSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerProcessSettings {
  const parsed = WorkerEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid worker environment: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  return {
    shutdownGraceTimeMs: parsed.data.VCHA_SHUTDOWN_GRACE_TIME,
    maxConcurrentActivityTaskExecutions: parsed.data.VCHA_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: parsed.data.VCHA_MAX_CONCURRENT_WORKFLOW_TASKS,
    ...(parsed.data.VCHA_MAX_CACHED_WORKFLOWS
      ? { maxCachedWorkflows: Number(parsed.data.VCHA_MAX_CACHED_WORKFLOWS) }
      : {}),
  };
}
