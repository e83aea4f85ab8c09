/** Corrupted response bodies, as a misbehaving proxy or a half-restarted service produces them. */
import type { MalformedFault } from '../model/faults';
import type { ApiResponse } from './api-response';

/** A raw answer: status, content type and payload text. */
export interface RawAnswer {
  status: number;
  contentType: string;
  payload: string;
}

const HTML_ERROR_PAGE =
  '<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title></head>\n' +
  '<body><h1>Service Temporarily Unavailable</h1><p>The vSphere Client and API are restarting. ' +
  'Please try again later.</p></body></html>\n';

/** Replaces every value with one of a different JSON type, keeping the structure recognisable. */
function scrambleTypes(value: unknown): unknown {
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value === null || value === undefined) return 0;
  if (Array.isArray(value)) return Object.fromEntries(value.map((item, i) => [String(i), scrambleTypes(item)]));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrambleTypes(item)]));
}

/** The corrupted form of `response` for a malformed-body fault. */
export function malformedAnswer(fault: MalformedFault, response: ApiResponse): RawAnswer {
  const status = fault.status ?? response.status;
  switch (fault.kind) {
    case 'html':
      return { status, contentType: 'text/html; charset=utf-8', payload: HTML_ERROR_PAGE };
    case 'truncated-json': {
      const full = JSON.stringify(response.body ?? { value: null });
      return {
        status,
        contentType: 'application/json',
        payload: full.slice(0, Math.max(1, Math.floor(full.length / 2))),
      };
    }
    case 'wrong-types':
      return { status, contentType: 'application/json', payload: JSON.stringify(scrambleTypes(response.body ?? null)) };
  }
}
