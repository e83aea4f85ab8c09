/**
 * The answers a `respond` fault rule sends instead of the real one: a vAPI error, a proxy's HTML
 * page, or a corrupted body (truncated JSON, every value of the wrong type), as a misbehaving
 * proxy or a half-restarted service produces them.
 */
import type { EnvoyBody, FaultRule } from '../model/faults';
import { localizable, vapiError, type VapiErrorType } from '../model/vapi-errors';
import type { ApiResponse } from './api-response';
import { errorTypeForStatus, statusForErrorType } from './errors';

/** A raw answer: status, content type and payload text. */
export interface RawAnswer {
  status: number;
  contentType: string;
  payload: string;
}

const REASONS: Record<number, string> = {
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Timeout',
};

/** The page a reverse proxy in front of vCenter sends when it cannot (or did not) get vCenter's answer. */
function proxyPage(status: number): string {
  const title = `${status} ${REASONS[status] ?? 'Error'}`;
  return `<!DOCTYPE html>\n<html><head><title>${title}</title></head>\n<body><center><h1>${title}</h1></center><hr><center>nginx</center></body></html>\n`;
}

/** The plain-text bodies Envoy, in front of vCenter's API, answers with while the vAPI endpoint is down. */
const ENVOY_TEXT: Record<EnvoyBody, string> = {
  'envoy-no-healthy-upstream': 'no healthy upstream',
  'envoy-connect-failure':
    'upstream connect error or disconnect/reset before headers. reset reason: connection failure',
};

/** Envoy's answer while its upstream (the vAPI endpoint) is down: `503`, `text/plain`. */
export function envoyAnswer(body: EnvoyBody, status = 503): RawAnswer {
  return { status, contentType: 'text/plain', payload: ENVOY_TEXT[body] };
}

/** Replaces every value with one of a different JSON type, keeping the structure recognisable. */
function scrambleTypes(value: unknown): unknown {
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value === null || value === undefined) return 0;
  if (Array.isArray(value)) return Object.fromEntries(value.map((item, i) => [String(i), scrambleTypes(item)]));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrambleTypes(item)]));
}

/** What `rule` sends; `response` is the real answer when vCenter processed the request first. */
export function faultAnswer(rule: FaultRule, response: ApiResponse | undefined): RawAnswer {
  switch (rule.body) {
    case undefined:
    case 'vapi': {
      const errorType: VapiErrorType =
        rule.errorType ?? (rule.status !== undefined ? errorTypeForStatus(rule.status) : undefined) ?? 'ERROR';
      const error = vapiError(errorType, localizable('vapi.fault.injected', `Injected ${errorType} answer.`));
      return {
        status: rule.status ?? statusForErrorType(errorType),
        contentType: 'application/json',
        payload: JSON.stringify(error),
      };
    }
    case 'html': {
      const status = rule.status ?? response?.status ?? 502;
      return { status, contentType: 'text/html; charset=utf-8', payload: proxyPage(status) };
    }
    case 'envoy-no-healthy-upstream':
    case 'envoy-connect-failure':
      return envoyAnswer(rule.body, rule.status);
    case 'truncated-json': {
      const full = JSON.stringify(response?.body ?? { value: null });
      return {
        status: rule.status ?? response?.status ?? 200,
        contentType: 'application/json',
        payload: full.slice(0, Math.max(1, Math.floor(full.length / 2))),
      };
    }
    case 'wrong-types':
      return {
        status: rule.status ?? response?.status ?? 200,
        contentType: 'application/json',
        payload: JSON.stringify(scrambleTypes(response?.body ?? null)),
      };
  }
}
