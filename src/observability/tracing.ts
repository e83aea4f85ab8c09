/**
 * OpenTelemetry tracing of a process (worker or CLI), exported over OTLP/HTTP (JSON) to
 * `OTEL_EXPORTER_OTLP_ENDPOINT`. Off unless that variable is set: then nothing is installed, the
 * global tracer stays OpenTelemetry's no-op one and every span call costs nothing.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Where spans go and the name they are reported under; unset settings mean tracing is off. */
export interface TracingSettings {
  /** The OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); spans are posted to `<endpoint>/v1/traces`. */
  endpoint: string;
  /** `OTEL_SERVICE_NAME`, else the process's own default. */
  serviceName: string;
}

/** An installed tracer provider and what the Temporal interceptors need from it. */
export interface Tracing {
  resource: Resource;
  spanProcessor: SpanProcessor;
  /** Exports the spans still buffered and stops; call once when the process stops. */
  shutdown(): Promise<void>;
}

/**
 * Tracing settings from the standard variables' values (empty counts as unset): none without an
 * endpoint; an endpoint that is not an http(s) URL is an error naming the variable.
 */
export function tracingSettingsFrom(
  endpoint: string | undefined,
  serviceName: string | undefined,
  defaultServiceName: string,
): TracingSettings | undefined {
  if (!endpoint) return undefined;
  let protocol: string | undefined;
  try {
    protocol = new URL(endpoint).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new Error(
      `OTEL_EXPORTER_OTLP_ENDPOINT: expected an http(s) URL such as http://127.0.0.1:4318, got "${endpoint}"`,
    );
  }
  return { endpoint, serviceName: serviceName || defaultServiceName };
}

/** The URL spans are posted to, per the OTLP spec for the signal-independent endpoint variable. */
export function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/** Installs the global tracer provider (with async context propagation) when tracing is configured. */
export function installTracing(settings: TracingSettings | undefined): Tracing | undefined {
  if (settings === undefined) return undefined;
  const resource = new Resource({ 'service.name': settings.serviceName });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(settings.endpoint) }), {
    // A failover is a handful of spans; a short delay keeps a crash from losing many of them.
    scheduledDelayMillis: 1_000,
  });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register({ contextManager: new AsyncLocalStorageContextManager() });
  return {
    resource,
    spanProcessor,
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
