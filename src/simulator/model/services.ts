/**
 * The vCenter services of the node serving the API (`GET /api/vcenter/services`) and the
 * appliance's health (`GET /api/appliance/health/system` and its last check). Both belong to the
 * active node: after a switch, the new active node starts its services one by one (the vAPI
 * endpoint first, since it is what answers), and its appliance health keeps the last check made
 * before the switch until its own first periodic check runs.
 */
import { localizable, type LocalizableMessage } from './vapi-errors';

/** VcenterServicesServiceStartupType. */
export type ServiceStartupType = 'AUTOMATIC' | 'MANUAL' | 'DISABLED';
/** VcenterServicesServiceState. */
export type ServiceState = 'STARTING' | 'STOPPING' | 'STARTED' | 'STOPPED';
/** VcenterServicesServiceHealth (only meaningful while the service is STARTED). */
export type ServiceHealth = 'HEALTHY' | 'HEALTHY_WITH_WARNINGS' | 'DEGRADED';
/** ApplianceHealthSystemHealthLevel. */
export type HealthColor = 'green' | 'yellow' | 'orange' | 'red' | 'gray';

/** One service of the active node. */
export interface SimService {
  startupType: ServiceStartupType;
  state: ServiceState;
  health: ServiceHealth;
}

/** How a service ends after a switch when it does not simply start: stuck STARTING, or STOPPED. */
export type ServiceAfterSwitch = 'STARTING' | 'STOPPED';

/** The service ids a vCenter 7/8 appliance reports, in the order vmon starts them after a switch. */
const CATALOGUE: readonly { id: string; startupType: ServiceStartupType }[] = [
  { id: 'vmware-vpostgres', startupType: 'AUTOMATIC' },
  { id: 'lookupsvc', startupType: 'AUTOMATIC' },
  { id: 'envoy', startupType: 'AUTOMATIC' },
  { id: 'vapi-endpoint', startupType: 'AUTOMATIC' },
  { id: 'vpxd-svcs', startupType: 'AUTOMATIC' },
  { id: 'vpxd', startupType: 'AUTOMATIC' },
  { id: 'trustmanagement', startupType: 'AUTOMATIC' },
  { id: 'eam', startupType: 'AUTOMATIC' },
  { id: 'sps', startupType: 'AUTOMATIC' },
  { id: 'content-library', startupType: 'AUTOMATIC' },
  { id: 'vsphere-ui', startupType: 'AUTOMATIC' },
  { id: 'vcha', startupType: 'AUTOMATIC' },
  { id: 'imagebuilder', startupType: 'MANUAL' },
  { id: 'rbd', startupType: 'MANUAL' },
  { id: 'netdumper', startupType: 'DISABLED' },
];

/**
 * Services that are up as soon as the API answers again: the API cannot answer without them, so
 * a client never sees them down (it sees the outage instead).
 */
const UP_WITH_THE_API: ReadonlySet<string> = new Set(['vmware-vpostgres', 'lookupsvc', 'envoy', 'vapi-endpoint']);

/** Every service id the simulator knows. */
export const SERVICE_IDS: readonly string[] = CATALOGUE.map((entry) => entry.id);

/** The services of a node that has been running for a while: AUTOMATIC ones STARTED, the others STOPPED. */
export function steadyServices(): Map<string, SimService> {
  return new Map(
    CATALOGUE.map(({ id, startupType }) => [
      id,
      { startupType, state: startupType === 'AUTOMATIC' ? 'STARTED' : 'STOPPED', health: 'HEALTHY' },
    ]),
  );
}

/**
 * The services of a node that just took over: those the API needs are STARTED, every other
 * AUTOMATIC one STOPPED, waiting for its turn. Returns the ids still to start, in order.
 */
export function servicesAtTakeover(services: Map<string, SimService>): string[] {
  const toStart: string[] = [];
  for (const [id, service] of services) {
    if (service.startupType !== 'AUTOMATIC') {
      service.state = 'STOPPED';
    } else if (UP_WITH_THE_API.has(id)) {
      service.state = 'STARTED';
    } else {
      service.state = 'STOPPED';
      toStart.push(id);
    }
    service.health = 'HEALTHY';
  }
  return toStart;
}

/** The appliance's health as its last periodic check computed it. */
export interface ApplianceHealth {
  /** The color the checks compute on this appliance (the knob). */
  color: HealthColor;
  /** The color the last check reported. */
  reported: HealthColor;
  /** When the last check ran (epoch ms); with {@link checkEveryMs}, the first of the periodic ones. */
  lastCheckAt: number;
  /** After a switch's first check: the checks repeat this often (real ms), as the appliance's periodic checks do. */
  checkEveryMs?: number;
}

/** VcenterServicesServiceInfo as sent on the wire. */
export interface ServiceInfoWire {
  name_key: string;
  description_key: string;
  startup_type: ServiceStartupType;
  state: ServiceState;
  health?: ServiceHealth;
  health_messages?: LocalizableMessage[];
}

/** One service as the API reports it: health only while it is STARTED, as the spec says. */
export function renderServiceInfo(id: string, service: SimService): ServiceInfoWire {
  const info: ServiceInfoWire = {
    name_key: `cis.${id}.ServiceName`,
    description_key: `cis.${id}.ServiceDescription`,
    startup_type: service.startupType,
    state: service.state,
  };
  if (service.state !== 'STARTED') return info;
  info.health = service.health;
  info.health_messages =
    service.health === 'HEALTHY'
      ? []
      : [localizable(`cis.${id}.health.${service.health.toLowerCase()}`, `The ${id} service is ${service.health}.`)];
  return info;
}

/** When the appliance's last check ran at `now` (epoch ms): the first one, or the latest of its periodic repeats. */
export function lastApplianceCheckAt(appliance: ApplianceHealth, now: number): number {
  const every = appliance.checkEveryMs ?? 0;
  const since = now - appliance.lastCheckAt;
  return every > 0 && since > 0 ? appliance.lastCheckAt + Math.floor(since / every) * every : appliance.lastCheckAt;
}
