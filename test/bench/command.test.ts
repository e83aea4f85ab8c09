/** The command a kept benchmark result carries: the variables that shaped the run lead it, so it reproduces the row. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchCommand } from '../../bench/run';

describe('benchmark command', () => {
  it('is the arguments alone when no variable shaped the run', () => {
    assert.equal(
      benchCommand(['--clusters', '1000'], { PATH: '/usr/bin', HOME: '/root' }),
      'npm run bench -- --clusters 1000',
    );
  });

  it("leads with the benchmark's, the worker's and the allocator's variables, sorted, quoting what needs it", () => {
    assert.equal(
      benchCommand(['--clusters', '1000'], {
        PATH: '/usr/bin',
        VCHA_LEDGER_MAX_CACHED_WORKFLOWS: '20',
        MALLOC_ARENA_MAX: '2',
        BENCH_WORKER_NODE_ARGS: '--max-semi-space-size=4 --optimize-for-size',
        BENCH_EAGER: undefined,
      }),
      'BENCH_WORKER_NODE_ARGS="--max-semi-space-size=4 --optimize-for-size" MALLOC_ARENA_MAX=2 ' +
        'VCHA_LEDGER_MAX_CACHED_WORKFLOWS=20 npm run bench -- --clusters 1000',
    );
  });
});
