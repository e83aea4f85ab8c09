/**
 * Every environment variable the `vcha-failover` CLI reads, parsed once into {@link CliSettings}
 * that commands receive through their io: nothing else in the CLI reads the environment (the
 * Temporal connection variables are envconfig's). An empty value counts as unset.
 */
import { userInfo } from 'node:os';
import { auditStoreConfig, type AuditStoreConfig } from '../audit/settings';
import { DEFAULT_TASK_QUEUE } from '../contract';

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
  };
}
