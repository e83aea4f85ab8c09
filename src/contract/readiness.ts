/**
 * The readiness gate's shapes: after the switch and health, whether the new active vCenter serves.
 * The follow activity heartbeats them (live, for the CLI), returns them, and the record, the
 * `status` query and the Web UI's details carry them. Plain data: workflows read them too.
 */

/**
 * The gates, in the order they are checked (VMware's own lab automation waits for them in this
 * order): the vAPI endpoint answers with a session, vpxd answers (`GET /api/vcenter/datacenter`),
 * every AUTOMATIC service is STARTED and not DEGRADED (`GET /api/vcenter/services`), and the
 * appliance's health is acceptable with a last check newer than the switch
 * (`GET /api/appliance/health/system/lastcheck`, then `…/system`).
 */
export const READINESS_GATES = ['vapi', 'vpxd', 'services', 'applianceHealth'] as const;

/** One readiness gate. */
export type ReadinessGate = (typeof READINESS_GATES)[number];

/** The gates an input may skip; the vAPI session and the vpxd read always count. */
export const SKIPPABLE_GATES = ['services', 'applianceHealth'] as const satisfies readonly ReadinessGate[];

/**
 * Where a gate is: `pending` (not passed yet), `passed`, `not-checked` (the account may not make
 * the call, 403, or this vCenter release lacks it, 404: nothing is guessed) or `skipped` (the
 * input narrowed the gate).
 */
export type GateStatus = 'pending' | 'passed' | 'not-checked' | 'skipped';

/** One gate as last seen. */
export interface GateReport {
  gate: ReadinessGate;
  status: GateStatus;
  /** What the gate's last request saw, in words (e.g. "trustmanagement STARTING"). */
  seen?: string;
}

/** What the follow asks of the readiness gate: its bound and which gates the input skips. */
export interface ReadinessOptions {
  /** How long (ms, the follow's own clock) after the cluster was back vCenter may take to serve. */
  withinMs: number;
  /** Gates the input skipped. */
  skip: ReadinessGate[];
}

/** The gate's state: every gate's report, plus what the appliance-health gate carries between requests. */
export interface ReadinessState {
  gates: GateReport[];
  /** A last check newer than the switch was seen: the next appliance-health request reads the color. */
  lastCheckNew?: boolean;
  /**
   * Without vCenter's time of the switch: the first last check read after it. Only a later one is
   * known to be newer than the switch.
   */
  firstLastCheck?: string;
  /** How many readiness requests the follow made (for the record and the benchmark). */
  requests: number;
}

/** The gates as the record, the `status` query and the Web UI show them. */
export interface ReadinessRecord {
  /** `ready`: every gate passed, not checked or skipped; `not-ready`: one did not pass in time; `pending`: still checking. */
  verdict: 'ready' | 'not-ready' | 'pending';
  gates: GateReport[];
  requests: number;
}

const STATUSES: readonly string[] = ['pending', 'passed', 'not-checked', 'skipped'] satisfies GateStatus[];

/** A readiness state in heartbeat details, or undefined when `value` is not one (wrong fields are dropped). */
export function readReadinessState(value: unknown): ReadinessState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const raw = value as Record<string, unknown>;
  if (!Array.isArray(raw.gates)) return undefined;
  const gates: GateReport[] = [];
  for (const entry of raw.gates as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { gate, status, seen } = entry as Record<string, unknown>;
    if (!(READINESS_GATES as readonly unknown[]).includes(gate) || !STATUSES.includes(status as string)) continue;
    gates.push({
      gate: gate as ReadinessGate,
      status: status as GateStatus,
      ...(typeof seen === 'string' ? { seen } : {}),
    });
  }
  if (gates.length !== READINESS_GATES.length) return undefined;
  const state: ReadinessState = {
    gates,
    requests: typeof raw.requests === 'number' && Number.isFinite(raw.requests) ? raw.requests : 0,
  };
  if (raw.lastCheckNew === true) state.lastCheckNew = true;
  if (typeof raw.firstLastCheck === 'string') state.firstLastCheck = raw.firstLastCheck;
  return state;
}

/** The gates in one line, e.g. "vapi passed, vpxd passed, services pending (eam STARTING), applianceHealth skipped". */
export function describeGates(gates: readonly GateReport[]): string {
  return gates
    .map((gate) => `${gate.gate} ${gate.status}${gate.seen && gate.status !== 'passed' ? ` (${gate.seen})` : ''}`)
    .join(', ');
}
