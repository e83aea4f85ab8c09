/** The published JSON Schemas are generated from the zod schemas and agree with them. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { workflowInputJsonSchemas } from '../../src/contract/input/json-schemas';
import { parseFailoverInput } from '../../src/contract/input/failover';
import { nexusOperationJsonSchemas } from '../../src/nexus/json-schemas';
import { nexusInputProblems } from '../../src/nexus/operation-inputs';

const schemasDir = path.resolve(__dirname, '..', '..', 'schemas');

describe('published workflow input schemas', () => {
  it('match what the zod schemas generate (run `npm run schemas` after changing an input)', () => {
    for (const [file, schema] of Object.entries({ ...workflowInputJsonSchemas(), ...nexusOperationJsonSchemas() })) {
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

  it('of the Nexus operations accept what the handlers accept', () => {
    const ajv = new Ajv2020({ strict: false });
    const schemas = nexusOperationJsonSchemas();
    const cases = {
      failover: [
        { input: { target: 'vc-lab-01', planned: true } },
        { workflowId: 'team-b-42', input: { target: 'vc-lab-01', planned: false, acceptDataLoss: true } },
        { workflowId: '', input: { target: 'vc-lab-01', planned: true } },
        { input: { target: 'vc-lab-01', plannned: true } },
        { target: 'vc-lab-01', planned: true },
      ],
      maintenance: [
        { input: { target: 'vc-lab-01', reason: 'patching', maxDuration: '2h' } },
        { input: { target: 'vc-lab-01' } },
        { input: { target: 'vc-lab-01', reason: 'patching' }, extra: true },
      ],
      readiness: [
        { targets: 'all' },
        { targets: ['a', 'b'], concurrency: 5 },
        { targets: [] },
        { targets: ['a'], concurrency: 0 },
      ],
      approve: [{ workflowId: 'w', approver: 'bob', comment: 'ok' }, { workflowId: 'w' }, { approver: 'bob' }],
      reject: [
        { workflowId: 'w', approver: 'bob', reason: 'no window' },
        { workflowId: 'w', approver: 'bob' },
      ],
    } as const;
    for (const [operation, samples] of Object.entries(cases)) {
      const validate = ajv.compile(schemas[`nexus-vcha-${operation}-input.schema.json`]!);
      for (const sample of samples) {
        const handlerAccepts = nexusInputProblems(operation as keyof typeof cases, sample).length === 0;
        assert.equal(validate(sample), handlerAccepts, `${operation}: ${JSON.stringify(sample)}`);
      }
    }
  });
});
