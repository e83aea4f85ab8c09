/** `npm run schemas`: writes the workflow input and Nexus operation JSON Schemas under `schemas/`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { workflowInputJsonSchemas } from '../src/contract/input/json-schemas';
import { nexusOperationJsonSchemas } from '../src/nexus/json-schemas';

const dir = path.resolve(__dirname, '..', 'schemas');
mkdirSync(dir, { recursive: true });
for (const [file, schema] of Object.entries({ ...workflowInputJsonSchemas(), ...nexusOperationJsonSchemas() })) {
  writeFileSync(path.join(dir, file), `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`wrote schemas/${file}\n`);
}
