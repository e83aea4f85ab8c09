/**
 * `npm run temporal-cluster`: starts the two-node Temporal cluster on a throwaway PostgreSQL (the
 * one the cluster tests use) for manual work, prints its one address, and stops everything on
 * Ctrl-C. `npm run temporal-cluster -- CMD ARGS…` runs a command with TEMPORAL_ADDRESS pointing at
 * the cluster instead, then stops it; the command's exit code becomes this script's.
 */
import { startTemporalCluster } from '../test/harness/temporal-cluster';
import { commandArgs, holdOrRun } from './hold-or-run';

async function main(): Promise<number> {
  const command = commandArgs();
  const started = Date.now();
  const cluster = await startTemporalCluster({ log: (line) => process.stderr.write(`${line}\n`) });
  const nodes = cluster.nodes.map((node) => node.frontendAddress).join(', ');
  process.stderr.write(
    `temporal-cluster: ready in ${Date.now() - started} ms; nodes ${nodes} behind ${cluster.address}\n`,
  );
  process.stdout.write(`${cluster.address}\n`);
  try {
    return await holdOrRun(
      'temporal-cluster',
      command,
      { TEMPORAL_ADDRESS: cluster.address, TEMPORAL_NAMESPACE: cluster.namespace },
      'stops the cluster and deletes its data',
    );
  } finally {
    await cluster.stop();
    process.stderr.write('temporal-cluster: stopped\n');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`temporal-cluster: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
