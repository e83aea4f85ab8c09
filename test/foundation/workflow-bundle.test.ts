/**
 * The workflow bundle stays lean: the sandbox evaluates every module of it afresh for each run, so
 * a schema library in it would cost each run CPU and memory. Validation runs in local activities.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { WORKFLOW_TYPES } from '../../src/contract';
import { workflowBundle } from '../harness/temporal';

const root = path.resolve(__dirname, '..', '..');

describe('workflow bundle', () => {
  it('contains no zod module', async () => {
    const bundle = await workflowBundle();
    const code = 'code' in bundle ? bundle.code : readFileSync(bundle.codePath, 'utf8');
    assert.ok(code.includes('vchaFailover'), 'the bundle holds the workflows');
    assert.doesNotMatch(code, /node_modules\/zod\//);
  });

  it('registers its workflows under the type names callers use (WORKFLOW_TYPES in the contract)', () => {
    const entry = readFileSync(path.join(root, 'src/workflows/index.ts'), 'utf8');
    const exported = [...entry.matchAll(/^export \{ (\w+) \} from/gm)].map((m) => m[1]);
    assert.deepEqual(exported.sort(), Object.values(WORKFLOW_TYPES).sort());
  });

  it('has a lint rule that rejects a zod value import in workflow code but allows types', async () => {
    const eslint = new ESLint({ cwd: root });
    const lint = async (code: string) => {
      const [result] = await eslint.lintText(code, { filePath: path.join(root, 'src/workflows/index.ts') });
      return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
    };
    const valueImport = await lint("import { z } from 'zod';\nexport const schema = z.string();\n");
    assert.equal(valueImport.length, 1, JSON.stringify(valueImport));
    assert.match(valueImport[0]!, /local activity/);
    assert.deepEqual(await lint("import type { z } from 'zod';\nexport type Schema = z.ZodString;\n"), []);
  });
});
