/**
 * The simulator's own control API under `/__sim/`: read state, counters and the request log,
 * change state and faults at runtime, and reset clusters. JSON in and out, camelCase.
 *
 *   GET   /__sim/clusters                     names, URLs and failover stages
 *   GET   /__sim/clusters/{name}              state, faults, timing, users, counters, last failover
 *   PATCH /__sim/clusters/{name}              apply a partial cluster scenario (state/faults/timing/users)
 *   POST  /__sim/clusters/{name}/reset        restore the cluster as its scenario defined it
 *   PUT   /__sim/clusters/{name}/users/{user} add or replace an account {password, privileges}
 *   GET   /__sim/clusters/{name}/counters     counters of one cluster
 *   GET   /__sim/clusters/{name}/failovers    timelines of every failover request
 *   GET   /__sim/clusters/{name}/log          request log of one cluster
 *   GET   /__sim/counters                     counters of every cluster
 *   GET   /__sim/log?cluster=&limit=          request log (all clusters, or one)
 *   POST  /__sim/reset                        reset every cluster
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimCluster } from '../model/cluster';
import type { SimRequestRecord } from '../model/request-log';
import { ScenarioError, userScenarioSchema, validateWith, type ClusterScenarioInput } from '../scenario';
import { sendApiResponse } from './api-response';
import { parseJsonBody, readBody } from './body';
import { splitPath } from './router';

/** What the admin API needs from the simulator. */
export interface AdminTarget {
  clusterNames(): string[];
  findCluster(name: string): SimCluster | undefined;
  urlFor(name: string): string;
  resetAll(): Promise<void>;
  requestLog(name?: string): SimRequestRecord[];
}

type AdminAnswer = { status: number; body?: unknown };

const notFound = (what: string): AdminAnswer => ({ status: 404, body: { error: `${what} not found` } });

function describeCluster(target: AdminTarget, cluster: SimCluster): unknown {
  return {
    url: target.urlFor(cluster.name),
    ...cluster.snapshot(),
    faults: cluster.faults,
    timing: cluster.timing,
    users: cluster.describeUsers(),
    counters: cluster.counters(),
    lastFailover: cluster.lastFailover() ?? null,
  };
}

async function jsonBody(
  req: IncomingMessage,
): Promise<{ ok: true; value: unknown } | { ok: false; answer: AdminAnswer }> {
  const parsed = parseJsonBody(await readBody(req));
  if (parsed.kind === 'json') return { ok: true, value: parsed.value };
  const reason = parsed.kind === 'empty' ? 'a JSON body is required' : `invalid JSON: ${parsed.reason}`;
  return { ok: false, answer: { status: 400, body: { error: reason } } };
}

function withLimit(records: SimRequestRecord[], limit: string | null): SimRequestRecord[] {
  const n = limit === null ? NaN : Number(limit);
  return Number.isInteger(n) && n >= 0 ? records.slice(Math.max(0, records.length - n)) : records;
}

async function route(target: AdminTarget, req: IncomingMessage, subPath: string): Promise<AdminAnswer> {
  const method = req.method ?? 'GET';
  const { pathname, query } = splitPath(subPath);
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);

  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'clusters')) {
    if (method !== 'GET') return { status: 405, body: { error: 'method not allowed' } };
    return {
      status: 200,
      body: target.clusterNames().map((name) => {
        const cluster = target.findCluster(name);
        return { name, url: target.urlFor(name), stage: cluster?.stage, apiAvailable: cluster?.apiAvailable };
      }),
    };
  }
  if (parts.length === 1 && parts[0] === 'reset' && method === 'POST') {
    await target.resetAll();
    return { status: 200, body: { reset: target.clusterNames().length } };
  }
  if (parts.length === 1 && parts[0] === 'counters' && method === 'GET') {
    return {
      status: 200,
      body: Object.fromEntries(target.clusterNames().map((name) => [name, target.findCluster(name)?.counters()])),
    };
  }
  if (parts.length === 1 && parts[0] === 'log' && method === 'GET') {
    const name = query.get('cluster') ?? undefined;
    if (name !== undefined && !target.findCluster(name)) return notFound(`cluster ${name}`);
    return { status: 200, body: withLimit(target.requestLog(name), query.get('limit')) };
  }
  if (parts[0] !== 'clusters' || parts.length < 2) return notFound(`admin path ${pathname}`);

  const name = parts[1] ?? '';
  const cluster = target.findCluster(name);
  if (!cluster) return notFound(`cluster ${name}`);
  const action = parts.slice(2).join('/');

  if (action === '' && method === 'GET') return { status: 200, body: describeCluster(target, cluster) };
  if (action === '' && method === 'PATCH') {
    const body = await jsonBody(req);
    if (!body.ok) return body.answer;
    cluster.configure(body.value as ClusterScenarioInput);
    return { status: 200, body: describeCluster(target, cluster) };
  }
  if (action === 'reset' && method === 'POST') {
    await cluster.reset();
    return { status: 200, body: describeCluster(target, cluster) };
  }
  if (parts[2] === 'users' && parts.length === 4 && method === 'PUT') {
    const body = await jsonBody(req);
    if (!body.ok) return body.answer;
    const spec = validateWith(userScenarioSchema, body.value, `user ${parts[3]}`);
    cluster.setUser(parts[3] ?? '', spec);
    return { status: 200, body: cluster.describeUsers() };
  }
  if (action === 'counters' && method === 'GET') return { status: 200, body: cluster.counters() };
  if (action === 'failovers' && method === 'GET') return { status: 200, body: cluster.failovers() };
  if (action === 'log' && method === 'GET')
    return { status: 200, body: withLimit(cluster.requestLog(), query.get('limit')) };
  return notFound(`admin path ${method} ${pathname}`);
}

/** Serves one admin request; `subPath` is the path after `/__sim`. */
export async function serveAdminRequest(
  target: AdminTarget,
  req: IncomingMessage,
  res: ServerResponse,
  subPath: string,
): Promise<void> {
  let answer: AdminAnswer;
  try {
    answer = await route(target, req, subPath);
  } catch (error) {
    answer =
      error instanceof ScenarioError
        ? { status: 400, body: { error: error.message, issues: error.issues } }
        : { status: 500, body: { error: (error as Error).message } };
  }
  sendApiResponse(res, answer);
}
