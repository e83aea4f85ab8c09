/** A minimal workflow proving the harness runs real workflows and activities on the dev server. */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type * as smokeActivities from './smoke-activities';

const { describeHost } = proxyActivities<typeof smokeActivities>({ startToCloseTimeout: '30s' });

/** Calls one activity and reports what the workflow saw. */
export async function smokeWorkflow(input: { name: string }): Promise<{ greeting: string; workflowId: string }> {
  const greeting = await describeHost(input.name);
  return { greeting, workflowId: workflowInfo().workflowId };
}
