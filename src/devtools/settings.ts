/**
 * What the dev tools (the Temporal CLI and server resolvers) read from the environment, parsed once. An empty
 * value counts as unset.
 */
import path from 'node:path';

/** The environment as the resolvers use it. */
export interface DevtoolsSettings {
  /** `TEMPORAL_CLI_PATH`: the CLI to use, before anything else. */
  temporalCliPath?: string;
  /** `TEMPORAL_SERVER_PATH`: the Temporal server binary to use, before anything else. */
  temporalServerPath?: string;
  /** `TEMPORAL_SQL_TOOL_PATH`: the `temporal-sql-tool` binary to use, before anything else. */
  temporalSqlToolPath?: string;
  /** `TEMPORAL_SERVER_VERSION`: which server release the cluster runs (`oldest`, `newest` or e.g. `1.29.1`). */
  temporalServerVersion?: string;
  /** The directories of `PATH`, in order. */
  searchPath: string[];
  /** The environment a build it starts (`go install`) runs with. */
  childEnv: Readonly<Record<string, string | undefined>>;
}

/** Parses the dev tools' environment. */
export function devtoolsSettingsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): DevtoolsSettings {
  return {
    ...(env.TEMPORAL_CLI_PATH ? { temporalCliPath: env.TEMPORAL_CLI_PATH } : {}),
    ...(env.TEMPORAL_SERVER_PATH ? { temporalServerPath: env.TEMPORAL_SERVER_PATH } : {}),
    ...(env.TEMPORAL_SQL_TOOL_PATH ? { temporalSqlToolPath: env.TEMPORAL_SQL_TOOL_PATH } : {}),
    ...(env.TEMPORAL_SERVER_VERSION ? { temporalServerVersion: env.TEMPORAL_SERVER_VERSION } : {}),
    searchPath: (env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== ''),
    childEnv: env,
  };
}
