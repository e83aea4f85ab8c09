/** The readiness gate's decisions as pure functions, without a server: which request comes next and what each answer decides. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyReading,
  initialReadiness,
  nextRequest,
  passVapi,
  readinessOptionsOf,
  readinessRecord,
  readinessVerdict,
  resumedReadiness,
  servicesNotServing,
  type ReadinessReading,
} from '../../src/domain/readiness';
import type { ReadinessState } from '../../src/contract/readiness';
import { currentFailoverDetails, type FailoverStatus } from '../../src/contract';

const SWITCH = { switchVcenterTime: '2026-12-06T10:02:05.000Z' };
const statuses = (state: ReadinessState) => Object.fromEntries(state.gates.map((gate) => [gate.gate, gate.status]));
const apply = (state: ReadinessState, ...readings: ReadinessReading[]) =>
  readings.reduce((current, reading) => applyReading(current, reading, SWITCH), state);

describe('readiness decisions', () => {
  it("asks in VMware's order, one gate after the other, nothing before the vAPI answered", () => {
    let state = initialReadiness([]);
    assert.equal(nextRequest(state), undefined);
    state = passVapi(state, 'answered');
    assert.equal(nextRequest(state), 'datacenters');
    state = apply(state, { request: 'datacenters', kind: 'answer', count: 1 });
    assert.equal(nextRequest(state), 'services');
    state = apply(state, { request: 'services', kind: 'answer', services: {} });
    assert.equal(nextRequest(state), 'lastcheck');
    state = apply(state, { request: 'lastcheck', kind: 'answer', at: '2026-12-06T10:03:00.000Z' });
    assert.equal(nextRequest(state), 'health');
    state = apply(state, { request: 'health', kind: 'answer', color: 'yellow' });
    assert.equal(nextRequest(state), undefined);
    assert.equal(readinessVerdict(state, false), 'ready');
    assert.equal(state.requests, 4);
  });

  it('counts only AUTOMATIC services, and a STARTED one that is DEGRADED does not serve', () => {
    assert.deepEqual(
      servicesNotServing({
        vpxd: { startup_type: 'AUTOMATIC', state: 'STARTED', health: 'HEALTHY_WITH_WARNINGS' },
        eam: { startup_type: 'AUTOMATIC', state: 'STARTED', health: 'DEGRADED' },
        trustmanagement: { startup_type: 'AUTOMATIC', state: 'STARTING' },
        rbd: { startup_type: 'MANUAL', state: 'STOPPED' },
        netdumper: { startup_type: 'DISABLED', state: 'STOPPED' },
      }),
      ['eam DEGRADED', 'trustmanagement STARTING'],
    );
  });

  it('a last check counts after the second of the switch read; orange, red and gray never count', () => {
    const vpxdUp = apply(passVapi(initialReadiness(['services']), 'answered'), {
      request: 'datacenters',
      kind: 'answer',
      count: 1,
    });
    const sameSecond = apply(vpxdUp, { request: 'lastcheck', kind: 'answer', at: '2026-12-06T10:02:05.999Z' });
    assert.equal(nextRequest(sameSecond), 'lastcheck');
    const newer = apply(sameSecond, { request: 'lastcheck', kind: 'answer', at: '2026-12-06T10:02:06.000Z' });
    assert.equal(nextRequest(newer), 'health');
    for (const color of ['orange', 'red', 'gray']) {
      const seen = apply(newer, { request: 'health', kind: 'answer', color });
      assert.equal(statuses(seen).applianceHealth, 'pending', color);
      assert.equal(readinessVerdict(seen, false), 'pending');
      assert.equal(readinessVerdict(seen, true), 'not-ready');
    }
  });

  it('without vCenter time of the switch, a last check counts only when later than the first one read after it', () => {
    const vpxdUp = applyReading(
      passVapi(initialReadiness(['services']), 'answered'),
      { request: 'datacenters', kind: 'answer', count: 1 },
      {},
    );
    const first = applyReading(vpxdUp, { request: 'lastcheck', kind: 'answer', at: '2026-12-06T11:00:00.000Z' }, {});
    assert.equal(first.firstLastCheck, '2026-12-06T11:00:00.000Z');
    const same = applyReading(first, { request: 'lastcheck', kind: 'answer', at: '2026-12-06T11:00:00.000Z' }, {});
    assert.equal(nextRequest(same), 'lastcheck');
    const later = applyReading(same, { request: 'lastcheck', kind: 'answer', at: '2026-12-06T11:05:00.000Z' }, {});
    assert.equal(nextRequest(later), 'health');
  });

  it('a 403 or 404 is not checked: ready without the services or the health, never without the vpxd read', () => {
    const base = passVapi(initialReadiness([]), 'answered');
    const narrow = apply(
      base,
      { request: 'datacenters', kind: 'answer', count: 2 },
      { request: 'services', kind: 'refused', status: 403, detail: 'GET /api/vcenter/services' },
      { request: 'lastcheck', kind: 'refused', status: 404, detail: 'GET /api/appliance/health/system/lastcheck' },
    );
    assert.deepEqual(statuses(narrow), {
      vapi: 'passed',
      vpxd: 'passed',
      services: 'not-checked',
      applianceHealth: 'not-checked',
    });
    assert.equal(readinessVerdict(narrow, false), 'ready');
    const noVpxd = apply(base, { request: 'datacenters', kind: 'refused', status: 403, detail: 'x' });
    assert.equal(readinessVerdict(noVpxd, false), 'not-ready');
  });

  it('an unanswered request keeps its gate pending with what it saw; the bound then ends it not ready', () => {
    const state = apply(passVapi(initialReadiness([]), 'answered'), {
      request: 'datacenters',
      kind: 'failed',
      detail: 'GET /api/vcenter/datacenter: HTTP 503',
    });
    assert.deepEqual(state.gates[1], {
      gate: 'vpxd',
      status: 'pending',
      seen: 'GET /api/vcenter/datacenter: HTTP 503',
    });
    assert.equal(readinessVerdict(state, false), 'pending');
    assert.equal(readinessVerdict(state, true), 'not-ready');
  });

  it("a resumed follow's vAPI gate waits for its own answered read; the other gates' passes stand", () => {
    const done = apply(
      passVapi(initialReadiness(['applianceHealth']), 'answered'),
      { request: 'datacenters', kind: 'answer', count: 1 },
      { request: 'services', kind: 'answer', services: {} },
    );
    assert.equal(readinessVerdict(done, false), 'ready');
    const resumed = resumedReadiness(done);
    assert.deepEqual(statuses(resumed), {
      vapi: 'pending',
      vpxd: 'passed',
      services: 'passed',
      applianceHealth: 'skipped',
    });
    assert.equal(resumed.gates[0]?.seen, 'no read answered since the follow resumed');
    assert.equal(nextRequest(resumed), undefined, 'no gate request before a role read answers');
    assert.equal(readinessVerdict(resumed, false), 'pending');
    assert.equal(readinessVerdict(resumed, true), 'not-ready');
    assert.equal(readinessVerdict(passVapi(resumed, 'answered'), false), 'ready');
    // A gate that never passed has nothing to take back.
    const fresh = initialReadiness([]);
    assert.equal(resumedReadiness(fresh), fresh);
  });

  it("the input's options: the bound and the gates turned off", () => {
    assert.deepEqual(
      readinessOptionsOf({ deadlines: { ready: 60_000 }, readiness: { services: true, applianceHealth: false } }),
      { withinMs: 60_000, skip: ['applianceHealth'] },
    );
    assert.deepEqual(statuses(initialReadiness(['applianceHealth'])).applianceHealth, 'skipped');
  });

  it("the Web UI's current details show the gates once the follow reported them", () => {
    const status: FailoverStatus = {
      phase: 'RECORDING',
      startedAt: '2026-12-06T10:00:00.000Z',
      timeline: [],
      observation: 'recording the outcome',
      cancelRequested: false,
    };
    assert.doesNotMatch(currentFailoverDetails(status), /Readiness/);
    const state = apply(passVapi(initialReadiness(['applianceHealth']), 'answered'), {
      request: 'datacenters',
      kind: 'answer',
      count: 1,
    });
    const details = currentFailoverDetails({ ...status, readiness: readinessRecord(state, false) });
    assert.match(
      details,
      /^- \*\*Readiness:\*\* pending: vapi passed, vpxd passed, services pending, applianceHealth skipped$/m,
    );
  });
});
