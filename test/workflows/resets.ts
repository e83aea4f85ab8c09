/**
 * What an operator does to a run in Temporal, for the tests that check it never sends a second
 * failover: read a run's history, find the workflow task to Reset to, Reset it as the Web UI does,
 * and start a maintenance that reaches IN_MAINTENANCE.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { WORKFLOW_TYPES, type MaintenanceStatus, type VchaMaintenanceWorkflow } from '../../src/contract';
import { pollUntil } from '../harness/poll';
import { testEnv } from '../harness/temporal';

const { EventType } = temporal.api.enums.v1;

/** One history event. */
export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** An event's id, as history gives it. */
export type EventId = NonNullable<HistoryEvent['eventId']>;

/** A run's history events. */
export async function historyEvents(handle: WorkflowHandle): Promise<HistoryEvent[]> {
  return (await handle.fetchHistory()).events ?? [];
}

/** Resets a run to the workflow task completed at `eventId`, as the Web UI's Reset does; returns the new run's id. */
export async function resetTo(handle: WorkflowHandle, runId: string, eventId: EventId): Promise<string> {
  const { client, namespace } = await testEnv();
  const reply = await client.connection.workflowService.resetWorkflowExecution({
    namespace: namespace ?? 'default',
    workflowExecution: { workflowId: handle.workflowId, runId },
    workflowTaskFinishEventId: eventId,
    requestId: randomUUID(),
    reason: 'operator reset',
  });
  return reply.runId;
}

/** Whether an event completes a workflow task: the points a Reset can go back to. */
export const isTaskCompleted = (event: HistoryEvent) =>
  event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;

/** Whether an event schedules the failover's send. */
export const isSendScheduled = (event: HistoryEvent) =>
  event.activityTaskScheduledEventAttributes?.activityType?.name === 'sendFailover';

/** The first workflow task's completion: "Reset to the first workflow task". */
export async function firstWorkflowTask(handle: WorkflowHandle): Promise<EventId> {
  const first = (await historyEvents(handle)).find(isTaskCompleted);
  assert.ok(first, 'the run completed a workflow task');
  return first.eventId!;
}

/** The workflow task completed just before `sendFailover` was scheduled: the last one before the send. */
export async function workflowTaskBeforeSend(handle: WorkflowHandle): Promise<EventId> {
  const events = await historyEvents(handle);
  const send = events.findIndex(isSendScheduled);
  assert.ok(send > 0, 'the run scheduled sendFailover');
  const before = events.slice(0, send).filter(isTaskCompleted).at(-1);
  assert.ok(before, 'a workflow task completed before the send');
  return before.eventId!;
}

/** Starts a `vchaMaintenance` of `target` and resolves with its handle once it is IN_MAINTENANCE. */
export async function maintenanceUnderWay(taskQueue: string, target: string, workflowId: string) {
  const { client } = await testEnv();
  const handle = await client.workflow.start<VchaMaintenanceWorkflow>(WORKFLOW_TYPES.maintenance, {
    taskQueue,
    workflowId,
    args: [{ target, reason: 'patch node1', requestedBy: 'alice', pollInterval: '1s' }],
  });
  await pollUntil(
    () => handle.query<MaintenanceStatus>('status').catch(() => undefined),
    (status) => status?.phase === 'IN_MAINTENANCE',
    60_000,
    200,
    `${handle.workflowId} reaching IN_MAINTENANCE`,
  );
  return handle;
}
