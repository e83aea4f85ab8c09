/**
 * JSON Schemas of the `vcha` Nexus operations' inputs and outputs, generated from the zod schemas
 * (never written by hand), for other teams' tooling and callers in other SDKs. Written to
 * `schemas/` by `npm run schemas` beside the workflow inputs'; a test keeps them in step.
 */
import { z } from 'zod';
import { VCHA_NEXUS_SERVICE_NAME } from '../contract';
import { NEXUS_INPUT_SCHEMAS, type NexusOperationName } from './operation-inputs';
import {
  ApprovalRecordSchema,
  FailoverResultSchema,
  FleetFailoverResultSchema,
  MaintenanceResultSchema,
} from './operation-outputs';

/** Every operation's output schema by operation name. */
const OUTPUT_SCHEMAS: Record<NexusOperationName, z.ZodType> = {
  failover: FailoverResultSchema,
  maintenance: MaintenanceResultSchema,
  readiness: FleetFailoverResultSchema,
  approve: ApprovalRecordSchema,
  reject: ApprovalRecordSchema,
};

/** What each operation does, for the schemas' descriptions. */
const PURPOSES: Record<NexusOperationName, string> = {
  failover: 'starts a vchaFailover run and completes with its record',
  maintenance: 'starts a vchaMaintenance run and completes with its record',
  readiness: 'runs fleetFailover as a dry run of a planned failover (nothing is sent) and completes with its outcomes',
  approve: 'approves a vchaFailover run waiting for approval and answers with the approval as recorded',
  reject: 'rejects a vchaFailover run waiting for approval and answers with the approval as recorded',
};

/** The schema file of one operation's input or output. */
export function nexusSchemaFile(operation: NexusOperationName, side: 'input' | 'output'): string {
  return `nexus-${VCHA_NEXUS_SERVICE_NAME}-${operation}-${side}.schema.json`;
}

/** Published schema files: file name → JSON Schema document. */
export function nexusOperationJsonSchemas(): Record<string, object> {
  const documents: Record<string, object> = {};
  for (const operation of Object.keys(NEXUS_INPUT_SCHEMAS) as NexusOperationName[]) {
    for (const side of ['input', 'output'] as const) {
      const file = nexusSchemaFile(operation, side);
      const schema = side === 'input' ? NEXUS_INPUT_SCHEMAS[operation] : OUTPUT_SCHEMAS[operation];
      documents[file] = {
        $id: `https://vcha-failover-worker/schemas/${file}`,
        title: `${VCHA_NEXUS_SERVICE_NAME}.${operation} ${side}`,
        description: `The ${side} of the ${operation} operation of the ${VCHA_NEXUS_SERVICE_NAME} Nexus service, which ${PURPOSES[operation]}.`,
        ...z.toJSONSchema(schema, { io: side, target: 'draft-2020-12', unrepresentable: 'any' }),
      };
    }
  }
  return documents;
}
