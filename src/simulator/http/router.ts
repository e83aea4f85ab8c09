/** Maps a method and path (after the cluster's base URL) to a simulated API operation. */
import type { VcenterOperation } from '../../vcenter/operations';

/** A matched operation and its path parameters. */
export interface RouteMatch {
  operation: VcenterOperation;
  /** `GET /api/cis/tasks/{task}`: the decoded task id. */
  taskId?: string;
}

const TASK_PREFIX = '/api/cis/tasks/';

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
    default:
      break;
  }
  if (method === 'GET' && pathname.startsWith(TASK_PREFIX)) {
    const segment = pathname.slice(TASK_PREFIX.length);
    if (segment === '' || segment.includes('/')) return undefined;
    try {
      return { operation: 'tasks.get', taskId: decodeURIComponent(segment) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
