/** The workflow bundle the test runners build once per run and hand to every test file and worker process. */
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../src/worker/create-worker';

/** Bundles the test workflows (the product's plus the harness's own) into `file`. */
export async function writeTestWorkflowBundle(file: string): Promise<void> {
  const { code } = await bundleWorkflowCode({
    ...workflowBundleOptions(require.resolve('../test/harness/bundle')),
    logger: {
      trace() {},
      debug() {},
      info() {},
      warn() {},
      error: (m: string) => process.stderr.write(`${m}\n`),
    } as never,
  });
  writeFileSync(file, code);
}
