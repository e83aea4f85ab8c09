/**
 * A vCenter client whose answers a test scripts call by call, for running activities with
 * MockActivityEnvironment: each method takes the next answer from its queue (a value, an error to
 * throw, or a function of the call), and every call is recorded by its operation name.
 */
import type { VcenterOperation } from '../../src/vcenter';
import {
  VcenterApiError,
  VcenterUnreachableError,
  type CisTaskInfo,
  type VcenterClient,
  type VcenterVchaClusterInfo,
  type VcenterVchaOperationsInfo,
  type UnreachableReason,
} from '../../src/vcenter';
import type {
  ApplianceHealthSystemHealthLevel,
  VcenterDatacenterSummary,
  VcenterServicesListResult,
} from '../../src/vcenter/schemas';

/** One scripted answer. */
export type Answer<T> = T | Error | (() => T | Promise<T>);

/** What each scripted method answers. */
export type Scripted = {
  getCluster: VcenterVchaClusterInfo;
  getMode: { mode: 'ENABLED' | 'DISABLED' | 'MAINTENANCE' };
  getOperations: VcenterVchaOperationsInfo;
  listTasks: Record<string, CisTaskInfo>;
  startFailover: string;
  getTask: CisTaskInfo;
  listDatacenters: VcenterDatacenterSummary[];
  listServices: VcenterServicesListResult;
  getSystemHealth: ApplianceHealthSystemHealthLevel;
  getSystemHealthLastCheck: Date;
};

const OPERATION_OF: Record<keyof Scripted, VcenterOperation> = {
  getCluster: 'cluster.get',
  getMode: 'cluster.mode.get',
  getOperations: 'operations.get',
  listTasks: 'tasks.list',
  startFailover: 'cluster.failover',
  getTask: 'tasks.get',
  listDatacenters: 'datacenter.list',
  listServices: 'services.list',
  getSystemHealth: 'health.system',
  getSystemHealthLastCheck: 'health.lastcheck',
};

/** A member of the cluster info, as vCenter sends it. */
function member(address: string, role: string, state = 'UP') {
  return {
    ha_ip: { ip_family: 'IPV4' as const, ipv4: { address, subnet_mask: '255.255.255.0', prefix: 24 } },
    runtime: { state, role },
  };
}

/** Cluster info with node1 10.0.0.1, node2 10.0.0.2 and the witness 10.0.0.3; `active` names the ACTIVE node. */
export function clusterInfo(
  active: 'node1' | 'node2' | 'none' = 'node1',
  overrides: Partial<VcenterVchaClusterInfo> = {},
): VcenterVchaClusterInfo {
  const role = (slot: 'node1' | 'node2') => (active === 'none' ? 'PASSIVE' : active === slot ? 'ACTIVE' : 'PASSIVE');
  return {
    config_state: 'CONFIGURED',
    mode: 'ENABLED',
    health_state: 'HEALTHY',
    manual_failover_allowed: true,
    node1: member('10.0.0.1', role('node1'), active === 'none' ? 'DOWN' : 'UP'),
    node2: member('10.0.0.2', role('node2')),
    witness: member('10.0.0.3', 'WITNESS'),
    ...overrides,
  } as VcenterVchaClusterInfo;
}

/** `operations` with nothing running, or a running failover. */
export function operations(failoverRunning = false): VcenterVchaOperationsInfo {
  return {
    disabled: ['com.vmware.vcenter.vcha.cluster.deploy'],
    active: failoverRunning ? ['com.vmware.vcenter.vcha.cluster.failover'] : [],
  };
}

/** A failover task in `status`. */
export function failoverTask(status: CisTaskInfo['status'], extra: Partial<CisTaskInfo> = {}): CisTaskInfo {
  return {
    description: { id: 'com.vmware.vcenter.vcha.cluster.failover', default_message: 'Planned failover', args: [] },
    service: 'com.vmware.vcenter.vcha.cluster',
    operation: 'failover',
    status,
    cancelable: false,
    start_time: new Date().toISOString(),
    ...extra,
  };
}

