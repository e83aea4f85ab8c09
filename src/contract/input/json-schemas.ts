/**
 * JSON Schemas of the workflow inputs, generated from the zod schemas (never copied by hand), for
 * the Web UI's start form, editors and other teams' tooling. Written to `schemas/` by
 * `npm run schemas`; a test keeps the committed files in step.
 */
import { z } from 'zod';
import { VchaFailoverInputSchema } from './failover';
import { FleetFailoverInputSchema } from './fleet';
import { VchaMaintenanceInputSchema } from './maintenance';

/** Published schema files: file name → JSON Schema document. */
export function workflowInputJsonSchemas(): Record<string, object> {
  const generate = (schema: z.ZodType, id: string, title: string, description: string) => ({
    $id: id,
    title,
    description,
    ...z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }),
  });
  return {
    'vcha-failover-input.schema.json': generate(
      VchaFailoverInputSchema,
      'https://vcha-failover-worker/schemas/vcha-failover-input.schema.json',
      'vchaFailover input',
      'Input of the vchaFailover workflow: one VCHA failover of a target configured on the worker.',
    ),
    'fleet-failover-input.schema.json': generate(
      FleetFailoverInputSchema,
      'https://vcha-failover-worker/schemas/fleet-failover-input.schema.json',
      'fleetFailover input',
      'Input of the fleetFailover workflow: vchaFailover runs for several targets, a bounded number at a time.',
    ),
    'vcha-maintenance-input.schema.json': generate(
      VchaMaintenanceInputSchema,
      'https://vcha-failover-worker/schemas/vcha-maintenance-input.schema.json',
      'vchaMaintenance input',
      'Input of the vchaMaintenance workflow: a planned failover, a maintenance window on the new node, a planned failback.',
    ),
  };
}
