/**
 * The CLI's OpenTelemetry tracing: when `OTEL_EXPORTER_OTLP_ENDPOINT` is set, every workflow
 * start is a span (`StartWorkflow:<type>`) whose context travels to the workflow in its headers,
 * so a failover's trace begins where the operator started it. Only starts are traced: the
 * describe/query polling of `--wait` would add a trace per poll. Loaded only when configured.
 */
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { UsageError } from './io';
import { CLI_SERVICE_NAME, type CliSettings } from './settings';

/** The client interceptors that trace starts, and the flush to run before the process exits. */
export interface CliTracing {
  workflowInterceptors: WorkflowClientInterceptor[];
  shutdown(): Promise<void>;
}

/** Installs tracing when the settings ask for it; a bad endpoint is a usage error naming the variable. */
export async function startCliTracing(settings: CliSettings): Promise<CliTracing | undefined> {
  if (settings.tracing === undefined) return undefined;
  const [{ installTracing, tracingSettingsFrom }, { OpenTelemetryWorkflowClientInterceptor }] = await Promise.all([
    import('../observability/tracing.js'),
    import('@temporalio/interceptors-opentelemetry'),
  ]);
  let tracingSettings;
  try {
    tracingSettings = tracingSettingsFrom(settings.tracing.endpoint, settings.tracing.serviceName, CLI_SERVICE_NAME);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const tracing = installTracing(tracingSettings)!;
  const traced = new OpenTelemetryWorkflowClientInterceptor();
  return {
    workflowInterceptors: [
      {
        start: (input, next) => traced.start(input, next),
        startWithDetails: (input, next) => traced.startWithDetails(input, next),
        signalWithStart: (input, next) => traced.signalWithStart(input, next),
      },
    ],
    shutdown: () => tracing.shutdown(),
  };
}
