/**
 * What the worker registers for OpenTelemetry: the activity interceptors that continue a run's
 * trace into each activity (and so into its vCenter requests), and the `exporter` sink the
 * workflow interceptors hand their spans to. The sink is always registered: a traced run (started
 * by a traced client) on a worker with tracing off then drops its spans quietly instead of
 * logging an unregistered-sink error on every workflow task.
 */
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { Tracing } from './tracing';

/** The activity interceptors of tracing; none when it is off. */
export function tracingActivityInterceptors(tracing: Tracing | undefined): ActivityInterceptorsFactory[] {
  if (tracing === undefined) return [];
  return [
    (ctx) => ({
      inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
      outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
    }),
  ];
}

/** The workflow span sink: into the span processor when tracing is on, nowhere when it is off. */
export function workflowSpanSinks(tracing: Tracing | undefined): InjectedSinks<OpenTelemetrySinks> {
  if (tracing !== undefined) return { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) };
  return { exporter: { export: { fn: () => {}, callDuringReplay: false } } };
}
