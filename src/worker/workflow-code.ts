/**
 * Which workflow code a worker process runs and the build id that names it. With a Worker
 * Deployment the build id is the version's identity on the server, so it must change whenever the
 * workflow code does: `VCHA_BUILD_ID` when the release pipeline sets one, else a hash of the bundle.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';
import { workflowBundleOptions } from './create-worker';

/** The code to load and its build id. */
export interface WorkflowCode {
  /** Undefined: the worker bundles `src/workflows` itself at start. */
  bundle?: WorkerOptions['workflowBundle'];
  /** Human-readable origin of the code, for the start log. */
  origin: string;
  buildId: string;
}

/** The prebuilt bundle beside the built worker (`dist/workflow-bundle.js`), if there is one. */
function defaultBundlePath(distDir: string): string | undefined {
  const candidate = path.join(distDir, 'workflow-bundle.js');
  return existsSync(candidate) ? candidate : undefined;
}

/** `bundle-` and the first 12 hex digits of the code's SHA-256: equal code, equal id. */
export function bundleBuildId(code: string | Buffer): string {
  return `bundle-${createHash('sha256').update(code).digest('hex').slice(0, 12)}`;
}

/**
 * Resolves the code: the configured bundle, else the one beside the built worker, else the source.
 * A versioned worker running from source bundles it here, so that its build id is the hash of the
 * code it runs (two checkouts with different workflow code never share a version); an unversioned
 * one leaves the bundling to the worker and logs "source".
 */
export async function resolveWorkflowCode(options: {
  configuredBundle?: string;
  configuredBuildId?: string;
  versioned: boolean;
  distDir: string;
}): Promise<WorkflowCode> {
  const bundlePath = options.configuredBundle ?? defaultBundlePath(options.distDir);
  if (bundlePath) {
    return {
      bundle: { codePath: bundlePath },
      origin: bundlePath,
      buildId: options.configuredBuildId ?? bundleBuildId(readFileSync(bundlePath)),
    };
  }
  if (!options.versioned) return { origin: 'bundled from source', buildId: options.configuredBuildId ?? 'source' };
  const { code } = await bundleWorkflowCode(workflowBundleOptions(require.resolve('../workflows')));
  return { bundle: { code }, origin: 'bundled from source', buildId: options.configuredBuildId ?? bundleBuildId(code) };
}
