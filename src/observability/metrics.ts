/**
 * The project's own metrics, exported beside the Core runtime's on its Prometheus endpoint
 * (`VCHA_METRICS_ADDR`). vCenter request metrics are recorded by the worker process; failover
 * metrics by the workflow (see src/workflows/failover/outcome.ts), whose meter skips replays.
 */
import type { MetricMeter } from '@temporalio/common';
import type { VcenterRequestEvent } from '../vcenter';

/** Records vCenter calls by operation, and failed ones by kind. */
export function vcenterRequestMetrics(meter: MetricMeter, target: string): (event: VcenterRequestEvent) => void {
  const requests = meter.createCounter('vcha_vcenter_requests', 'requests', 'vCenter API requests by operation');
  const errors = meter.createCounter('vcha_vcenter_request_errors', 'requests', 'vCenter API requests that failed');
  const latency = meter.createHistogram('vcha_vcenter_request_duration', 'int', 'ms', 'vCenter API request duration');
  return (event) => {
    const tags = { target, operation: event.operation };
    requests.add(1, { ...tags, status: String(event.status ?? 'none') });
    latency.record(Math.round(event.durationMs), tags);
    if (event.error !== undefined || (event.status !== undefined && event.status >= 400)) {
      errors.add(1, { ...tags, kind: event.status !== undefined ? `http_${event.status}` : 'transport' });
    }
  };
}
