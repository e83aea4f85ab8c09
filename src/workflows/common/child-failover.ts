/**
 * Running `vchaFailover` as a child, shared by fleet and maintenance: the child's input with only
 * the fields the parent sets, its user metadata, and how it ended read back from its failure.
 */
import { ChildWorkflowFailure, executeChild } from '@temporalio/workflow';
import {
  decodeContractFailure,
  failoverUserMetadata,
  type FailoverRecord,
  type FailoverResult,
  type FailureType,
  type VchaFailoverInput,
} from '../../contract';
import { vchaFailover } from '../failover/workflow';

/** The child's input: the fields given, in that order, without the ones left undefined. */
export function childInput(fields: {
  [K in keyof VchaFailoverInput]: VchaFailoverInput[K] | undefined;
}): VchaFailoverInput {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as unknown as VchaFailoverInput;
}

/** Starts the child under `workflowId` and waits for its result; `startedFor` names the parent in its metadata. */
export function runFailoverChild(
  workflowId: string,
  input: VchaFailoverInput,
  startedFor: string,
  memo?: Record<string, unknown>,
): Promise<FailoverResult> {
  return executeChild(vchaFailover, {
    workflowId,
    args: [input],
    ...failoverUserMetadata(input, startedFor),
    ...(memo ? { memo } : {}),
  });
}

/** How a child that did not succeed ended: its contract type and record, or why it has none. */
export interface ChildFailure {
  /** The contract's failure type; undefined when it ended outside the contract (terminated, timed out…). */
  outcome?: FailureType;
  message: string;
  /** The record in the failure's details (any application failure's). */
  record?: FailoverRecord;
}

/** Reads a child's failure (`executeChild`'s rejection). */
export function childFailure(error: unknown): ChildFailure {
  const cause = error instanceof ChildWorkflowFailure ? error.cause : error;
  const decoded = decodeContractFailure<FailoverRecord>(cause);
  if (decoded) {
    return {
      ...(decoded.contractType ? { outcome: decoded.contractType } : {}),
      message: decoded.message,
      ...(decoded.record ? { record: decoded.record } : {}),
    };
  }
  return { message: cause instanceof Error ? cause.message : String(cause) };
}
