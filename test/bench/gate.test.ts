/** The benchmark gate's checks as a pure function: which figures fail CI, and the RSS limit override. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gateChecks, limitsFromEnv, renderGate, type GatedFigures } from '../../bench/gate';
import { BENCH_LIMITS, type BenchLimits } from '../../bench/limits';
import { gatePassedAfterReady } from '../../bench/run';

const limits: BenchLimits = {
  clusters: 100,
  historyEventsMax: 42,
  requestsPerPollIntervalWhileFollowingMax: 1,
  loginsPerRunMax: 2,
  readinessRequestsPerRunMax: 5,
  workerPeakRssMb: 600,
};

/** A result within every limit. */
const passing: GatedFigures = {
  clusters: 100,
  succeeded: 100,
  failoverPosts: 100,
  historyEvents: { min: 39, median: 39, max: 40 },
  requestsPerPollInterval: { max: 6, maxWhileFollowing: 1 },
  loginsPerRun: { max: 2 },
  readinessGate: { requestsPerRun: { max: 4 }, afterReadyMs: { min: 120, runs: 100 } },
  workerPeakRssMb: 512,
};

const failing = (figures: GatedFigures) =>
  gateChecks(figures, limits)
    .filter((check) => !check.ok)
    .map((check) => check.figure);

describe('benchmark gate', () => {
  it('passes a result within every limit, one check per gated figure', () => {
    const checks = gateChecks(passing, limits);
    assert.equal(checks.length, 10);
    assert.deepEqual(failing(passing), []);
  });

  it('fails each figure that crosses its limit, and only that one', () => {
    assert.deepEqual(failing({ ...passing, failoverPosts: 101 }), ['failover POSTs']);
    assert.deepEqual(failing({ ...passing, failoverPosts: 99 }), ['failover POSTs']);
    assert.deepEqual(failing({ ...passing, succeeded: 99 }), ['runs SUCCEEDED']);
    assert.deepEqual(failing({ ...passing, historyEvents: { min: 39, median: 39, max: 43 } }), [
      'history events (max of any run)',
    ]);
    assert.deepEqual(failing({ ...passing, requestsPerPollInterval: { max: 6, maxWhileFollowing: 2 } }), [
      'requests per poll interval while following (max)',
    ]);
    assert.deepEqual(failing({ ...passing, loginsPerRun: { max: 3 } }), ['logins per run (max)']);
    assert.deepEqual(failing({ ...passing, workerPeakRssMb: 601 }), ['worker peak RSS (MB)']);
    assert.deepEqual(failing({ ...passing, clusters: 10 }), ['failovers started']);
    const gate = passing.readinessGate;
    assert.deepEqual(failing({ ...passing, readinessGate: { ...gate, requestsPerRun: { max: 6 } } }), [
      'readiness gate requests per run (max)',
    ]);
    assert.deepEqual(failing({ ...passing, readinessGate: { ...gate, afterReadyMs: { min: 120, runs: 99 } } }), [
      'runs whose readiness gate passed',
    ]);
    // A gate that passed before the simulator's vCenter served in full would make SUCCEEDED untrue.
    assert.deepEqual(failing({ ...passing, readinessGate: { ...gate, afterReadyMs: { min: -3, runs: 100 } } }), [
      'readiness gate passed after vCenter served (ms, earliest)',
    ]);
  });

  it('fails a figure the benchmark could not measure', () => {
    assert.deepEqual(failing({ ...passing, workerPeakRssMb: NaN }), ['worker peak RSS (MB)']);
    const gate = passing.readinessGate;
    assert.deepEqual(failing({ ...passing, readinessGate: { ...gate, afterReadyMs: { min: NaN, runs: 0 } } }), [
      'runs whose readiness gate passed',
      'readiness gate passed after vCenter served (ms, earliest)',
    ]);
  });

  it('takes the RSS limit from VCHA_BENCH_RSS_LIMIT_MB, and names a bad value', () => {
    assert.equal(limitsFromEnv({}).workerPeakRssMb, BENCH_LIMITS.workerPeakRssMb);
    assert.equal(limitsFromEnv({ VCHA_BENCH_RSS_LIMIT_MB: '300' }).workerPeakRssMb, 300);
    assert.throws(() => limitsFromEnv({ VCHA_BENCH_RSS_LIMIT_MB: '300MB' }), /VCHA_BENCH_RSS_LIMIT_MB.*"300MB"/);
  });

  it('prints every figure with its limit and FAIL where crossed', () => {
    const text = renderGate(gateChecks({ ...passing, workerPeakRssMb: 700 }, limits));
    assert.match(text, /^FAIL +worker peak RSS \(MB\) +700 \(≤ 600\)$/m);
    assert.match(text, /^ok +failover POSTs +100 \(= 100\)$/m);
  });

  it('times the readiness gate by its last request, after vCenter served in full', () => {
    const at = (ms: number) => new Date(Date.UTC(2026, 11, 7, 3, 0, 0, ms)).toISOString();
    const readyAt = Date.parse(at(500));
    const requests = [
      { time: at(0), operation: 'cluster.get' },
      { time: at(100), operation: 'services.list' },
      { time: at(900), operation: 'health.system' },
      { time: at(950), operation: 'cluster.get' },
    ];
    assert.equal(gatePassedAfterReady(requests, readyAt), 400);
    assert.equal(gatePassedAfterReady(requests.slice(0, 2), readyAt), -400, 'a gate passed too early shows');
    assert.ok(Number.isNaN(gatePassedAfterReady(requests, undefined)), 'vCenter never served in full');
    assert.ok(Number.isNaN(gatePassedAfterReady([requests[0]!], readyAt)), 'no readiness request');
  });
});
