/** The failures the workflows end with, and the input validation's local activity options. */
import { ApplicationFailure, type LocalActivityOptions } from '@temporalio/workflow';

/** Input validation: pure and local; retried only for worker trouble. */
export const VALIDATION: LocalActivityOptions = { startToCloseTimeout: '10s', retry: { maximumAttempts: 3 } };

/** The non-retryable `InvalidInput` failure listing every problem by field path. */
export function invalidInput(workflowType: string, problems: string[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'InvalidInput',
    message: `Invalid ${workflowType} input: ${problems.join('; ')}`,
    nonRetryable: true,
    details: [{ problems }],
  });
}

/** The non-retryable contract failure a run ends with, its record in the details. */
export function contractFailure(type: string, message: string, record: object): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: [record] });
}
