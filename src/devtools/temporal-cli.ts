/**
 * Finds (or builds) the official `temporal` CLI that the tests, the demo and CI run as their
 * Temporal dev server. One resolution order for every caller, so they all use the same binary.
 */
import path from 'node:path';
import { projectRoot } from '../paths';
import { binaryVersion, findOnPath, goInstall, isExecutable, projectLocalBinDir, type GoPackage } from './go-binary';
import { devtoolsSettingsFromEnv } from './settings';

/**
 * The CLI release built from the Go module proxy: the newest one without a `replace` directive.
 * From v1.6 on (v1.9.1, whose dev server is server 1.32.0, included) the CLI's go.mod replaces its
 * own `cliext` module with a local folder, and `go install module@version` refuses such modules.
 * Its dev server is server 1.29.1, the oldest release supported; the cluster tests cover the newest.
 */
const TEMPORAL_CLI_VERSION = 'v1.5.1';
const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

/** Where a resolved CLI came from, printed so a reader of CI logs knows which server ran. */
export type TemporalCliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'project-local' | 'go-install' | 'sdk-download';

/** The result of resolution: a binary to run, or the SDK's own downloaded server as last resort. */
export interface ResolvedTemporalCli {
  source: TemporalCliSource;
  /** Absolute path of the executable; undefined only for `sdk-download`. */
  executable?: string;
  version?: string;
}

/** Raised when no route gives a CLI; its message tells the user how to install one. */
export class TemporalCliNotFoundError extends Error {
  override name = 'TemporalCliNotFoundError';
}

/** Options mainly for tests of the resolver itself. */
export interface ResolveOptions {
  projectRoot?: string;
  /** The environment to read (`TEMPORAL_CLI_PATH`, `PATH`); the process's own by default. */
  env?: Readonly<Record<string, string | undefined>>;
  log?: (line: string) => void;
  /** Allow the SDK download route (needs internet); on by default. */
  allowSdkDownload?: boolean;
}

const INSTALL_HINT =
  `install the Temporal CLI (\`go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}\`, ` +
  'or see https://docs.temporal.io/cli) and put it on PATH or point TEMPORAL_CLI_PATH at it';

/** The ignored folder that holds a project-local CLI build. */
function projectLocalCliPath(root = projectRoot()): string {
  return path.join(projectLocalBinDir(root), process.platform === 'win32' ? 'temporal.exe' : 'temporal');
}

const CLI_PACKAGE: GoPackage = { module: TEMPORAL_CLI_MODULE, version: TEMPORAL_CLI_VERSION, label: 'temporal-cli' };

export { isExecutable };

/**
 * Resolves the CLI in the documented order: `$TEMPORAL_CLI_PATH`; `temporal` on PATH; the
 * project-local build; a fresh `go install` into the project-local folder; the SDK's download.
 */
export function resolveTemporalCli(options: ResolveOptions = {}): ResolvedTemporalCli {
  const settings = devtoolsSettingsFromEnv(options.env);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const root = options.projectRoot ?? projectRoot();

  const explicit = settings.temporalCliPath;
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new TemporalCliNotFoundError(
        `TEMPORAL_CLI_PATH is set to ${explicit}, which is not an executable file; fix it or unset it and ${INSTALL_HINT}.`,
      );
    }
    return chosen({ source: 'TEMPORAL_CLI_PATH', executable: path.resolve(explicit) }, log);
  }

  const onPath = findOnPath('temporal', settings);
  if (onPath) return chosen({ source: 'PATH', executable: onPath }, log);

  const local = projectLocalCliPath(root);
  if (isExecutable(local)) return chosen({ source: 'project-local', executable: local }, log);

  if (goInstall(CLI_PACKAGE, local, settings, log)) return chosen({ source: 'go-install', executable: local }, log);

  if (options.allowSdkDownload ?? true) {
    log('temporal-cli: no CLI found and no Go toolchain; falling back to the SDK download (needs internet)');
    return { source: 'sdk-download' };
  }
  throw new TemporalCliNotFoundError(`No Temporal CLI found: ${INSTALL_HINT}.`);
}

function chosen(resolved: ResolvedTemporalCli, log: (line: string) => void): ResolvedTemporalCli {
  const version = resolved.executable ? binaryVersion(resolved.executable) : undefined;
  if (resolved.executable && !version) {
    throw new TemporalCliNotFoundError(
      `The Temporal CLI at ${resolved.executable} (from ${resolved.source}) does not run; ${INSTALL_HINT}.`,
    );
  }
  log(`temporal-cli: using ${resolved.executable} (${resolved.source}; ${version})`);
  return { ...resolved, version };
}
