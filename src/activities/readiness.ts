/**
 * The readiness gate's requests, for the follow activity: one request per call of
 * {@link ReadinessCheck.step}, its answer judged by `domain/readiness.ts`, each gate's change
 * recorded as an observation. The follow decides when a step runs (at most one request per poll
 * interval, taking turns with the stability period's role reads) and what the verdict ends.
 */
import { log } from '@temporalio/activity';
import type { FollowHeartbeat } from '../contract';
import type { ReadinessGate, ReadinessOptions, ReadinessState } from '../contract/readiness';
import { describeGates } from '../contract/readiness';
import {
  applyReading,
  initialReadiness,
  nextRequest,
  passVapi,
  readinessRecord,
  type ReadinessContext,
  type ReadinessReading,
  type ReadinessRequest,
} from '../domain/readiness';
import type { VcenterClient } from '../vcenter';
import { isNotFound, isOutage, isUnauthorized } from '../vcenter/classify';
import { classOf } from './failures';
import { observe, observeReachable, observeUnreachable } from './observations';

/** What each gate's request is, for observations and errors. */
const REQUEST_PATHS: Record<ReadinessRequest, string> = {
  datacenters: 'GET /api/vcenter/datacenter',
  services: 'GET /api/vcenter/services',
  lastcheck: 'GET /api/appliance/health/system/lastcheck',
  health: 'GET /api/appliance/health/system',
};

/** The readiness gate of one follow attempt; its state lives in the follow's heartbeat (`readiness`). */
export class ReadinessCheck {
  constructor(
    private readonly state: FollowHeartbeat,
    /** The client of the address the cluster answers at now (it may move with a failover IP). */
    private readonly clientNow: () => VcenterClient,
    private readonly target: string,
    readonly options: ReadinessOptions,
    private readonly context: () => ReadinessContext,
  ) {}

  /** The gates' state, created when the gate starts (the cluster back), so earlier heartbeats show none. */
  private get readiness(): ReadinessState {
    return (this.state.readiness ??= initialReadiness(this.options.skip));
  }

  /** The vAPI gate: an answered read after the switch, made with a session the new active node accepted. */
  vapiAnswered(): void {
    const before = this.readiness;
    this.state.readiness = passVapi(before, 'the new active node answered a read with its own session');
    this.noteChanges(before);
  }

  /** Whether a gate still waits for a request. */
  get pending(): boolean {
    return nextRequest(this.readiness) !== undefined;
  }

  /** The verdict so far; `boundPassed`: the readiness bound passed. */
  verdict(boundPassed: boolean) {
    return readinessRecord(this.readiness, boundPassed);
  }

  /** One request for the next pending gate; its answer moves the gate (errors are readings, never thrown). */
  async step(): Promise<void> {
    const request = nextRequest(this.readiness);
    if (request === undefined) return;
    const reading = await this.read(request);
    const before = this.readiness;
    this.state.readiness = applyReading(before, reading, this.context());
    this.noteChanges(before);
  }

  private async read(request: ReadinessRequest): Promise<ReadinessReading> {
    try {
      switch (request) {
        case 'datacenters': {
          const count = (await this.clientNow().listDatacenters()).length;
          observeReachable(this.state);
          return { request, kind: 'answer', count };
        }
        case 'services': {
          const services = await this.clientNow().listServices();
          observeReachable(this.state);
          return { request, kind: 'answer', services };
        }
        case 'lastcheck': {
          const at = await this.clientNow().getSystemHealthLastCheck();
          observeReachable(this.state);
          return { request, kind: 'answer', at: at.toISOString() };
        }
        case 'health': {
          const color = await this.clientNow().getSystemHealth();
          observeReachable(this.state);
          return { request, kind: 'answer', color };
        }
      }
    } catch (error) {
      const errorClass = classOf(error);
      const where = REQUEST_PATHS[request];
      if (isUnauthorized(errorClass) || isNotFound(errorClass)) {
        observeReachable(this.state);
        return { request, kind: 'refused', status: isUnauthorized(errorClass) ? 403 : 404, detail: where };
      }
      if (isOutage(errorClass)) {
        const reason = errorClass.kind === 'gateway' ? `HTTP ${errorClass.status}` : errorClass.kind;
        observeUnreachable(this.state, reason);
        return { request, kind: 'failed', detail: `${where}: ${reason}` };
      }
      observeReachable(this.state);
      return { request, kind: 'failed', detail: `${where}: ${errorClass.detail}` };
    }
  }

  /** An observation for every gate whose status changed, and for a pending gate's new sight. */
  private noteChanges(before: ReadinessState): void {
    for (const after of this.readiness.gates) {
      const was = before.gates.find((gate) => gate.gate === after.gate)!;
      if (was.status === after.status && was.seen === after.seen) continue;
      this.noteGate(after.gate, after.status, after.seen);
    }
  }

  private noteGate(gate: ReadinessGate, status: string, seen: string | undefined): void {
    const text = `readiness: ${gate} ${status}${seen ? `: ${seen}` : ''}`;
    // A pending gate's sights replace each other; every change of status stays in the list.
    observe(this.state, text, status === 'pending' ? `readiness-${gate}-pending` : text);
    if (status === 'not-checked') {
      log.warn('readiness gate not checked', { target: this.target, gate, seen });
    }
  }

  /** The gates in one line, for the end's observation. */
  describe(): string {
    return describeGates(this.readiness.gates);
  }
}
