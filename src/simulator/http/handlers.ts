/** The vCenter API operations: thin translations between HTTP and the cluster model. */
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { VcenterOperation } from '../../vcenter/operations';
import type { SimCluster } from '../model/cluster';
import type { SimSession } from '../model/sessions';
import { PRIVILEGE_READ, PRIVILEGE_VCSERVER, unauthenticatedError, unauthorizedError } from '../model/vapi-errors';
import type { ApiResponse } from './api-response';
import type { ParsedBody } from './body';
import { errorResponse, invalidArgument, simpleError } from './errors';
import type { RouteMatch } from './router';

/** Everything a handler needs about one request. */
export interface ApiContext {
  cluster: SimCluster;
  route: RouteMatch;
  headers: IncomingHttpHeaders;
  body: ParsedBody;
}

/** Handles one operation. */
export type ApiHandler = (ctx: ApiContext) => ApiResponse;

const SESSION_HEADER = 'vmware-api-session-id';

const clusterGetBody = z.looseObject({
  partial: z.boolean().optional(),
  vc_spec: z.looseObject({ active_location: z.looseObject({ hostname: z.string() }) }).optional(),
});
const failoverBody = z.looseObject({ planned: z.boolean() });
const modeSetBody = z.looseObject({ mode: z.enum(['ENABLED', 'DISABLED', 'MAINTENANCE']) });
const idList = z.array(z.string()).optional();
const tasksListBody = z.looseObject({
  filter_spec: z.looseObject({
    tasks: idList,
    services: idList,
    operations: idList,
    status: z.array(z.enum(['PENDING', 'RUNNING', 'BLOCKED', 'SUCCEEDED', 'FAILED'])).optional(),
    users: idList,
  }),
  result_spec: z.looseObject({}).optional(),
});

/** Validates a JSON body; `required` bodies may not be empty. */
function parseBody<S extends z.ZodType>(
  body: ParsedBody,
  schema: S,
  required: boolean,
): { ok: true; value: z.output<S> | undefined } | { ok: false; response: ApiResponse } {
  if (body.kind === 'invalid')
    return { ok: false, response: invalidArgument(`The request body is not valid JSON: ${body.reason}`) };
  if (body.kind === 'empty') {
    return required
      ? { ok: false, response: invalidArgument('A request body is required.') }
      : { ok: true, value: undefined };
  }
  const result = schema.safeParse(body.value);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  return { ok: false, response: invalidArgument(`Invalid request body: ${issues}`) };
}

/** The caller's session, or the 401 to answer with. */
function authenticate(ctx: ApiContext): { ok: true; session: SimSession } | { ok: false; response: ApiResponse } {
  const header = ctx.headers[SESSION_HEADER];
  const token = Array.isArray(header) ? header[0] : header;
  const session = ctx.cluster.session(token);
  if (session) return { ok: true, session };
  return {
    ok: false,
    response: errorResponse(
      unauthenticatedError(token ? 'The session is not authenticated.' : 'No session id was supplied.'),
    ),
  };
}

/** The 403 to answer with when the session's user lacks `privilege`. */
function authorize(ctx: ApiContext, session: SimSession, privilege: string): ApiResponse | undefined {
  return ctx.cluster.userHasPrivilege(session.user, privilege)
    ? undefined
    : errorResponse(unauthorizedError(privilege));
}

/** Runs `handle` with an authenticated session that holds `privilege`. */
function withSession(privilege: string, handle: (ctx: ApiContext, session: SimSession) => ApiResponse): ApiHandler {
  return (ctx) => {
    const auth = authenticate(ctx);
    if (!auth.ok) return auth.response;
    return authorize(ctx, auth.session, privilege) ?? handle(ctx, auth.session);
  };
}