/** A transport failure of `operation`. */
export function unreachable(
  operation: VcenterOperation,
  reason: UnreachableReason = 'refused',
): VcenterUnreachableError {
  const neverSent = reason === 'refused' || reason === 'dns';
  return new VcenterUnreachableError({
    operation,
    reason,
    phase: neverSent ? 'connect' : 'response',
    mayHaveReachedVcenter: !neverSent,
    detail: `scripted ${reason}`,
  });
}

/** An HTTP error answer of `operation`. */
export function apiError(
  operation: VcenterOperation,
  status: number,
  errorType?: string,
  message?: string,
): VcenterApiError {
  // vCenter's own vAPI error when it has an error type; a bare page (a proxy's) otherwise.
  return new VcenterApiError({
    operation,
    status,
    errorType,
    messages: message ? [message] : [],
    vapiBody: errorType !== undefined,
    ...(errorType === undefined ? { bodyExcerpt: `${status} error page` } : {}),
  });
}

/** `GET /api/vcenter/services` with these AUTOMATIC services in these states (STARTED ones HEALTHY). */
export function services(states: Record<string, 'STARTED' | 'STARTING' | 'STOPPED'>): VcenterServicesListResult {
  return Object.fromEntries(
    Object.entries(states).map(([id, state]) => [
      id,
      {
        name_key: `cis.${id}.ServiceName`,
        description_key: `cis.${id}.ServiceDescription`,
        startup_type: 'AUTOMATIC' as const,
        state,
        ...(state === 'STARTED' ? { health: 'HEALTHY' as const, health_messages: [] } : {}),
      },
    ]),
  );
}

/** The scripted client and what it was asked. */
export class ScriptedVcenter {
  /** Operations called, in order. */
  readonly calls: VcenterOperation[] = [];
  /** How often the session was dropped on purpose. */
  sessionsForgotten = 0;
  /** vCenter's clock, as its `Date` header gives the time of a timed read (whole seconds); none when unset. */
  vcenterTime?: () => Date;
  private readonly queues = new Map<keyof Scripted, Answer<unknown>[]>();
  private readonly fallbacks = new Map<keyof Scripted, Answer<unknown>>();

  /** Queues answers for a method; once they are used up, the last one repeats. */
  on<K extends keyof Scripted>(method: K, ...answers: Answer<Scripted[K]>[]): this {
    this.queues.set(method, [...(this.queues.get(method) ?? []), ...answers]);
    return this;
  }

  /** Typed as the real client for the activity's dependencies. */
  get client(): VcenterClient {
    const answer = async (method: keyof Scripted) => {
      this.calls.push(OPERATION_OF[method]);
      const queue = this.queues.get(method) ?? [];
      const next = queue.length > 0 ? queue.shift() : this.fallbacks.get(method);
      if (next === undefined) throw new Error(`no scripted answer for ${method}`);
      this.fallbacks.set(method, next);
      if (next instanceof Error) throw next;
      return typeof next === 'function' ? await (next as () => unknown)() : next;
    };
    return {
      getCluster: () => answer('getCluster'),
      getClusterTimed: async () => {
        const value = await answer('getCluster');
        const at = this.vcenterTime?.();
        // The Date header has whole seconds.
        return at ? { value, vcenterTime: new Date(Math.floor(at.getTime() / 1_000) * 1_000) } : { value };
      },
      getMode: () => answer('getMode'),
      getOperations: () => answer('getOperations'),
      listTasks: () => answer('listTasks'),
      startFailover: () => answer('startFailover'),
      getTask: () => answer('getTask'),
      listDatacenters: () => answer('listDatacenters'),
      listServices: () => answer('listServices'),
      getSystemHealth: () => answer('getSystemHealth'),
      getSystemHealthLastCheck: () => answer('getSystemHealthLastCheck'),
      forgetSession: () => {
        this.sessionsForgotten += 1;
      },
      login: () => Promise.resolve(),
    } as unknown as VcenterClient;
  }
}
