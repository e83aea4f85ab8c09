/**
 * "A contract failure with the record in its details": how every run ends unsuccessfully, encoded
 * by the workflows and decoded by parents (fleet, maintenance), the CLI and the tests. One home so
 * the details' layout has one writer and one reader.
 */
import { ApplicationFailure } from '@temporalio/common';
import { isFailureType, type FailureType } from './outcomes';

/** The non-retryable contract failure a run ends with, its record in the details. */
export function contractFailure(type: FailureType, message: string, record: object): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: [record] });
}

/** A run's failure as read back: its type, message, whether the type is the contract's, and the record. */
export interface DecodedFailure<R extends object> {
  type: string;
  message: string;
  /** The contract's failure type, when `type` is one. */
  contractType?: FailureType;
  /** The record in the details, when there is one. */
  record?: R;
}

/** Decodes an application failure (a run's end, or a child's under its `ChildWorkflowFailure`); undefined for anything else. */
export function decodeContractFailure<R extends object>(failure: unknown): DecodedFailure<R> | undefined {
  if (!(failure instanceof ApplicationFailure)) return undefined;
  const details: unknown = failure.details?.[0];
  return {
    type: failure.type ?? 'Error',
    message: failure.message,
    ...(isFailureType(failure.type) ? { contractType: failure.type } : {}),
    ...(typeof details === 'object' && details !== null ? { record: details as R } : {}),
  };
}
