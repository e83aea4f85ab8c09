/**
 * How the workflow bundle is built and loaded (`workflowBundleOptions`): the product's modules are
 * shared between runs, and the source map maps stack traces to the TypeScript sources without
 * carrying the sources.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { moduleSharingProbe } from '../harness/bundle/module-probe';
import { createTestWorker, testEnv, uniqueTaskQueue, workflowBundle } from '../harness/temporal';

/** What the test reads of a source map. */
interface SourceMap {
  sources: string[];
  sourcesContent?: (string | null)[];
}

/** The bundle's inline source map, decoded. */
async function sourceMapOfBundle(): Promise<SourceMap> {
  const bundle = await workflowBundle();
  const code = 'code' in bundle ? bundle.code : readFileSync(bundle.codePath, 'utf8');
  const at = code.lastIndexOf('//# sourceMappingURL=data:');
  assert.ok(at > 0, 'the bundle carries an inline source map');
  const base64 = code.slice(code.indexOf('base64,', at) + 'base64,'.length).trim();
  return JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as SourceMap;
}

describe('the workflow bundle', () => {
  it('shares the product modules between runs (frozen), while other modules stay per run', async () => {
    const env = await testEnv();
    const taskQueue = uniqueTaskQueue('module-probe');
    const worker = await createTestWorker({ taskQueue });
    const probes = await worker.runUntil(
      Promise.all(
        [1, 2].map((n) =>
          env.client.workflow.execute<typeof moduleSharingProbe>('moduleSharingProbe', {
            taskQueue,
            workflowId: `module-probe-${n}-${taskQueue}`,
          }),
        ),
      ),
    );
    for (const probe of probes) {
      assert.equal(probe.productModuleFrozen, true, 'the product module was loaded once, before any run');
      assert.equal(probe.harnessModuleFrozen, false, 'a module not preloaded is evaluated for the run');
      assert.match(probe.stack, /module-probe\.ts:\d+/, 'the stack trace names the TypeScript source and line');
    }
  });

  it('maps to the TypeScript sources without carrying their text', async () => {
    const map = await sourceMapOfBundle();
    assert.ok(
      map.sources.some((source) => source.endsWith('src/workflows/failover/run.ts')),
      'the map names the workflow sources',
    );
    assert.ok(
      (map.sourcesContent ?? []).every((content) => content == null),
      'no source text in the bundle',
    );
  });
});
