/**
 * `npm run build:bundle`: bundles the workflow code (with its interceptors) once, at build time,
 * into `dist/workflow-bundle.js`; the built worker loads it instead of bundling at every start.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../src/worker/create-worker';

/** Writes the bundle to `outFile` and returns its size in bytes. */
export async function buildWorkflowBundle(outFile: string): Promise<number> {
  const { code } = await bundleWorkflowCode(workflowBundleOptions(require.resolve('../src/workflows')));
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, code);
  return code.length;
}

if (require.main === module) {
  const outFile = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'dist', 'workflow-bundle.js'));
  buildWorkflowBundle(outFile).then(
    (bytes) =>
      process.stdout.write(`wrote ${path.relative(process.cwd(), outFile)} (${Math.round(bytes / 1024)} KiB)\n`),
    (error: unknown) => {
      process.stderr.write(`build:bundle: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
