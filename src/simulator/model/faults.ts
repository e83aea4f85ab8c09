/** Faults injected into one cluster's API: latency, 503 bursts, hangs, malformed bodies, and
 * how failovers are refused or fail. */
import type { FaultsScenario } from '../scenario';
import type { VcenterOperation } from '../../vcenter/operations';
import { selectorMatches, type OperationSelector } from './operation-selector';

/** Kinds of malformed response body. */
export type MalformedKind = 'html' | 'truncated-json' | 'wrong-types';

/** A pending malformed-body fault. */
export interface MalformedFault {
  operation: OperationSelector;
  kind: MalformedKind;
  /** Responses still to corrupt. */
  remaining: number;
  status?: number;
}

/** A hang fault: matching requests never get an answer. */
export interface HangFault {
  operation: OperationSelector;
  /** Whether the request still takes effect before the answer is withheld. */
  process: boolean;
  /** Matching requests still answered normally before the hang begins (counts down). */
  afterRequests: number;
}

/** The current faults of a cluster (plain data, safe to serialise). */
export interface FaultState {
  latencyMs: number;
  unavailableBurst: { remaining: number; operation: OperationSelector };
  hang: HangFault[];
  malformed: MalformedFault[];
  failoverRefusal: 'error' | 'failed-task';
  taskAfterSwitch: 'not-found' | 'succeeded';
  outageStyle: '503' | 'reset';
  failFailoverTask: boolean;
}

/** No faults: what a healthy vCenter does. */
export function defaultFaults(): FaultState {
  return {
    latencyMs: 0,
    unavailableBurst: { remaining: 0, operation: '*' },
    hang: [],
    malformed: [],
    failoverRefusal: 'error',
    taskAfterSwitch: 'not-found',
    outageStyle: '503',
    failFailoverTask: false,
  };
}

/** Applies the fields present in `patch` to `faults` in place (lists are replaced, not merged). */
export function applyFaultPatch(faults: FaultState, patch: FaultsScenario | undefined): void {
  if (!patch) return;
  if (patch.latencyMs !== undefined) faults.latencyMs = patch.latencyMs;
  if (patch.unavailableBurst !== undefined) {
    faults.unavailableBurst = {
      remaining: patch.unavailableBurst.count,
      operation: patch.unavailableBurst.operation ?? '*',
    };
  }
  if (patch.hang !== undefined) {
    faults.hang = patch.hang.map((h) => ({
      operation: h.operation,
      process: h.process ?? false,
      afterRequests: h.afterRequests ?? 0,
    }));
  }
  if (patch.malformed !== undefined) {
    faults.malformed = patch.malformed.map((m) => ({
      operation: m.operation,
      kind: m.kind,
      remaining: m.count ?? 1,
      ...(m.status !== undefined ? { status: m.status } : {}),
    }));
  }
  if (patch.failoverRefusal !== undefined) faults.failoverRefusal = patch.failoverRefusal;
  if (patch.taskAfterSwitch !== undefined) faults.taskAfterSwitch = patch.taskAfterSwitch;
  if (patch.outageStyle !== undefined) faults.outageStyle = patch.outageStyle;
  if (patch.failFailoverTask !== undefined) faults.failFailoverTask = patch.failFailoverTask;
}

/** Consumes one 503 from the burst if it applies to `operation`. */
export function takeUnavailable(faults: FaultState, operation: VcenterOperation): boolean {
  const burst = faults.unavailableBurst;
  if (burst.remaining <= 0 || !selectorMatches(burst.operation, operation)) return false;
  burst.remaining -= 1;
  return true;
}

/** The hang fault for `operation`, if any. */
export function hangFor(faults: FaultState, operation: VcenterOperation): HangFault | undefined {
  const fault = faults.hang.find((h) => selectorMatches(h.operation, operation));
  if (fault && fault.afterRequests > 0) {
    // Lets a test hang a later call of an operation (e.g. the second cluster read) but not the first.
    fault.afterRequests -= 1;
    return undefined;
  }
  return fault;
}

/** Consumes one malformed response for `operation`, if any is pending. */
export function takeMalformed(faults: FaultState, operation: VcenterOperation): MalformedFault | undefined {
  const index = faults.malformed.findIndex((m) => m.remaining > 0 && selectorMatches(m.operation, operation));
  const fault = faults.malformed[index];
  if (!fault) return undefined;
  fault.remaining -= 1;
  if (fault.remaining === 0) faults.malformed.splice(index, 1);
  return { ...fault };
}
