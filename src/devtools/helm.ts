/**
 * Finds (or builds) the `helm` that renders the worker's chart (deploy/helm/) in the tests and CI:
 * the project-local build of the pinned release first, so every machine renders with the same
 * helm; else one built there with `go install`; else `helm` on PATH.
 */
import path from 'node:path';
import { projectRoot } from '../paths';
import { findOnPath, goInstall, isExecutable, projectLocalBinDir, type GoPackage } from './go-binary';
import { devtoolsSettingsFromEnv } from './settings';

/** The helm release built from the Go module proxy. */
export const HELM_VERSION = 'v3.22.0';

const HELM_PACKAGE: GoPackage = { module: 'helm.sh/helm/v3/cmd/helm', version: HELM_VERSION, label: 'helm' };

/** Raised when there is no helm and none can be built; its message says how to get one. */
export class HelmNotFoundError extends Error {
  override name = 'HelmNotFoundError';
}

/** Resolves helm, building it into `.tools/bin` (about 7 minutes, once) when there is none. */
export function resolveHelm(
  options: {
    projectRoot?: string;
    env?: Readonly<Record<string, string | undefined>>;
    log?: (line: string) => void;
  } = {},
): string {
  const settings = devtoolsSettingsFromEnv(options.env);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const local = path.join(projectLocalBinDir(options.projectRoot ?? projectRoot()), 'helm');
  if (isExecutable(local)) return local;
  if (goInstall(HELM_PACKAGE, local, settings, log)) return local;
  const onPath = findOnPath('helm', settings);
  if (onPath) {
    log(`helm: no Go toolchain to build ${HELM_VERSION}; using ${onPath}`);
    return onPath;
  }
  throw new HelmNotFoundError(
    `No helm: install Go and run \`npm run helm\` (builds ${HELM_PACKAGE.module}@${HELM_VERSION} into .tools/bin), or put helm on PATH.`,
  );
}
