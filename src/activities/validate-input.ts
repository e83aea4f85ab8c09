/**
 * Input validation for the workflows, run as local activities. The zod schemas live outside the
 * workflow sandbox on purpose: the sandbox evaluates a workflow's modules afresh for every run, and
 * building the schemas there cost about 10 ms of CPU and a copy of zod's objects per cached run.
 * As local activities they cost one marker event and no extra round trip to the server.
 */
import { parseFailoverInput, type InputValidation } from '../contract/input/failover';
import { parseFleetInput, type FleetInputValidation } from '../contract/input/fleet';
import { parseMaintenanceInput, type MaintenanceInputValidation } from '../contract/input/maintenance';

/** The raw workflow input, wrapped so that a missing input still reaches the activity. */
export interface RawInput {
  raw?: unknown;
}

/** Validates `vchaFailover` input: the input with defaults applied, or every problem. */
export function validateFailoverInput({ raw }: RawInput): Promise<InputValidation> {
  return Promise.resolve(parseFailoverInput(raw));
}

/** Validates `fleetFailover` input: the input with defaults applied, or every problem. */
export function validateFleetInput({ raw }: RawInput): Promise<FleetInputValidation> {
  return Promise.resolve(parseFleetInput(raw));
}

/** Validates `vchaMaintenance` input: the input with defaults applied, or every problem. */
export function validateMaintenanceInput({ raw }: RawInput): Promise<MaintenanceInputValidation> {
  return Promise.resolve(parseMaintenanceInput(raw));
}
