/** The published JSON Schemas are generated from the zod schemas and agree with them. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { workflowInputJsonSchemas } from '../../src/contract/input/json-schemas';
import { parseFailoverInput } from '../../src/contract/input/failover';

const schemasDir = path.resolve(__dirname, '..', '..', 'schemas');

describe('published workflow input schemas', () => {
  it('match what the zod schemas generate (run `npm run schemas` after changing an input)', () => {
    for (const [file, schema] of Object.entries(workflowInputJsonSchemas())) {
      const committed: unknown = JSON.parse(readFileSync(path.join(schemasDir, file), 'utf8'));
      assert.deepEqual(committed, JSON.parse(JSON.stringify(schema)), `schemas/${file} is stale`);
    }
  });

  it('accept what the workflow accepts and reject unknown fields and wrong types', () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(workflowInputJsonSchemas()['vcha-failover-input.schema.json']!);
    const samples: unknown[] = [
      { target: 'vc-lab-01', planned: true },
      { target: 'vc-lab-01', planned: false, acceptDataLoss: true, reason: 'host down', pollInterval: '2s' },
      { target: 'vc-lab-01', plannned: true },
      { target: 'vc-lab-01', planned: 'yes' },
      { planned: true },
    ];
    for (const sample of samples) {
      const workflowAccepts = parseFailoverInput(sample).ok;
      assert.equal(validate(sample), workflowAccepts, JSON.stringify(sample));
    }
  });
});