function basicCredentials(headers: IncomingHttpHeaders): { username: string; password: string } | undefined {
  const header = headers.authorization;
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const createSession: ApiHandler = (ctx) => {
  const token = ctx.cluster.login(basicCredentials(ctx.headers));
  if (!token) {
    return errorResponse(unauthenticatedError('Authentication required: invalid user name or password.', true));
  }
  return { status: 201, body: token };
};

const getSession: ApiHandler = (ctx) => {
  const auth = authenticate(ctx);
  if (!auth.ok) return auth.response;
  const { session } = auth;
  return {
    status: 200,
    body: {
      user: session.user,
      created_time: new Date(session.createdAt).toISOString(),
      last_accessed_time: new Date(session.lastAccessedAt).toISOString(),
    },
  };
};

const deleteSession: ApiHandler = (ctx) => {
  const auth = authenticate(ctx);
  if (!auth.ok) return auth.response;
  const header = ctx.headers[SESSION_HEADER];
  ctx.cluster.logout(String(Array.isArray(header) ? header[0] : header));
  return { status: 204 };
};

const getCluster: ApiHandler = (ctx) => {
  const auth = authenticate(ctx);
  if (!auth.ok) return auth.response;
  const parsed = parseBody(ctx.body, clusterGetBody, false);
  if (!parsed.ok) return parsed.response;
  const partial = parsed.value?.partial === true;
  const denied = authorize(ctx, auth.session, partial ? PRIVILEGE_READ : PRIVILEGE_VCSERVER);
  return denied ?? { status: 200, body: ctx.cluster.clusterInfo(partial) };
};

const failover: ApiHandler = withSession(PRIVILEGE_VCSERVER, (ctx, session) => {
  const parsed = parseBody(ctx.body, failoverBody, true);
  if (!parsed.ok) return parsed.response;
  const result = ctx.cluster.requestFailover(session.user, parsed.value?.planned === true);
  return result.kind === 'task' ? { status: 202, body: result.taskId } : errorResponse(result.error);
});

const getMode: ApiHandler = withSession(PRIVILEGE_READ, (ctx) => ({ status: 200, body: { mode: ctx.cluster.mode } }));

const setMode: ApiHandler = withSession(PRIVILEGE_VCSERVER, (ctx, session) => {
  const parsed = parseBody(ctx.body, modeSetBody, true);
  if (!parsed.ok) return parsed.response;
  if (!parsed.value) return invalidArgument('A request body is required.');
  const result = ctx.cluster.requestModeChange(session.user, parsed.value.mode);
  return result.kind === 'task' ? { status: 202, body: result.taskId } : errorResponse(result.error);
});

const getOperations: ApiHandler = withSession(PRIVILEGE_READ, (ctx) => ({
  status: 200,
  body: ctx.cluster.operationsInfo(),
}));

const getTask: ApiHandler = withSession(PRIVILEGE_READ, (ctx) => {
  const taskId = ctx.route.taskId ?? '';
  const info = ctx.cluster.taskInfo(taskId);
  if (info) return { status: 200, body: info };
  return simpleError('NOT_FOUND', 'com.vmware.cis.tasks.not_found', `Task ${taskId} was not found.`, [taskId]);
});

const listTasks: ApiHandler = withSession(PRIVILEGE_READ, (ctx) => {
  const parsed = parseBody(ctx.body, tasksListBody, true);
  if (!parsed.ok) return parsed.response;
  const filter = parsed.value?.filter_spec;
  if (!filter) return invalidArgument('filter_spec is required.');
  if (!filter.tasks?.length && !filter.services?.length) {
    return invalidArgument('filter_spec must name tasks or services.');
  }
  return { status: 200, body: ctx.cluster.listTasks(filter) };
});

const listServices: ApiHandler = withSession(PRIVILEGE_READ, (ctx) => ({
  status: 200,
  body: ctx.cluster.servicesInfo(),
}));

const getService: ApiHandler = withSession(PRIVILEGE_READ, (ctx) => {
  const serviceId = ctx.route.serviceId ?? '';
  const info = ctx.cluster.serviceInfo(serviceId);
  if (info) return { status: 200, body: info };
  return simpleError('NOT_FOUND', 'com.vmware.vcenter.services.not_found', `Service ${serviceId} was not found.`, [
    serviceId,
  ]);
});

// Served by vpxd: the vAPI endpoint answers it only while vpxd runs.
const listDatacenters: ApiHandler = withSession(PRIVILEGE_READ, (ctx) => {
  const datacenters = ctx.cluster.datacenters();
  if (datacenters) return { status: 200, body: datacenters };
  return simpleError(
    'SERVICE_UNAVAILABLE',
    'com.vmware.vapi.endpoint.service.unavailable',
    'Unable to communicate with the vpxd service to complete the request.',
    ['vpxd'],
  );
});

const getSystemHealth: ApiHandler = withSession(PRIVILEGE_READ, (ctx) => ({
  status: 200,
  body: ctx.cluster.applianceHealth().color,
}));

const getSystemHealthLastCheck: ApiHandler = withSession(PRIVILEGE_READ, (ctx) => ({
  status: 200,
  body: ctx.cluster.applianceHealth().lastCheck,
}));

/** The handler of every simulated operation. */
export const API_HANDLERS: Record<VcenterOperation, ApiHandler> = {
  'session.create': createSession,
  'session.get': getSession,
  'session.delete': deleteSession,
  'cluster.get': getCluster,
  'cluster.failover': failover,
  'cluster.mode.get': getMode,
  'cluster.mode.set': setMode,
  'operations.get': getOperations,
  'tasks.get': getTask,
  'tasks.list': listTasks,
  'services.list': listServices,
  'services.get': getService,
  'datacenter.list': listDatacenters,
  'health.system': getSystemHealth,
  'health.lastcheck': getSystemHealthLastCheck,
};
