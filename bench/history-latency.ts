/**
 * Where a run's time goes, read from its history: how long workflow and activity tasks waited in
 * the task queue (worker or poller saturation), how long the worker took per workflow task, and
 * how long the run took to send the failover request. Used to explain overhead, not to judge it.
 */
import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Samples of one history, milliseconds. */
export interface HistoryLatency {
  /** Workflow task scheduled → started: waiting for a worker poll. */
  workflowTaskQueueMs: number[];
  /** Workflow task started → completed: the worker's processing. */
  workflowTaskRunMs: number[];
  /** Activity task scheduled → started (as recorded on completion: the last attempt). */
  activityQueueMs: number[];
  /** Run start → the trigger activity completed (the failover request sent). */
  startToTriggeredMs?: number;
}

function eventMs(event: HistoryEvent): number {
  const time = event.eventTime;
  return Number(time?.seconds ?? 0) * 1_000 + Math.floor((time?.nanos ?? 0) / 1e6);
}

/** Reads the latency samples of one history. */
export function historyLatency(events: readonly HistoryEvent[]): HistoryLatency {
  const byId = new Map<number, HistoryEvent>();
  for (const event of events) byId.set(Number(event.eventId), event);
  const result: HistoryLatency = { workflowTaskQueueMs: [], workflowTaskRunMs: [], activityQueueMs: [] };
  const startedAt = events[0] ? eventMs(events[0]) : NaN;
  /** Adds the time from the event `earlierId` names to `event`, when that event is in the history. */
  const addSince = (samples: number[], event: HistoryEvent, earlierId: unknown) => {
    const earlier = byId.get(Number(earlierId));
    if (earlier) samples.push(eventMs(event) - eventMs(earlier));
  };
  for (const event of events) {
    const wftStarted = event.workflowTaskStartedEventAttributes;
    if (wftStarted) addSince(result.workflowTaskQueueMs, event, wftStarted.scheduledEventId);
    const wftCompleted = event.workflowTaskCompletedEventAttributes;
    if (wftCompleted) addSince(result.workflowTaskRunMs, event, wftCompleted.startedEventId);
    const activityStarted = event.activityTaskStartedEventAttributes;
    if (activityStarted) addSince(result.activityQueueMs, event, activityStarted.scheduledEventId);
    const activityCompleted = event.activityTaskCompletedEventAttributes;
    if (activityCompleted) {
      const scheduled = byId.get(Number(activityCompleted.scheduledEventId));
      const type = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name;
      if (type === 'sendFailover') result.startToTriggeredMs = eventMs(event) - startedAt;
    }
  }
  return result;
}

/** One history as "+ms EVENT_TYPE (activity)" lines, relative to the run's start, to see where a run waits. */
export function historyTimeline(events: readonly HistoryEvent[]): string[] {
  const startedAt = events[0] ? eventMs(events[0]) : 0;
  const names = new Map<number, string>();
  return events.map((event) => {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) names.set(Number(event.eventId), scheduled.activityType?.name ?? '');
    const ofActivity =
      event.activityTaskStartedEventAttributes?.scheduledEventId ??
      event.activityTaskCompletedEventAttributes?.scheduledEventId;
    const activity = scheduled?.activityType?.name ?? (ofActivity ? names.get(Number(ofActivity)) : undefined);
    const type = String(temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? event.eventType).replace(
      /^EVENT_TYPE_/,
      '',
    );
    return `+${eventMs(event) - startedAt} ${type}${activity ? ` (${activity})` : ''}`;
  });
}
