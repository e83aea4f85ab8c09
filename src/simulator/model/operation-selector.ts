/** Which requests a fault aims at: one vCenter operation (the client's names), or all of them. */
import type { VcenterOperation } from '../../vcenter/operations';

/** A fault target: one operation, or `*` for every operation. */
export type OperationSelector = VcenterOperation | '*';

/** Whether a fault aimed at `selector` applies to `operation`. */
export function selectorMatches(selector: OperationSelector, operation: VcenterOperation): boolean {
  return selector === '*' || selector === operation;
}
