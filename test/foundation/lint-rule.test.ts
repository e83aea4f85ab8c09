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
    assert.ok(
      messages.some((m) => m.startsWith('no-restricted-imports')),
      JSON.stringify(messages),
    );
    assert.ok(
      messages.some((m) => m.startsWith('no-restricted-globals')),
      JSON.stringify(messages),
    );
    assert.ok(
      messages.some((m) => m.startsWith('no-console')),
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
