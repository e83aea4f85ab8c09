/**
 * Every environment variable the `vcha-failover` CLI reads, parsed once into {@link CliSettings}
 * that commands receive through their io: nothing else in the CLI reads the environment. The
 * Temporal connection variables are captured here and handed to envconfig, which gives them the
 * `temporal` CLI's meaning. An empty value counts as unset.
 */
import { userInfo } from 'node:os';
import { auditStoreConfig, type AuditStoreConfig } from '../audit/settings';
import { DEFAULT_TASK_QUEUE } from '../contract';

/** The service name the CLI's spans are reported under unless `OTEL_SERVICE_NAME` says otherwise. */
export const CLI_SERVICE_NAME = 'vcha-failover-cli';

/** Where the Web UI is unless `VCHA_UI_URL` says otherwise: the dev server's UI. */
const DEFAULT_UI_URL = 'http://localhost:8233';

/** What the CLI was configured with. */
export interface CliSettings {
  /** The worker's task queue unless `--task-queue` names one: `VCHA_TASK_QUEUE`, else the default. */
  taskQueue: string;
  /** Base of Web UI links: `VCHA_UI_URL`, else the dev server's UI. */
  uiUrl: string;
  /** Who asks unless `--requested-by` says: the OS user, when the platform has one. */
  osUser?: string;
  /** The outcome records `history` reads: the worker's `VCHA_AUDIT_*` variables. */
  audit: AuditStoreConfig;
  /**
   * The variables envconfig reads (`TEMPORAL_*`, and `HOME`/`XDG_CONFIG_HOME`/`APPDATA` for the
   * default config file), without the empty ones: the connection flags override them.
   */
  temporalEnv: Record<string, string>;
  /**
   * OpenTelemetry tracing of workflow starts: `OTEL_EXPORTER_OTLP_ENDPOINT` (unset: off) and
   * `OTEL_SERVICE_NAME`, as given; checked when a command connects.
   */
  tracing?: { endpoint: string; serviceName?: string };
}

/** Where the variables envconfig reads besides `TEMPORAL_*` live. */
const CONFIG_DIR_VARIABLES = ['HOME', 'XDG_CONFIG_HOME', 'APPDATA'];

/** The non-empty variables envconfig reads. */
function temporalEnvFrom(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value && (name.startsWith('TEMPORAL_') || CONFIG_DIR_VARIABLES.includes(name))) picked[name] = value;
  }
  return picked;
}

/** The OS user name; `USER`/`USERNAME` where the platform has no user database entry. */
function osUserName(env: Readonly<Record<string, string | undefined>>): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return env.USER || env.USERNAME || undefined;
  }
}

/** Parses the CLI's environment. */
export function cliSettingsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): CliSettings {
  const osUser = osUserName(env);
  return {
    taskQueue: env.VCHA_TASK_QUEUE || DEFAULT_TASK_QUEUE,
    uiUrl: (env.VCHA_UI_URL || DEFAULT_UI_URL).replace(/\/+$/, ''),
    ...(osUser !== undefined ? { osUser } : {}),
    audit: auditStoreConfig(env),
    temporalEnv: temporalEnvFrom(env),
    ...(env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? {
          tracing: {
            endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
            ...(env.OTEL_SERVICE_NAME ? { serviceName: env.OTEL_SERVICE_NAME } : {}),
          },
        }
      : {}),
  };
}
