/** The answer an API handler produces, and how it is written to the socket. */
import type { ServerResponse } from 'node:http';

/** A JSON answer: status plus optional body (absent for 204). */
export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Writes a raw payload with an explicit content type. */
export function sendRaw(
  res: ServerResponse,
  status: number,
  contentType: string,
  payload: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, {
    ...headers,
    'content-type': contentType,
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** Writes an ApiResponse as JSON (no body for 204). */
export function sendApiResponse(res: ServerResponse, response: ApiResponse): void {
  if (res.destroyed || res.headersSent) return;
  if (response.status === 204 || response.body === undefined) {
    res.writeHead(response.status, { ...response.headers, 'content-length': 0 });
    res.end();
    return;
  }
  sendRaw(res, response.status, 'application/json', JSON.stringify(response.body), response.headers);
}
