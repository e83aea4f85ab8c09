/**
 * Finding a Go-built developer binary (the Temporal CLI, the Temporal server, its SQL tool) the
 * way every resolver here does: on PATH, in the project-local ignored folder, or built there once
 * with `go install` at a pinned version.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { DevtoolsSettings } from './settings';

/** Whether `file` exists and this process may execute it. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `command` in the directories of PATH. */
export function findOnPath(command: string, settings: DevtoolsSettings): string | undefined {
  for (const dir of settings.searchPath) {
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The ignored folder that holds project-local builds. */
export function projectLocalBinDir(root: string): string {
  return path.join(root, '.tools', 'bin');
}

/** Asks a binary for its `--version` line; undefined when it does not run. */
export function binaryVersion(executable: string): string | undefined {
  const result = spawnSync(executable, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) return undefined;
  return result.stdout.trim().split('\n')[0];
}

/** A Go package to build with `go install` at a pinned version. */
export interface GoPackage {
  /** The import path of the main package, e.g. `go.temporal.io/server/cmd/server`. */
  module: string;
  version: string;
  /** Prefix of the log lines, e.g. `temporal-cli`. */
  label: string;
}

/**
 * Builds `pkg` with `go install` and moves the binary to `target`; false when there is no Go or
 * the build fails. Builds into a scratch GOBIN and renames, so an interrupted build never leaves a
 * broken binary at the path that later runs trust without rebuilding.
 */
export function goInstall(
  pkg: GoPackage,
  target: string,
  settings: DevtoolsSettings,
  log: (line: string) => void,
): boolean {
  const go = findOnPath('go', settings);
  if (!go) return false;
  const scratch = `${path.dirname(target)}.build-${process.pid}`;
  mkdirSync(scratch, { recursive: true });
  log(`${pkg.label}: building ${pkg.module}@${pkg.version} with go (first run only; takes minutes)`);
  const started = Date.now();
  const result = spawnSync(go, ['install', `${pkg.module}@${pkg.version}`], {
    env: { ...settings.childEnv, GOBIN: scratch, CGO_ENABLED: settings.childEnv.CGO_ENABLED || '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // `go install` names the binary after the package's last path element.
  const built = path.join(scratch, path.basename(pkg.module));
  if (result.status !== 0 || !existsSync(built)) {
    rmSync(scratch, { recursive: true, force: true });
    log(`${pkg.label}: go install failed (exit ${result.status ?? result.signal})`);
    return false;
  }
  mkdirSync(path.dirname(target), { recursive: true });
  renameSync(built, target);
  rmSync(scratch, { recursive: true, force: true });
  log(`${pkg.label}: built in ${Math.round((Date.now() - started) / 1000)} s`);
  return true;
}
