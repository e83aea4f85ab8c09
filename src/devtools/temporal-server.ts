/**
 * Finds (or builds) the real Temporal server and its `temporal-sql-tool`, which the cluster tests
 * and the cluster benchmark run on PostgreSQL, at the oldest or the newest supported release. The
 * same order as the CLI resolver: an env var path, PATH, the project-local build, then one
 * `go install` of the selected release.
 */
import path from 'node:path';
import { projectRoot } from '../paths';
import { binaryVersion, findOnPath, goInstall, isExecutable, projectLocalBinDir } from './go-binary';
import { devtoolsSettingsFromEnv, type DevtoolsSettings } from './settings';

/**
 * The server releases the worker is tested on: the oldest it supports (1.29.1, the first with
 * Worker Deployment Versioning GA) and the newest that builds with the Go toolchain the project's
 * machines have (1.32.2 needs a newer Go). The compose image follows the newest.
 */
export const TEMPORAL_SERVER_VERSIONS = { oldest: '1.29.1', newest: '1.32.1' } as const;

/** The release `TEMPORAL_SERVER_VERSION` selects when it is unset: the one compose runs. */
export const DEFAULT_TEMPORAL_SERVER_VERSION = TEMPORAL_SERVER_VERSIONS.newest;

/** One of the two binaries: how it is named, where its override lives, which package builds it. */
interface ServerBinary {
  /** The name on PATH and in the project-local folder (the names the official images use). */
  command: string;
  envVar: 'TEMPORAL_SERVER_PATH' | 'TEMPORAL_SQL_TOOL_PATH';
  override: (settings: DevtoolsSettings) => string | undefined;
  module: string;
}

const SERVER: ServerBinary = {
  command: 'temporal-server',
  envVar: 'TEMPORAL_SERVER_PATH',
  override: (settings) => settings.temporalServerPath,
  module: 'go.temporal.io/server/cmd/server',
};

const SQL_TOOL: ServerBinary = {
  command: 'temporal-sql-tool',
  envVar: 'TEMPORAL_SQL_TOOL_PATH',
  override: (settings) => settings.temporalSqlToolPath,
  module: 'go.temporal.io/server/cmd/tools/sql',
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
  /** The release both are, e.g. `1.32.1`. */
  release: string;
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
  /**
   * The environment to read (`TEMPORAL_SERVER_VERSION`, `TEMPORAL_SERVER_PATH`,
   * `TEMPORAL_SQL_TOOL_PATH`, `PATH`).
   */
  env?: Readonly<Record<string, string | undefined>>;
  log?: (line: string) => void;
}

/**
 * The release `TEMPORAL_SERVER_VERSION` names: `oldest`, `newest` (the default) or a version such
 * as `1.29.1` (a leading `v` is accepted), returned without the `v`.
 */
export function selectedServerVersion(value: string | undefined): string {
  if (value === undefined || value === 'newest') return DEFAULT_TEMPORAL_SERVER_VERSION;
  if (value === 'oldest') return TEMPORAL_SERVER_VERSIONS.oldest;
  const match = /^v?(\d+\.\d+\.\d+)$/.exec(value);
  if (!match) {
    throw new TemporalServerNotFoundError(
      `TEMPORAL_SERVER_VERSION is ${JSON.stringify(value)}; expected oldest, newest or a server release such as ` +
        `${TEMPORAL_SERVER_VERSIONS.oldest}.`,
    );
  }
  return match[1]!;
}

/** The release a `--version` line names (`temporal version 1.29.1` → `1.29.1`). */
function reportedVersion(line: string): string | undefined {
  return /(\d+\.\d+\.\d+)\s*$/.exec(line)?.[1];
}

function installHint(binary: ServerBinary, version: string): string {
  return (
    `build it with \`GOBIN=$PWD/.tools/bin go install ${binary.module}@v${version}\` ` +
    `(then rename it to .tools/bin/${binary.command}-${version}), put a ${binary.command} of that release on PATH, ` +
    `or point ${binary.envVar} at one`
  );
}

function resolveOne(
  binary: ServerBinary,
  version: string,
  root: string,
  settings: DevtoolsSettings,
  log: (line: string) => void,
) {
  const label = binary.command;
  const hint = installHint(binary, version);
  /** The binary's `--version` line, and whether it is the release asked for. */
  const probe = (source: ServerBinarySource, executable: string) => {
    const line = binaryVersion(executable);
    if (!line) {
      throw new TemporalServerNotFoundError(
        `The ${binary.command} at ${executable} (from ${source}) does not run; ${hint}.`,
      );
    }
    return { line, matches: reportedVersion(line) === version };
  };
  const chosen = (source: ServerBinarySource, executable: string, line: string): ResolvedBinary => {
    log(`${label}: using ${executable} (${source}; ${line})`);
    return { source, executable, version: line };
  };

  const explicit = binary.override(settings);
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new TemporalServerNotFoundError(
        `${binary.envVar} is set to ${explicit}, which is not an executable file; fix it or unset it and ${hint}.`,
      );
    }
    const executable = path.resolve(explicit);
    const { line, matches } = probe('env', executable);
    if (!matches) {
      throw new TemporalServerNotFoundError(
        `${binary.envVar} is set to ${explicit}, which is "${line}", not release ${version}; ` +
          `point it at a ${version} build, or set TEMPORAL_SERVER_VERSION to the release it is.`,
      );
    }
    return chosen('env', executable, line);
  }
  // A binary on PATH or in the project-local folder is used only when it is the release asked for:
  // the oldest and the newest server live side by side.
  const onPath = findOnPath(binary.command, settings);
  if (onPath) {
    const { line, matches } = probe('PATH', onPath);
    if (matches) return chosen('PATH', onPath, line);
    log(`${label}: skipping ${onPath} on PATH ("${line}", not ${version})`);
  }
  const local = path.join(projectLocalBinDir(root), `${binary.command}-${version}`);
  for (const candidate of [local, path.join(projectLocalBinDir(root), binary.command)]) {
    if (!isExecutable(candidate)) continue;
    const { line, matches } = probe('project-local', candidate);
    if (matches) return chosen('project-local', candidate, line);
  }
  const pkg = { module: binary.module, version: `v${version}`, label };
  if (goInstall(pkg, local, settings, log)) {
    const { line, matches } = probe('go-install', local);
    if (matches) return chosen('go-install', local, line);
    throw new TemporalServerNotFoundError(`The ${binary.command} built at ${local} reports "${line}", not ${version}.`);
  }
  throw new TemporalServerNotFoundError(
    `No ${binary.command} ${version} found and none could be built (is Go on PATH?): ${hint}.`,
  );
}

/**
 * Resolves the server and the SQL tool of the release `TEMPORAL_SERVER_VERSION` selects (the
 * newest by default), building each at most once into `.tools/bin/` under a name carrying the
 * release (`temporal-server-1.32.1`); later runs find the build there and never rebuild.
 */
export function resolveTemporalServer(options: ResolveServerOptions = {}): TemporalServerBinaries {
  const settings = devtoolsSettingsFromEnv(options.env);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const root = options.projectRoot ?? projectRoot();
  const version = selectedServerVersion(settings.temporalServerVersion);
  return {
    release: version,
    server: resolveOne(SERVER, version, root, settings, log),
    sqlTool: resolveOne(SQL_TOOL, version, root, settings, log),
  };
}
