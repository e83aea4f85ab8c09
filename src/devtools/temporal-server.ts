/**
 * Finds (or builds) the real Temporal server and its `temporal-sql-tool`, which the cluster tests
 * and the cluster benchmark run on PostgreSQL. The same order as the CLI resolver: an env var
 * path, PATH, the project-local build, then one `go install` at the pinned version.
 */
import path from 'node:path';
import { projectRoot } from '../paths';
import { binaryVersion, findOnPath, goInstall, isExecutable, projectLocalBinDir, type GoPackage } from './go-binary';
import { devtoolsSettingsFromEnv, type DevtoolsSettings } from './settings';

/** The server release the CLI's dev server and the compose image (`temporalio/auto-setup`) run. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';

/** One of the two binaries: how it is named, where its override lives, which package builds it. */
interface ServerBinary {
  /** The name on PATH and in the project-local folder (the names the official images use). */
  command: string;
  envVar: 'TEMPORAL_SERVER_PATH' | 'TEMPORAL_SQL_TOOL_PATH';
  override: (settings: DevtoolsSettings) => string | undefined;
  pkg: GoPackage;
}

const SERVER: ServerBinary = {
  command: 'temporal-server',
  envVar: 'TEMPORAL_SERVER_PATH',
  override: (settings) => settings.temporalServerPath,
  pkg: { module: 'go.temporal.io/server/cmd/server', version: TEMPORAL_SERVER_VERSION, label: 'temporal-server' },
};

const SQL_TOOL: ServerBinary = {
  command: 'temporal-sql-tool',
  envVar: 'TEMPORAL_SQL_TOOL_PATH',
  override: (settings) => settings.temporalSqlToolPath,
  pkg: { module: 'go.temporal.io/server/cmd/tools/sql', version: TEMPORAL_SERVER_VERSION, label: 'temporal-sql-tool' },
};

/** Where a resolved binary came from, printed so a reader of CI logs knows which server ran. */
export type ServerBinarySource = 'env' | 'PATH' | 'project-local' | 'go-install';

/** One resolved binary. */
export interface ResolvedBinary {
  source: ServerBinarySource;
  executable: string;
  /** Its `--version` line, e.g. `temporal version 1.29.1`. */
  version: string;
}

/** Both binaries the cluster needs. */
export interface TemporalServerBinaries {
  server: ResolvedBinary;
  sqlTool: ResolvedBinary;
}

/** Raised when a binary cannot be found or built; its message says how to get one. */
export class TemporalServerNotFoundError extends Error {
  override name = 'TemporalServerNotFoundError';
}

/** Options mainly for tests of the resolver itself. */
export interface ResolveServerOptions {
  projectRoot?: string;
  /** The environment to read (`TEMPORAL_SERVER_PATH`, `TEMPORAL_SQL_TOOL_PATH`, `PATH`). */
  env?: Readonly<Record<string, string | undefined>>;
  log?: (line: string) => void;
}

function installHint(binary: ServerBinary): string {
  return (
    `build it with \`GOBIN=$PWD/.tools/bin go install ${binary.pkg.module}@${binary.pkg.version}\` ` +
    `(then rename it to .tools/bin/${binary.command}), put a ${binary.command} on PATH, or point ${binary.envVar} at one`
  );
}

function resolveOne(binary: ServerBinary, root: string, settings: DevtoolsSettings, log: (line: string) => void) {
  const label = binary.pkg.label;
  const chosen = (source: ServerBinarySource, executable: string): ResolvedBinary => {
    const version = binaryVersion(executable);
    if (!version) {
      throw new TemporalServerNotFoundError(
        `The ${binary.command} at ${executable} (from ${source}) does not run; ${installHint(binary)}.`,
      );
    }
    log(`${label}: using ${executable} (${source}; ${version})`);
    return { source, executable, version };
  };

  const explicit = binary.override(settings);
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new TemporalServerNotFoundError(
        `${binary.envVar} is set to ${explicit}, which is not an executable file; fix it or unset it and ${installHint(binary)}.`,
      );
    }
    return chosen('env', path.resolve(explicit));
  }
  const onPath = findOnPath(binary.command, settings);
  if (onPath) return chosen('PATH', onPath);
  const local = path.join(projectLocalBinDir(root), binary.command);
  if (isExecutable(local)) return chosen('project-local', local);
  if (goInstall(binary.pkg, local, settings, log)) return chosen('go-install', local);
  throw new TemporalServerNotFoundError(
    `No ${binary.command} found and none could be built (is Go on PATH?): ${installHint(binary)}.`,
  );
}

/**
 * Resolves the server and the SQL tool, building each at most once into `.tools/bin/`; later runs
 * find the build there and never rebuild.
 */
export function resolveTemporalServer(options: ResolveServerOptions = {}): TemporalServerBinaries {
  const settings = devtoolsSettingsFromEnv(options.env);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const root = options.projectRoot ?? projectRoot();
  return { server: resolveOne(SERVER, root, settings, log), sqlTool: resolveOne(SQL_TOOL, root, settings, log) };
}
