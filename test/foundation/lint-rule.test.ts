/** The determinism lint rule rejects I/O modules and host access in workflow code only. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '..', '..');

async function lintAs(relativePath: string, code: string): Promise<string[]> {
  // Linted as an existing project file so the typed rules resolve it; the text is the probe.
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, relativePath) });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

/** Fails unless one of the messages comes from `rule`. */
function assertFired(messages: string[], rule: string): void {
  assert.ok(
    messages.some((m) => m.startsWith(rule)),
    `expected ${rule}, got ${JSON.stringify(messages)}`,
  );
}

describe('workflow determinism lint rule', () => {
  it("fires on import 'node:fs' in a workflow file", async () => {
    const messages = await lintAs('src/workflows/index.ts', "import 'node:fs';\nexport const x = 1;\n");
    assert.ok(
      messages.some((m) => m.startsWith('no-restricted-imports')),
      `expected no-restricted-imports, got ${JSON.stringify(messages)}`,
    );
  });

  it('fires on undici, console and process in a workflow file', async () => {
    const messages = await lintAs(
      'src/workflows/index.ts',
      "import { request } from 'undici';\nexport const x = [request, process.env.X];\nconsole.log(x);\n",
    );
    for (const rule of ['no-restricted-imports', 'no-restricted-globals', 'no-console']) assertFired(messages, rule);
  });

  it('holds the contract to the same rules: workflow code imports it', async () => {
    const messages = await lintAs('src/contract/duration.ts', "import 'node:fs';\nexport const x = process.env.X;\n");
    for (const rule of ['no-restricted-imports', 'no-restricted-globals']) assertFired(messages, rule);
  });

  it('keeps the zod input schemas out of workflow code and the contract root: their types only', async () => {
    const value =
      "import { VchaFailoverInputSchema } from '../../contract/input/failover';\nexport const s = VchaFailoverInputSchema;\n";
    assertFired(await lintAs('src/workflows/failover/run.ts', value), 'no-restricted-imports');
    const rootValue =
      "import { VchaFailoverInputSchema } from './input/failover';\nexport const s = VchaFailoverInputSchema;\n";
    assertFired(await lintAs('src/contract/names.ts', rootValue), 'no-restricted-imports');
    const types =
      "import type { ValidatedFailoverInput } from '../../contract/input/failover';\nexport type T = ValidatedFailoverInput;\n";
    assert.deepEqual(
      (await lintAs('src/workflows/failover/run.ts', types)).filter((m) => m.startsWith('no-restricted')),
      [],
    );
    // The schemas themselves use zod, and are still held to the rest of the rules.
    const schema = "import { z } from 'zod';\nimport 'node:fs';\nexport const s = z.string();\n";
    const messages = (await lintAs('src/contract/input/fleet.ts', schema)).filter((m) => m.startsWith('no-restricted'));
    assert.ok(messages.length > 0, 'node:fs is refused');
    assert.ok(
      messages.every((m) => m.includes("'node:fs'")),
      JSON.stringify(messages),
    );
  });

  it('allows the same import outside workflow code', async () => {
    const messages = await lintAs('src/devtools/dev-server.ts', "import 'node:fs';\nexport const x = 1;\n");
    assert.deepEqual(
      messages.filter((m) => m.startsWith('no-restricted')),
      [],
    );
  });
});

describe('workflow bundle import rule', () => {
  const restricted = (messages: string[]) => messages.filter((m) => m.startsWith('no-restricted-imports'));

  it('fires on a value or type import of src/workflows from the rest of src', async () => {
    for (const code of [
      "import { vchaFailover } from '../workflows';\nexport const x = vchaFailover;\n",
      "import type { vchaFailover } from '../workflows/failover/workflow';\nexport type X = typeof vchaFailover;\n",
    ]) {
      const messages = restricted(await lintAs('src/cli/live-status.ts', code));
      assert.equal(messages.length, 1, JSON.stringify(messages));
      assert.match(messages[0]!, /src\/contract/);
    }
    assert.equal(
      restricted(
        await lintAs(
          'src/contract/names.ts',
          "import type { vchaFailover } from '../workflows';\nexport type X = typeof vchaFailover;\n",
        ),
      ).length,
      1,
    );
  });

  it('fires in tests but not in the test bundle entry, and allows the contract everywhere', async () => {
    const code = "import type { vchaFailover } from '../../src/workflows';\nexport type X = typeof vchaFailover;\n";
    assert.equal(restricted(await lintAs('test/harness/lab.ts', code)).length, 1);
    assert.deepEqual(
      restricted(await lintAs('test/harness/bundle/index.ts', "export * from '../../../src/workflows';\n")),
      [],
    );
    const unitTest = 'test/workflows/failover/verdict.test.ts';
    const pure = "import { verdict } from '../../../src/workflows/failover/verdict';\nexport const v = verdict;\n";
    assert.deepEqual(restricted(await lintAs(unitTest, pure)), []);
    const glue = "import { FailoverRun } from '../../../src/workflows/failover/run';\nexport const r = FailoverRun;\n";
    assert.equal(restricted(await lintAs(unitTest, glue)).length, 1);
    const contract =
      "import type { VchaFailoverWorkflow } from '../contract';\nexport type X = VchaFailoverWorkflow;\n";
    assert.deepEqual(restricted(await lintAs('src/cli/live-status.ts', contract)), []);
  });
});

describe('settings-only environment rule', () => {
  const restricted = (messages: string[]) => messages.filter((m) => m.startsWith('no-restricted-properties'));
  const code = 'export const queue = process.env.VCHA_TASK_QUEUE;\n';

  it('fires on process.env outside a settings module, destructured too', async () => {
    assert.equal(restricted(await lintAs('src/worker.ts', code)).length, 1);
    assert.equal(
      restricted(await lintAs('src/audit/open.ts', 'const { env } = process;\nexport const x = env;\n')).length,
      1,
    );
  });

  it('allows it in settings modules and outside src', async () => {
    assert.deepEqual(restricted(await lintAs('src/worker/settings.ts', code)), []);
    assert.deepEqual(restricted(await lintAs('src/cli/settings.ts', code)), []);
    assert.deepEqual(restricted(await lintAs('scripts/run-tests.ts', code)), []);
  });
});
