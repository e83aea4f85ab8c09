/**
 * The preflight activity against the simulator: the mode comes from the cluster info, and the mode
 * call is made only when vCenter leaves the info's mode unset.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { PreflightReport } from '../../src/activities';
import { makePreflight } from '../../src/activities/preflight';
import { startSimulator, type Simulator } from '../../src/simulator';
import { VcenterClient } from '../../src/vcenter';
import { depsFor } from './deps';

describe('preflight activity', () => {
  let sim: Simulator;
  let client: VcenterClient;

  before(async () => {
    sim = await startSimulator({ clusters: ['lab'] });
    client = new VcenterClient({ baseUrl: sim.urlFor('lab'), username: sim.username, password: sim.password });
  });
  after(async () => {
    await client.close();
    await sim.close();
  });

  /** Runs preflight with `vcenter` as the target's client and returns the operations vCenter saw. */
  async function preflightWith(vcenter: VcenterClient) {
    const deps = depsFor(vcenter);
    const seenBefore = sim.requestLog('lab').length;
    const report: PreflightReport = await new MockActivityEnvironment().run(makePreflight(deps), {
      target: 'lab',
      planned: true,
    });
    const operations = sim
      .requestLog('lab')
      .slice(seenBefore)
      .map((r) => r.operation);
    return { report, operations };
  }

  it('reads the mode from the cluster info: two reads, no mode call', async () => {
    await client.login();
    const { report, operations } = await preflightWith(client);
    assert.deepEqual(operations, ['cluster.get', 'operations.get']);
    assert.equal(report.snapshot.mode, 'ENABLED');
    assert.deepEqual(
      report.checks.filter((c) => !c.ok),
      [],
    );
  });

  it('asks for the mode when the cluster info leaves it unset, and still judges it', async () => {
    sim.cluster('lab').configure({ mode: 'DISABLED' });
    const withoutMode = new Proxy(client, {
      get(target, key, receiver) {
        if (key === 'getClusterTimed') {
          return async (...args: Parameters<VcenterClient['getClusterTimed']>) => {
            const read = await target.getClusterTimed(...args);
            const { mode: _mode, ...info } = read.value;
            return { ...read, value: info };
          };
        }
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const { report, operations } = await preflightWith(withoutMode);
    assert.deepEqual(operations, ['cluster.get', 'cluster.mode.get', 'operations.get']);
    assert.equal(report.snapshot.mode, 'DISABLED');
    assert.ok(report.checks.some((c) => c.id === 'mode' && !c.ok));
  });
});
