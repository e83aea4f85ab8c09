/**
 * `vchaMaintenance`: a planned failover, a maintenance window on the new node (the old active
 * node is patched), and a planned failover back. This entry point only wires the handlers;
 * `MaintenanceRun` owns the status and decides every step.
 */
import { CancellationScope, setHandler } from '@temporalio/workflow';
import {
  maintenanceDoneUpdate,
  maintenanceStatusQuery,
  type MaintenanceResult,
  type VchaMaintenanceInput,
  type VchaMaintenanceWorkflow,
} from '../../contract';
import { MaintenanceRun } from './run';

/** Fails a target over for maintenance, waits for `maintenanceDone` (or `maxDuration`), fails back. */
export async function vchaMaintenance(rawInput: VchaMaintenanceInput): Promise<MaintenanceResult> {
  const run = new MaintenanceRun(new Date());
  setHandler(maintenanceStatusQuery, () => run.status);
  setHandler(maintenanceDoneUpdate, (args) => run.markDone(args), { validator: (args) => run.validateDone(args) });
  CancellationScope.current().cancelRequested.catch(() => run.noteCancel());
  return run.execute(rawInput);
}

/** Compiles only while the contract's signature is the workflow's own. */
type _SignatureKept = Assert<typeof vchaMaintenance extends VchaMaintenanceWorkflow ? true : false>;
type Assert<T extends true> = T;
