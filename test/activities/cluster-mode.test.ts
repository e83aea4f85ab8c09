/**
 * The mode-set activity alone (MockActivityEnvironment) against the simulator: it sets the mode
 * and follows the task, sends nothing when the cluster already has the mode, waits (retryably)
 * for a HEALTHY cluster, and says what is final: a task vCenter ended FAILED, a missing privilege.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { makeSetClusterMode, type SetClusterModeResult } from '../../src/activities/cluster-mode';
import type { ClusterMode } from '../../src/contract';
import { useFastSimulator } from '../simulator/helpers';
import { TestClients } from '../vcenter/clients';
import { depsFor } from './deps';

const clients = new TestClients();
after(() => clients.closeAll());

describe('setClusterMode activity', () => {
  const suite = useFastSimulator(['m1']);
  const cluster = () => suite.sim.cluster('m1');
  const modeSets = () =>
    cluster()
      .requestLog()
      .filter((r) => r.operation === 'cluster.mode.set').length;

  function setMode(mode: ClusterMode): Promise<SetClusterModeResult> {
    const client = clients.create(suite.sim.urlFor('m1'), suite.sim);
    return new MockActivityEnvironment().run(makeSetClusterMode(depsFor(client)), {
      target: 'lab',
      mode,
      pollInterval: 50,
    });
  }

  async function failureOf(run: Promise<unknown>): Promise<ApplicationFailure> {
    try {
      await run;
    } catch (error) {
      assert.ok(error instanceof ApplicationFailure, String(error));
      return error;
    }
    assert.fail('the activity did not fail');
  }

  it('sets MAINTENANCE, follows the task to its end, and reads the mode back', async () => {
    const result = await setMode('MAINTENANCE');
    assert.equal(result.from, 'ENABLED');
    assert.equal(result.to, 'MAINTENANCE');
    assert.equal(result.changed, true);
    assert.match(result.taskId ?? '', /:com\.vmware\.vcenter\.vcha\.cluster\.mode$/);
    assert.equal(cluster().snapshot().mode, 'MAINTENANCE');
    assert.equal(modeSets(), 1);
  });

  it('sends nothing when the cluster already has the mode, so it may be retried', async () => {
    cluster().configure({ mode: 'MAINTENANCE' });
    assert.deepEqual(await setMode('MAINTENANCE'), { from: 'MAINTENANCE', to: 'MAINTENANCE', changed: false });
    assert.equal(modeSets(), 0);
  });

  it('waits for a HEALTHY cluster through retries instead of starting a task vCenter would fail', async () => {
    cluster().configure({ mode: 'MAINTENANCE', healthState: 'DEGRADED' });
    const failure = await failureOf(setMode('ENABLED'));
    assert.equal(failure.type, 'ModeNeedsHealthy');
    assert.equal(failure.nonRetryable, false);
    assert.match(failure.message, /from MAINTENANCE to ENABLED only when the cluster is HEALTHY; it is DEGRADED/);
    assert.equal(modeSets(), 0);
  });

  it("ends final with vCenter's words when the mode task ends FAILED", async () => {
    cluster().configure({ mode: 'DISABLED' });
    const failure = await failureOf(setMode('MAINTENANCE'));
    assert.equal(failure.type, 'ModeNotSet');
    assert.equal(failure.nonRetryable, true);
    assert.match(
      failure.message,
      /from DISABLED to MAINTENANCE ended FAILED: .*cannot change from DISABLED to MAINTENANCE/,
    );
    assert.equal(cluster().snapshot().mode, 'DISABLED');
  });

  it('names the privilege the set needs when vCenter answers 403', async () => {
    cluster().configure({
      faults: {
        rules: [
          { operation: 'cluster.mode.set', action: 'respond', status: 403, body: 'vapi', errorType: 'UNAUTHORIZED' },
        ],
      },
    });
    const failure = await failureOf(setMode('MAINTENANCE'));
    assert.equal(failure.type, 'NotAuthorized');
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, /needs the Global\.VCServer privilege/);
    assert.equal(cluster().snapshot().mode, 'ENABLED');
  });
});
