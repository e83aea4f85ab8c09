/**
 * `vcha-failover ledger` and `acknowledge` as a user runs them (child processes) against the dev
 * server and the simulator: a run terminated after its claim leaves its request unresolved; the
 * ledger shows it; an acknowledgement is refused while the terminated run still holds the lock
 * and after it was settled, each time in one line with exit code 1; in between it settles the
 * request and the next failover is sent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterIdentityOf } from '../../src/contract';
import { acknowledgeJson, ledgerJson } from '../../src/cli/json-shapes';
import { failureOf } from '../workflows/assertions';
import { waitForPhase } from '../workflows/wait';
import { startCliLab } from './cli-lab';
import { runCli } from './run-cli';

describe('vcha-failover ledger / acknowledge', async () => {
  // Every failover POST is lost before vCenter sees it: the cluster never shows the request.
  const { lab, cliEnv: env } = await startCliLab({
    lost: { faults: { rules: [{ operation: 'cluster.failover', action: 'reset' }] } },
  });
  const { members } = lab.sim.cluster('lost').snapshot();
  const cluster = clusterIdentityOf([members.node1.haIp, members.node2.haIp, members.witness.haIp])!;
  const planned = { target: 'lost', planned: true, pollInterval: '1s', requestedBy: 'alice' };

  it('shows an unresolved request, refuses a premature or repeated acknowledgement, settles it once', async () => {
    const lost = await lab.start(planned, `cli-ledger-lost-${Date.now()}`);
    await waitForPhase(lost, 'FAILING_OVER');
    const lostRunId = (await lost.describe()).runId;
    await lost.terminate('terminated while following');

    const shown = await runCli(['ledger', cluster], env);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(`^cluster: +${cluster} \\(workflow vcha-cluster-${cluster}\\)$`, 'm'));
    assert.match(shown.stdout, /^reached as: +lost$/m);
    assert.match(
      shown.stdout,
      new RegExp(`^held by: +${lost.workflowId} \\(run ${lostRunId}\\), vchaFailover as lost`, 'm'),
    );
    assert.match(
      shown.stdout,
      new RegExp(
        `^unresolved:\\n {2}\\S+ {2}${lost.workflowId} \\(run ${lostRunId}, as lost\\): claimed UNRESOLVED$`,
        'm',
      ),
    );
    const json = await runCli(['ledger', cluster, '-o', 'json'], env);
    assert.equal(json.code, 0, json.stderr);
    const document = ledgerJson.parse(JSON.parse(json.stdout));
    assert.deepEqual(
      document.unresolved.map((entry) => [entry.workflowId, entry.state]),
      [[lost.workflowId, 'claimed']],
    );
    assert.equal(document.holder?.workflowId, lost.workflowId);

    const missing = await runCli(['acknowledge', lost.workflowId, '--cluster', cluster, '--by', 'bob'], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--reason is required/);
    const badCluster = await runCli(
      ['acknowledge', lost.workflowId, '--cluster', 'lost', '--by', 'bob', '--reason', 'x'],
      env,
    );
    assert.equal(badCluster.code, 2);
    assert.match(badCluster.stderr, /--cluster: expected a cluster's identity/);

    // The terminated run is still the lock's holder until a run of the cluster takes it over.
    const acknowledge = ['acknowledge', lost.workflowId, '--cluster', cluster, '--by', 'bob', '--reason', 'no task'];
    const early = await runCli(acknowledge, env);
    assert.equal(early.code, 1);
    assert.equal(early.stderr.trim().split('\n').length, 1, early.stderr);
    assert.match(
      early.stderr,
      new RegExp(
        `acknowledge refused by the ledger of cluster ${cluster}: run ${lostRunId} .*still holds the cluster.* \\(that run has ended TERMINATED: the next run of the cluster takes its lock over, a --dry-run of lost too; then acknowledge again\\)`,
      ),
    );

    // A dry run of the target takes the lock over from the closed run (and releases it).
    const refused = await lab.start({ ...planned, dryRun: true }, `cli-ledger-dry-run-${Date.now()}`);
    await failureOf(refused, 'UnresolvedFailover');
    assert.equal(lab.failoverPosts('lost'), 1);

    const settled = await runCli([...acknowledge, '-o', 'json'], env);
    assert.equal(settled.code, 0, settled.stderr);
    const entry = acknowledgeJson.parse(JSON.parse(settled.stdout)).entry;
    assert.equal(entry.workflowId, lost.workflowId);
    assert.deepEqual(
      [entry.settled?.by, entry.settled?.person, entry.settled?.detail],
      ['acknowledged', 'bob', 'no task'],
    );

    const again = await runCli(acknowledge, env);
    assert.equal(again.code, 1);
    assert.equal(again.stderr.trim().split('\n').length, 1, again.stderr);
    assert.match(again.stderr, new RegExp(`no unresolved failover of ${lost.workflowId} in this cluster's ledger`));

    const after = await runCli(['ledger', cluster], env);
    assert.match(after.stdout, /^unresolved: +none$/m);
    assert.match(after.stdout, /^held by: +nobody$/m);
    assert.match(
      after.stdout,
      new RegExp(`${lost.workflowId} \\(run ${lostRunId}, as lost\\): claimed; settled by bob at \\S+: no task`),
    );

    lab.sim.cluster('lost').configure({ faults: { rules: [] } });
    const next = await (await lab.start(planned, `cli-ledger-next-${Date.now()}`)).result();
    assert.equal(next.outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('lost'), 2);
  });

  it('says when a cluster has no ledger', async () => {
    const none = await runCli(['ledger', '192.0.2.1_192.0.2.2_192.0.2.3'], env);
    assert.equal(none.code, 1);
    assert.match(
      none.stderr,
      /no send ledger for cluster 192\.0\.2\.1_192\.0\.2\.2_192\.0\.2\.3 \(workflow vcha-cluster-192\.0\.2\.1_192\.0\.2\.2_192\.0\.2\.3 not found\)/,
    );
  });
});
