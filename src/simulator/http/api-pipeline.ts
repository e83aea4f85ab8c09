/**
 * The path every API request takes: its place in the cluster's count, the outage check, the fault
 * rule that applies to it (before vCenter processes it, or after), the operation's handler, and
 * finally the report to the model of how it was answered.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleepReal } from '../model/clock';
import type { SimCluster } from '../model/cluster';
import type { FaultRule } from '../model/faults';
import type { SimRequestRecord } from '../model/request-log';
import { sendApiResponse, sendRaw, type ApiResponse } from './api-response';
import { parseJsonBody, readBody } from './body';
import { serviceUnavailable, unknownOperation } from './errors';
import { API_HANDLERS } from './handlers';
import { envoyAnswer, faultAnswer, type RawAnswer } from './fault-answers';
import { matchRoute, splitPath } from './router';

/** Serves one API request for `cluster`; `apiPath` is the path after the cluster's base URL. */
export async function serveApiRequest(
  cluster: SimCluster,
  req: IncomingMessage,
  res: ServerResponse,
  apiPath: string,
): Promise<void> {
  const startedAt = Date.now();
  const index = cluster.requestArrived();
  const method = req.method ?? 'GET';
  const { pathname, query } = splitPath(apiPath);
  const route = matchRoute(method, pathname, query);
  let processed = false;
  const report = (status: number | null, outcome: SimRequestRecord['outcome']): void =>
    cluster.recordExchange({
      index,
      time: new Date(startedAt).toISOString(),
      method,
      path: apiPath,
      ...(route ? { operation: route.operation } : {}),
      status,
      outcome,
      processed,
      durationMs: Date.now() - startedAt,
    });
  const respond = (response: ApiResponse): void => {
    sendApiResponse(res, response);
    report(response.status, 'response');
  };
  const respondRaw = (answer: RawAnswer): void => {
    sendRaw(res, answer.status, answer.contentType, answer.payload);
    report(answer.status, 'replaced');
  };
  const reset = (): void => {
    req.socket.destroy();
    report(null, 'reset');
  };
  // Nothing is sent back, not even a reset: the connection stays open until the client gives up.
  const silence = (): void => report(null, 'hang');
  const whileUnavailable = (): void => {
    const style = cluster.faults.outageStyle;
    switch (style) {
      case '503':
        return respond(serviceUnavailable());
      case 'reset':
        return reset();
      case 'blackhole':
        return silence();
      default:
        return respondRaw(envoyAnswer(style));
    }
  };

  if (cluster.blackholed()) return silence();
  if (!cluster.apiAvailable) return whileUnavailable();
  const bodyText = await readBody(req).catch(() => undefined);
  // The client gave up while sending: nothing to answer.
  if (bodyText === undefined) return report(null, 'reset');
  if (!route) return respond(unknownOperation(method, pathname));

  const rule = cluster.faultFor(index, route.operation);
  /** Applies the rule's action; true when the request is done with. */
  const applyRule = async (fault: FaultRule, response: ApiResponse | undefined): Promise<boolean> => {
    switch (fault.action) {
      case 'reset':
        reset();
        return true;
      case 'hang':
        silence();
        return true;
      case 'blackhole':
        cluster.startBlackhole(fault.blackholeMs);
        silence();
        return true;
      case 'delay':
        await sleepReal(fault.delayMs);
        // The wait may have run into the failover's outage.
        if (!processed && !cluster.apiAvailable) {
          whileUnavailable();
          return true;
        }
        return false;
      case 'respond':
        respondRaw(faultAnswer(fault, response));
        return true;
      case 'refuse':
        // Applied to the port before the request arrives; it never reaches here.
        return false;
    }
  };

  if (rule?.when === 'before' && (await applyRule(rule, undefined))) return;
  const response = API_HANDLERS[route.operation]({
    cluster,
    route,
    headers: req.headers,
    body: parseJsonBody(bodyText),
  });
  processed = true;
  if (rule?.when === 'after' && (await applyRule(rule, response))) return;
  respond(response);
}
