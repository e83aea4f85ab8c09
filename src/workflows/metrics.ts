/** Failover metrics recorded by the workflow; the SDK's workflow meter drops them during replay. */
import { metricMeter } from '@temporalio/workflow';
import type { FailoverRecord } from '../contract';

/** Counts the finished run and records its duration and the outage it rode through. */
export function recordFailoverMetrics(record: FailoverRecord, longestOutageMs: number | undefined): void {
  const tags = { target: record.target, outcome: record.outcome, planned: String(record.planned) };
  metricMeter.createCounter('vcha_failovers', 'runs', 'Failover runs by target and outcome').add(1, tags);
  metricMeter
    .createHistogram('vcha_failover_duration', 'int', 'ms', 'Failover run duration')
    .record(record.durationMs, tags);
  if (longestOutageMs !== undefined) {
    metricMeter
      .createHistogram('vcha_failover_outage', 'int', 'ms', 'Longest vCenter outage seen while following a failover')
      .record(Math.round(longestOutageMs), { target: record.target });
  }
}
