/**
 * Workflow interceptors for OpenTelemetry tracing, baked into every bundle beside the log
 * interceptors. A run is traced only when its start carries a trace context (the `_tracer-data`
 * header a traced client or parent writes): an untraced run passes straight through, so it adds
 * no header, span or SDK flag and its commands are exactly those of a build without tracing. A
 * traced run's spans leave the workflow through the package's `exporter` sink, which the worker
 * registers (a no-op when the worker itself has tracing off).
 */
import type * as OpenTelemetryWorkflow from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type {
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/** The header the OpenTelemetry interceptors carry the trace context in. */
const TRACE_HEADER = '_tracer-data';

/**
 * The OpenTelemetry interceptors, loaded by a traced run when it starts, and evaluated for that run
 * alone. This module is shared between runs (`WORKFLOW_PRELOAD_MODULES`), but the package keeps a
 * run's trace context in its module state, so it must not be shared; and an untraced run, which
 * needs none of its 109 modules, does not pay for them while it is cached.
 */
function openTelemetryInterceptors(): typeof OpenTelemetryWorkflow {
  // The one lazy load in workflow code: webpack bundles the package all the same, and loading it
  // depends only on the start's headers, which are in history.
  // eslint-disable-next-line no-restricted-globals, @typescript-eslint/no-require-imports
  return require('@temporalio/interceptors-opentelemetry/lib/workflow') as typeof OpenTelemetryWorkflow;
}

/** Registered on the worker and baked into prebuilt bundles. */
export const interceptors = (): WorkflowInterceptors => {
  // Decided once, from the start's headers (in history), before any command is written; the
  // tracer exists only in traced runs.
  let traced = false;
  let inbound!: OpenTelemetryWorkflow.OpenTelemetryInboundInterceptor;
  let outbound!: OpenTelemetryWorkflow.OpenTelemetryOutboundInterceptor;
  let internals!: OpenTelemetryWorkflow.OpenTelemetryInternalsInterceptor;
  const tracedInbound: WorkflowInboundCallsInterceptor = {
    execute(input, next) {
      traced = TRACE_HEADER in input.headers;
      if (!traced) return next(input);
      const telemetry = openTelemetryInterceptors();
      inbound = new telemetry.OpenTelemetryInboundInterceptor();
      outbound = new telemetry.OpenTelemetryOutboundInterceptor();
      internals = new telemetry.OpenTelemetryInternalsInterceptor();
      return inbound.execute(input, next);
    },
    handleSignal: (input, next) => (traced ? inbound.handleSignal(input, next) : next(input)),
    handleUpdate: (input, next) => (traced ? inbound.handleUpdate(input, next) : next(input)),
    validateUpdate: (input, next) => {
      if (traced) inbound.validateUpdate(input, next);
      else next(input);
    },
    handleQuery: (input, next) => (traced ? inbound.handleQuery(input, next) : next(input)),
  };
  const tracedOutbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input, next) => (traced ? outbound.scheduleActivity(input, next) : next(input)),
    scheduleLocalActivity: (input, next) => (traced ? outbound.scheduleLocalActivity(input, next) : next(input)),
    startChildWorkflowExecution: (input, next) =>
      traced ? outbound.startChildWorkflowExecution(input, next) : next(input),
    continueAsNew: (input, next) => (traced ? outbound.continueAsNew(input, next) : next(input)),
    signalWorkflow: (input, next) => (traced ? outbound.signalWorkflow(input, next) : next(input)),
    getLogAttributes: (input, next) => (traced ? outbound.getLogAttributes(input, next) : next(input)),
  };
  return {
    inbound: [tracedInbound],
    outbound: [tracedOutbound],
    internals: [
      {
        // The package's dispose is async in name only: it disables its context manager and calls next at once.
        dispose: (input, next) => {
          if (traced) void internals.dispose(input, next);
          else next(input);
        },
      },
    ],
  };
};
