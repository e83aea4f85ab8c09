/**
 * The readiness gate's decisions: after the switch and health, whether the new active vCenter
 * serves. A switched cluster is not yet a usable vCenter: its services start one by one, vpxd can
 * be down while the vAPI answers, and the appliance's health right after a switch is the last check
 * of the old node. The follow activity makes one request per poll interval ({@link nextRequest}),
 * hands each answer to {@link applyReading} and asks {@link readinessVerdict}. Pure (plain data,
 * no I/O, no clock), so every case is unit-tested without a server.
 *
 * The rules: the vAPI session and the vpxd read must pass; every AUTOMATIC service STARTED and not
 * DEGRADED; the appliance's color green or yellow from a check newer than the switch. A call the
 * account may not make (403) or the release lacks (404) leaves its gate "not checked", never
 * guessed: for the services and the appliance health the run can still be ready (the cluster proof
 * stands, a narrower account is the operator's choice); for the vpxd read it cannot.
 */
import type { GateReport, GateStatus, ReadinessGate, ReadinessRecord, ReadinessState } from '../contract/readiness';
import { READINESS_GATES } from '../contract/readiness';

/** The gates that must pass: without them nothing serves, whatever the account may read. */
export const REQUIRED_GATES: readonly ReadinessGate[] = ['vapi', 'vpxd'];

/**
 * Appliance health colors that count as serving: green, and yellow (a warning, such as a filling
 * disk, that does not stop vCenter serving). Orange and red are degraded; gray means unknown and
 * proves nothing.
 */
export const ACCEPTABLE_HEALTH: readonly string[] = ['green', 'yellow'];

/** The `Date` header has whole seconds: vCenter's time of a read may be up to this much later than it says. */
const DATE_HEADER_RESOLUTION_MS = 1_000;

/** One request of the gate: the vpxd read, the services, the appliance's last check, its color. */
export type ReadinessRequest = 'datacenters' | 'services' | 'lastcheck' | 'health';

/** One service as `GET /api/vcenter/services` lists it (only the fields the gate reads). */
export interface ServiceReading {
  startup_type: string;
  state: string;
  health?: string;
}

/** What one readiness request got. */
export type ReadinessReading =
  | { request: 'datacenters'; kind: 'answer'; count: number }
  | { request: 'services'; kind: 'answer'; services: Record<string, ServiceReading> }
  | { request: 'lastcheck'; kind: 'answer'; at: string }
  | { request: 'health'; kind: 'answer'; color: string }
  /** 403 (the account may not) or 404 (this release lacks the call): the gate is not checked. */
  | { request: ReadinessRequest; kind: 'refused'; status: 403 | 404; detail: string }
  /** No usable answer (an outage, a 503, an error): the gate stays pending. */
  | { request: ReadinessRequest; kind: 'failed'; detail: string };

/** What a reading is judged against. */
export interface ReadinessContext {
  /**
   * vCenter's time (ISO, its `Date` header) of the read that showed the switch. Absent (vCenter sent
   * none): a last check counts as newer than the switch only when it is later than the first one
   * read after the switch.
   */
  switchVcenterTime?: string;
}

/** The gate's state before its first request: every gate pending, the skipped ones skipped. */
export function initialReadiness(skip: readonly ReadinessGate[]): ReadinessState {
  return {
    gates: READINESS_GATES.map((gate) => ({ gate, status: skip.includes(gate) ? 'skipped' : 'pending' })),
    requests: 0,
  };
}

function gateOf(state: ReadinessState, gate: ReadinessGate): GateReport {
  return state.gates.find((report) => report.gate === gate)!;
}

function withGate(state: ReadinessState, gate: ReadinessGate, status: GateStatus, seen: string): ReadinessState {
  return {
    ...state,
    gates: state.gates.map((report) => (report.gate === gate ? { gate, status, seen } : report)),
  };
}

/** The vAPI gate passes on an answered, authenticated read after the switch: the new node served it with its own session. */
export function passVapi(state: ReadinessState, seen: string): ReadinessState {
  return gateOf(state, 'vapi').status === 'pending' ? withGate(state, 'vapi', 'passed', seen) : state;
}

/**
 * The gate's state for a retried follow attempt that resumes after the cluster was back: the vAPI
 * gate waits again for a read answered to this attempt. The lost attempt's session and reads prove
 * nothing about the time since; the other gates' passes stand (a read of them again would add a
 * request per gate for no new proof once the roles are read again).
 */
export function resumedReadiness(state: ReadinessState): ReadinessState {
  return gateOf(state, 'vapi').status === 'passed'
    ? withGate(state, 'vapi', 'pending', 'no read answered since the follow resumed')
    : state;
}

/** The next request the gate needs, in VMware's order; undefined when no gate waits for one. */
export function nextRequest(state: ReadinessState): ReadinessRequest | undefined {
  if (gateOf(state, 'vapi').status === 'pending') return undefined;
  if (gateOf(state, 'vpxd').status === 'pending') return 'datacenters';
  if (gateOf(state, 'services').status === 'pending') return 'services';
  if (gateOf(state, 'applianceHealth').status === 'pending') return state.lastCheckNew ? 'health' : 'lastcheck';
  return undefined;
}

