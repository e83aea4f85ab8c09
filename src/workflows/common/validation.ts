/**
 * Input validation, shared by every workflow: the validating local activity's options, and the
 * `InvalidInput` failure listing every problem by field path.
 */
import { ApplicationFailure, proxyLocalActivities, type LocalActivityOptions } from '@temporalio/workflow';
import type { FailoverActivities } from '../../activities';
import type { WorkflowTypeName } from '../../contract';

/** Input validation: pure and local; retried only for worker trouble. */
export const VALIDATION: LocalActivityOptions = { startToCloseTimeout: '10s', retry: { maximumAttempts: 3 } };

/** The validating local activities, with a summary when the run shows one. */
export function validators(summary?: string) {
  return proxyLocalActivities<FailoverActivities>({ ...VALIDATION, ...(summary !== undefined ? { summary } : {}) });
}

/** The non-retryable `InvalidInput` failure listing every problem by field path. */
export function invalidInput(workflowType: WorkflowTypeName, problems: string[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'InvalidInput',
    message: `Invalid ${workflowType} input: ${problems.join('; ')}`,
    nonRetryable: true,
    details: [{ problems }],
  });
}

/** A validation's answer: the input, or why it was refused (`refusing` runs first, e.g. to index it). */
export function validatedOrThrow<T>(
  workflowType: WorkflowTypeName,
  validation: { ok: true; input: T } | { ok: false; problems: string[] },
  refusing?: () => void,
): T {
  if (validation.ok) return validation.input;
  refusing?.();
  throw invalidInput(workflowType, validation.problems);
}
