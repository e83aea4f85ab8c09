/**
 * A trace span per vCenter HTTP request (`vcenter <operation>`, kind CLIENT), a child of whatever
 * span is active (the activity's, when the worker traces). Its attributes are the operation from
 * the one vocabulary, the method, the HTTP status and the attempt, and on failure the error's
 * name and reason: never a path, header, body, session id or credential. Without a registered
 * tracer provider OpenTelemetry's API hands out a no-op span, so this costs nothing when tracing is off.
 */
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { VcenterOperation } from './operations';

const tracer = trace.getTracer('vcha-failover-worker/vcenter');

/** Span attribute names, one place for the client and the tests. */
export const REQUEST_SPAN_ATTRIBUTES = {
  operation: 'vcenter.operation',
  method: 'http.request.method',
  status: 'http.response.status_code',
  attempt: 'vcenter.attempt',
  error: 'error.type',
} as const;

/** Starts the span of one request. */
export function startRequestSpan(operation: VcenterOperation, method: string, attempt: number): Span {
  return tracer.startSpan(`vcenter ${operation}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      [REQUEST_SPAN_ATTRIBUTES.operation]: operation,
      [REQUEST_SPAN_ATTRIBUTES.method]: method,
      [REQUEST_SPAN_ATTRIBUTES.attempt]: attempt,
    },
  });
}

/** Ends it with the status that came back, or the (redacted, name-and-reason) error the exchange ended with. */
export function endRequestSpan(span: Span, status: number | undefined, error: string | undefined): void {
  if (status !== undefined) span.setAttribute(REQUEST_SPAN_ATTRIBUTES.status, status);
  if (error !== undefined) {
    span.setAttribute(REQUEST_SPAN_ATTRIBUTES.error, error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error });
  }
  span.end();
}