const GATE_OF: Record<ReadinessRequest, ReadinessGate> = {
  datacenters: 'vpxd',
  services: 'services',
  lastcheck: 'applianceHealth',
  health: 'applianceHealth',
};

/** The gate a request serves. */
export function gateOfRequest(request: ReadinessRequest): ReadinessGate {
  return GATE_OF[request];
}

/** The AUTOMATIC services that do not serve yet, in words ("trustmanagement STARTING, eam DEGRADED"); empty when all do. */
export function servicesNotServing(services: Record<string, ServiceReading>): string[] {
  return Object.entries(services)
    .filter(([, info]) => info.startup_type === 'AUTOMATIC')
    .filter(([, info]) => info.state !== 'STARTED' || info.health === 'DEGRADED')
    .map(([id, info]) => `${id} ${info.state === 'STARTED' ? 'DEGRADED' : info.state}`)
    .sort();
}

/** Whether a last check (ISO) is known to be newer than the switch. */
function lastCheckIsNew(at: string, state: ReadinessState, context: ReadinessContext): boolean {
  const checked = Date.parse(at);
  if (!Number.isFinite(checked)) return false;
  const switched = context.switchVcenterTime === undefined ? NaN : Date.parse(context.switchVcenterTime);
  // The switch happened before the read that showed it, which vCenter answered within a second after its Date.
  if (Number.isFinite(switched)) return checked >= switched + DATE_HEADER_RESOLUTION_MS;
  const first = state.firstLastCheck === undefined ? NaN : Date.parse(state.firstLastCheck);
  return Number.isFinite(first) && checked > first;
}

/** The gate's state after one reading; each request counts. */
export function applyReading(
  before: ReadinessState,
  reading: ReadinessReading,
  context: ReadinessContext,
): ReadinessState {
  const state: ReadinessState = { ...before, requests: before.requests + 1 };
  const gate = gateOfRequest(reading.request);
  if (reading.kind === 'refused') {
    const why = reading.status === 403 ? 'the account may not make this call' : 'this vCenter release lacks this call';
    return withGate(state, gate, 'not-checked', `HTTP ${reading.status}: ${why} (${reading.detail})`);
  }
  if (reading.kind === 'failed') return withGate(state, gate, 'pending', reading.detail);
  switch (reading.request) {
    case 'datacenters':
      return withGate(
        state,
        'vpxd',
        'passed',
        `vpxd answers (${reading.count} datacenter${reading.count === 1 ? '' : 's'})`,
      );
    case 'services': {
      const waiting = servicesNotServing(reading.services);
      if (waiting.length > 0) return withGate(state, 'services', 'pending', waiting.join(', '));
      const automatic = Object.values(reading.services).filter((info) => info.startup_type === 'AUTOMATIC').length;
      return withGate(state, 'services', 'passed', `all ${automatic} AUTOMATIC services STARTED`);
    }
    case 'lastcheck': {
      if (lastCheckIsNew(reading.at, state, context)) {
        return { ...withGate(state, 'applianceHealth', 'pending', `last check ${reading.at}`), lastCheckNew: true };
      }
      const reference =
        context.switchVcenterTime !== undefined
          ? `the switch (${context.switchVcenterTime}, vCenter's time)`
          : `the first one read after the switch (${state.firstLastCheck ?? reading.at})`;
      const next = withGate(
        state,
        'applianceHealth',
        'pending',
        `last check ${reading.at} is not newer than ${reference}`,
      );
      return context.switchVcenterTime === undefined && state.firstLastCheck === undefined
        ? { ...next, firstLastCheck: reading.at }
        : next;
    }
    case 'health':
      return ACCEPTABLE_HEALTH.includes(reading.color)
        ? withGate(state, 'applianceHealth', 'passed', `health ${reading.color}, checked after the switch`)
        : withGate(state, 'applianceHealth', 'pending', `health ${reading.color}, checked after the switch`);
  }
}

/**
 * Ready when every gate passed, was not checked or was skipped and the required ones passed; not
 * ready at once when a required gate cannot be checked (no waiting cures a 403), or when the bound
 * passed with a gate still pending; otherwise keep checking.
 */
export function readinessVerdict(state: ReadinessState, boundPassed: boolean): ReadinessRecord['verdict'] {
  if (REQUIRED_GATES.some((gate) => gateOf(state, gate).status === 'not-checked')) return 'not-ready';
  if (state.gates.every((report) => report.status !== 'pending')) return 'ready';
  return boundPassed ? 'not-ready' : 'pending';
}

/** The record's view of the gate. */
export function readinessRecord(state: ReadinessState, boundPassed: boolean): ReadinessRecord {
  return {
    verdict: readinessVerdict(state, boundPassed),
    gates: state.gates.map((gate) => ({ ...gate })),
    requests: state.requests,
  };
}

/** The follow's readiness options from a validated input: `deadlines.ready` and the gates `readiness` turns off. */
export function readinessOptionsOf(input: {
  deadlines: { ready: number };
  readiness: { services: boolean; applianceHealth: boolean };
}): { withinMs: number; skip: ReadinessGate[] } {
  const skip: ReadinessGate[] = [];
  if (!input.readiness.services) skip.push('services');
  if (!input.readiness.applianceHealth) skip.push('applianceHealth');
  return { withinMs: input.deadlines.ready, skip };
}
