/** The benchmark gate's checks as a pure function: which figures fail CI, and the RSS limit override. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gateChecks, limitsFromEnv, renderGate, type GatedFigures } from '../../bench/gate';
import { BENCH_LIMITS, type BenchLimits } from '../../bench/limits';

const limits: BenchLimits = {
  clusters: 100,
  historyEventsMax: 42,
  requestsPerPollIntervalWhileFollowingMax: 1,
  loginsPerRunMax: 2,
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
  workerPeakRssMb: 512,
};

const failing = (figures: GatedFigures) =>
  gateChecks(figures, limits)
    .filter((check) => !check.ok)
    .map((check) => check.figure);

describe('benchmark gate', () => {
  it('passes a result within every limit, one check per gated figure', () => {
    const checks = gateChecks(passing, limits);
    assert.equal(checks.length, 7);
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
  });

  it('fails a figure the benchmark could not measure', () => {
    assert.deepEqual(failing({ ...passing, workerPeakRssMb: NaN }), ['worker peak RSS (MB)']);
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
});
