/**
 * Upgrade with a run in flight, on Worker Deployment Versioning, on a dev server of the test's own
 * (the project's dynamic config plus fast drainage): the scenario in ./upgrade-scenario.ts. The
 * cluster tests run the same scenario on the two-node cluster (test/cluster/upgrade.test.ts).
 */
import { describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { startDevServer } from '../../src/devtools/dev-server';
import { resolveTemporalCli } from '../../src/devtools/temporal-cli';
import { TEST_ENV } from '../harness/env';
import { onTeardown } from '../harness/temporal';
import { describeFigures, FAST_DRAINAGE_VALUES, runUpgradeScenario } from './upgrade-scenario';

const temporalCli = () =>
  process.env[TEST_ENV.cli] ?? resolveTemporalCli({ allowSdkDownload: false, log: () => {} }).executable!;

describe('upgrade with a failover in flight', () => {
  it('finishes the run on its build with one request, sends new runs to the new build, drains the old one', async (t) => {
    const cli = temporalCli();
    const server = await startDevServer({ executable: cli, dynamicConfig: [...FAST_DRAINAGE_VALUES] });
    const connection = await Connection.connect({ address: server.address });
    onTeardown(async () => {
      await connection.close();
      await server.stop();
    });
    const figures = await runUpgradeScenario({ address: server.address, client: new Client({ connection }), cli });
    t.diagnostic(describeFigures(figures));
  });
});
