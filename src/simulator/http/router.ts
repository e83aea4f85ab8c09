/** Maps a method and path (after the cluster's base URL) to a simulated API operation. */
import type { VcenterOperation } from '../../vcenter/operations';

/** A matched operation and its path parameters. */
export interface RouteMatch {
  operation: VcenterOperation;
  /** `GET /api/cis/tasks/{task}`: the decoded task id. */
  taskId?: string;
  /** `GET /api/vcenter/services/{service}`: the decoded service id. */
  serviceId?: string;
}

const TASK_PREFIX = '/api/cis/tasks/';
const SERVICE_PREFIX = '/api/vcenter/services/';

/** The decoded single path segment after `prefix`, if the path is exactly one segment longer. */
function segmentAfter(prefix: string, pathname: string): string | undefined {
  if (!pathname.startsWith(prefix)) return undefined;
  const segment = pathname.slice(prefix.length);
  if (segment === '' || segment.includes('/')) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Splits `path?query` without building a URL object (this runs for every request). */
export function splitPath(rawPath: string): { pathname: string; query: URLSearchParams } {
  const mark = rawPath.indexOf('?');
  return mark < 0
    ? { pathname: rawPath, query: new URLSearchParams() }
    : { pathname: rawPath.slice(0, mark), query: new URLSearchParams(rawPath.slice(mark + 1)) };
}

/** The operation for a request, or undefined (→ 404). */
export function matchRoute(method: string, pathname: string, query: URLSearchParams): RouteMatch | undefined {
  const action = query.get('action');
  const asTask = query.get('vmw-task') === 'true';
  switch (pathname) {
    case '/api/session':
      if (method === 'POST') return { operation: 'session.create' };
      if (method === 'GET') return { operation: 'session.get' };
      if (method === 'DELETE') return { operation: 'session.delete' };
      return undefined;
    case '/api/vcenter/vcha/cluster':
      if (method !== 'POST') return undefined;
      if (action === 'get') return { operation: 'cluster.get' };
      // Failover exists only as a task.
      if (action === 'failover' && asTask) return { operation: 'cluster.failover' };
      return undefined;
    case '/api/vcenter/vcha/cluster/mode':
      if (method === 'GET') return { operation: 'cluster.mode.get' };
      if (method === 'PUT' && asTask) return { operation: 'cluster.mode.set' };
      return undefined;
    case '/api/vcenter/vcha/operations':
      return method === 'GET' ? { operation: 'operations.get' } : undefined;
    case '/api/cis/tasks':
      return method === 'POST' && action === 'list' ? { operation: 'tasks.list' } : undefined;
    case '/api/vcenter/services':
      return method === 'GET' ? { operation: 'services.list' } : undefined;
    case '/api/vcenter/datacenter':
      return method === 'GET' ? { operation: 'datacenter.list' } : undefined;
    case '/api/appliance/health/system':
      return method === 'GET' ? { operation: 'health.system' } : undefined;
    case '/api/appliance/health/system/lastcheck':
      return method === 'GET' ? { operation: 'health.lastcheck' } : undefined;
    default:
      break;
  }
  if (method !== 'GET') return undefined;
  const taskId = segmentAfter(TASK_PREFIX, pathname);
  if (taskId !== undefined) return { operation: 'tasks.get', taskId };
  const serviceId = segmentAfter(SERVICE_PREFIX, pathname);
  if (serviceId !== undefined) return { operation: 'services.get', serviceId };
  return undefined;
}
