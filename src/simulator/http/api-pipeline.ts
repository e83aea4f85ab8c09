/**
 * The path every API request takes: outage check, injected latency, 503 bursts, hangs, the
 * operation's handler, malformed bodies, then counters and the request log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleepReal } from '../model/clock';
import type { SimCluster } from '../model/cluster';
import { hangFor, takeMalformed, takeUnavailable } from '../model/faults';
import type { SimRequestRecord } from '../model/request-log';
import { sendApiResponse, sendRaw, type ApiResponse } from './api-response';
import { parseJsonBody, readBody } from './body';
import { serviceUnavailable, unknownOperation } from './errors';
import { API_HANDLERS } from './handlers';
import { malformedAnswer } from './malform';
import { matchRoute, splitPath } from './router';

/** Serves one API request for `cluster`; `apiPath` is the path after the cluster's base URL. */
export async function serveApiRequest(
  cluster: SimCluster,
  req: IncomingMessage,
  res: ServerResponse,
  apiPath: string,
): Promise<void> {
  const startedAt = Date.now();
  const method = req.method ?? 'GET';
  const { pathname, query } = splitPath(apiPath);
  const route = matchRoute(method, pathname, query);
  const log = (status: number | null, outcome: SimRequestRecord['outcome']): void =>
    cluster.recordExchange({
      time: new Date(startedAt).toISOString(),
      method,
      path: apiPath,
      ...(route ? { operation: route.operation } : {}),
      status,
      outcome,
      durationMs: Date.now() - startedAt,
    });
  const respond = (response: ApiResponse): void => {
    sendApiResponse(res, response);
    log(response.status, 'response');
  };
  const whileUnavailable = (): void => {
    if (cluster.faults.outageStyle === 'reset') {
      req.socket.destroy();
      log(null, 'reset');
    } else {
      respond(serviceUnavailable());
    }
  };

  if (!cluster.apiAvailable) return whileUnavailable();

  const bodyText = await readBody(req).catch(() => undefined);
  // The client gave up while sending: nothing to answer.
  if (bodyText === undefined) return log(null, 'reset');
  if (cluster.faults.latencyMs > 0) {
    await sleepReal(cluster.faults.latencyMs);
    if (!cluster.apiAvailable) return whileUnavailable();
  }
  if (!route) return respond(unknownOperation(method, pathname));
  if (takeUnavailable(cluster.faults, route.operation)) return respond(serviceUnavailable());

  const ctx = { cluster, route, headers: req.headers, body: parseJsonBody(bodyText) };
  const hang = hangFor(cluster.faults, route.operation);
  if (hang) {
    if (hang.process) API_HANDLERS[route.operation](ctx);
    log(null, 'hang');
    return;
  }

  const response = API_HANDLERS[route.operation](ctx);
  const malformed = takeMalformed(cluster.faults, route.operation);
  if (!malformed) return respond(response);
  const answer = malformedAnswer(malformed, response);
  sendRaw(res, answer.status, answer.contentType, answer.payload);
  log(answer.status, 'malformed');
}
