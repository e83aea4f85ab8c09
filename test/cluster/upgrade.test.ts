/**
 * Upgrade with a run in flight on the production topology: the scenario of
 * test/workflows/upgrade-scenario.ts (build A with a failover mid-outage, build B made current with
 * `temporal worker deployment set-current-version`, the run finishing on A with one POST, a new
 * run on B, A drained and stopped) on a two-node cluster of its own, reached through the
 * balancer's one address. Its own cluster because it adds the fast drainage settings to the
 * compose dynamic config: with the server's defaults (3 minutes each) DRAINED would take minutes.
 */
import { describe, it } from 'node:test';
import { onTeardown, testEnv, useTemporalServer } from '../harness/temporal';
import { startTemporalCluster } from '../harness/temporal-cluster';
import { describeFigures, FAST_DRAINAGE, runUpgradeScenario } from '../workflows/upgrade-scenario';

describe('upgrade with a failover in flight on a two-node Temporal cluster', async () => {
  const startedAt = Date.now();
  const cluster = await startTemporalCluster({
    dynamicConfig: FAST_DRAINAGE,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  // Registered first, so it runs after the scenario's workers have stopped (teardown is newest first).
  onTeardown(() => cluster.stop());
  process.stderr.write(`cluster ready in ${Date.now() - startedAt} ms (${cluster.serverVersion})\n`);
  useTemporalServer(cluster.address);
  const { client } = await testEnv();

  it('finishes the run on its build with one request, sends new runs to the new build, drains the old one', async (t) => {
    const figures = await runUpgradeScenario({ address: cluster.address, client, cli: cluster.cli });
    t.diagnostic(describeFigures(figures));
  });
});
