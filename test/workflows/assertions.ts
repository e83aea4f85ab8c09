/** Reads how a failover run ended, asserting the full failure chain on the way. */
import assert from 'node:assert/strict';
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { decodeContractFailure, type FailoverRecord, type VchaFailoverWorkflow } from '../../src/contract';

/** The ApplicationFailure a run ended with, and the record in its details. */
export async function failureOf(
  handle: WorkflowHandle<VchaFailoverWorkflow>,
  expectedType: string,
): Promise<{ failure: ApplicationFailure; record: FailoverRecord | undefined }> {
  try {
    const result = await handle.result();
    assert.fail(`expected ${expectedType}, but the run succeeded: ${JSON.stringify(result)}`);
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    assert.ok(error.cause instanceof ApplicationFailure, `cause is an ApplicationFailure: ${String(error.cause)}`);
    assert.equal(error.cause.type, expectedType, `failure type (message: ${error.cause.message})`);
    assert.equal(error.cause.nonRetryable, true);
    return { failure: error.cause, record: decodeContractFailure<FailoverRecord>(error.cause)?.record };
  }
}

/** An Update's refusal (by its validator or its handler): the message it gave. */
export async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof WorkflowUpdateFailedError, `an update failure, got ${String(error)}`);
    return error.cause?.message ?? error.message;
  }
  assert.fail('the update was accepted');
}
