/**
 * Reads what is known about a run right now: its description, the `status` query and the
 * heartbeat details of a pending follow activity, decoded with the client's payload converter.
 */
import type { Client, WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import { FOLLOW_ACTIVITY_TYPE, readFollowHeartbeat, statusQuery, type FailoverStatus } from '../contract';
import { heartbeatObservation, type LiveFollow, type ProgressInput } from './progress';

/** How long a `status` query may take: without a worker polling, the server would hold it much longer. */
const STATUS_QUERY_TIMEOUT_MS = 5_000;

/** A run's description plus the inputs of its progress view. */
export interface LiveRun {
  description: WorkflowExecutionDescription;
  progress: ProgressInput;
}

/** The live observation of the first pending follow activity whose heartbeat carries one. */
export function followHeartbeat(client: Client, description: WorkflowExecutionDescription): LiveFollow | undefined {
  const converter = client.options.loadedDataConverter.payloadConverter;
  for (const pending of description.raw.pendingActivities ?? []) {
    const activityType = pending.activityType?.name ?? '';
    const payload = pending.heartbeatDetails?.payloads?.[0];
    if (activityType !== FOLLOW_ACTIVITY_TYPE || !payload) continue;
    let details: unknown;
    try {
      details = converter.fromPayload(payload);
    } catch {
      continue; // Details in a form this client cannot read: the status query still says something.
    }
    const observation = heartbeatObservation(details);
    if (observation) {
      const heartbeat = readFollowHeartbeat(details);
      return {
        activityType,
        observation,
        attempt: pending.attempt ?? 1,
        phase: heartbeat?.phase,
        ...(heartbeat?.readiness ? { readiness: heartbeat.readiness.gates } : {}),
      };
    }
  }
  return undefined;
}

/** Describes the run and, while it runs, asks for its status; a query that fails is reported, not thrown. */
export async function readLiveRun(client: Client, handle: WorkflowHandle): Promise<LiveRun> {
  const description = await handle.describe();
  const progress: ProgressInput = { startedAt: description.startTime, now: new Date() };
  if (description.status.name === 'RUNNING') {
    try {
      progress.status = await client.withDeadline(Date.now() + STATUS_QUERY_TIMEOUT_MS, () =>
        handle.query<FailoverStatus>(statusQuery),
      );
    } catch (error) {
      progress.statusError = `status query failed (${error instanceof Error ? error.message : String(error)}); is a worker polling ${description.taskQueue}?`;
    }
    progress.heartbeat = followHeartbeat(client, description);
  }
  return { description, progress };
}
