/** Setting the VCHA cluster mode: the transitions the spec allows, the no-op, and what MAINTENANCE changes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pollUntil, useFastSimulator } from './helpers';

type TaskInfo = { status: string; error?: { error_type: string; messages: { default_message: string }[] } };

describe('cluster mode set (port-per-cluster)', () => {
  const suite = useFastSimulator(['m1']);

  /** Sets the mode and waits for its task to end; returns the task's final info. */
  async function setMode(mode: string): Promise<TaskInfo> {
    const started = await suite.vc.call('PUT', '/api/vcenter/vcha/cluster/mode?vmw-task=true', { body: { mode } });
    assert.equal(started.status, 202, started.text);
    const taskId = started.body as string;
    return pollUntil(
      async () => (await suite.vc.task(taskId)).body as TaskInfo,
      (info) => info.status === 'SUCCEEDED' || info.status === 'FAILED',
      3_000,
    );
  }

  async function readMode(): Promise<string> {
    return ((await suite.vc.call('GET', '/api/vcenter/vcha/cluster/mode')).body as { mode: string }).mode;
  }

  it('enters MAINTENANCE from a healthy ENABLED cluster: automatic failover off, manual still allowed', async () => {
    assert.equal((await setMode('MAINTENANCE')).status, 'SUCCEEDED');
    assert.equal(await readMode(), 'MAINTENANCE');
    const info = (await suite.vc.clusterGet(true)).body as {
      auto_failover_allowed: boolean;
      manual_failover_allowed: boolean;
    };
    assert.equal(info.auto_failover_allowed, false);
    assert.equal(info.manual_failover_allowed, true);
    assert.equal((await setMode('ENABLED')).status, 'SUCCEEDED');
    assert.equal(
      ((await suite.vc.clusterGet(true)).body as { auto_failover_allowed: boolean }).auto_failover_allowed,
      true,
    );
  });

  it('succeeds without changing anything when the mode is already the one asked for', async () => {
    suite.sim.cluster('m1').configure({ mode: 'MAINTENANCE', healthState: 'DEGRADED' });
    assert.equal((await setMode('MAINTENANCE')).status, 'SUCCEEDED');
    assert.equal(await readMode(), 'MAINTENANCE');
  });

  it('ends the task FAILED with NOT_ALLOWED_IN_CURRENT_STATE for a transition the spec does not allow', async () => {
    suite.sim.cluster('m1').configure({ mode: 'DISABLED' });
    const task = await setMode('MAINTENANCE');
    assert.equal(task.status, 'FAILED');
    assert.equal(task.error?.error_type, 'NOT_ALLOWED_IN_CURRENT_STATE');
    assert.match(task.error?.messages[0]?.default_message ?? '', /from DISABLED to MAINTENANCE/);
    assert.equal(await readMode(), 'DISABLED');
  });

  it('needs a healthy cluster to enter MAINTENANCE, while ENABLED → DISABLED is allowed when degraded', async () => {
    suite.sim.cluster('m1').configure({ healthState: 'DEGRADED' });
    const refused = await setMode('MAINTENANCE');
    assert.equal(refused.status, 'FAILED');
    assert.match(refused.error?.messages[0]?.default_message ?? '', /only when the cluster is HEALTHY; it is DEGRADED/);
    assert.equal(await readMode(), 'ENABLED');
    assert.equal((await setMode('DISABLED')).status, 'SUCCEEDED');
    assert.equal(await readMode(), 'DISABLED');
  });
});
