/**
 * `npm run temporal-cluster`: starts the two-node Temporal cluster on a throwaway PostgreSQL (the
 * one the cluster tests use) for manual work, prints its one address, and stops everything on
 * Ctrl-C. `npm run temporal-cluster -- CMD ARGS…` runs a command with TEMPORAL_ADDRESS pointing at
 * the cluster instead, then stops it; the command's exit code becomes this script's.
 */
import { spawn } from 'node:child_process';
import { startTemporalCluster } from '../test/harness/temporal-cluster';

async function main(): Promise<number> {
  const separator = process.argv.indexOf('--');
  const command = separator === -1 ? process.argv.slice(2) : process.argv.slice(separator + 1);
  const started = Date.now();
  const cluster = await startTemporalCluster({ log: (line) => process.stderr.write(`${line}\n`) });
  process.stderr.write(
    `temporal-cluster: ready in ${Date.now() - started} ms; nodes ${cluster.nodes.map((n) => n.frontendAddress).join(', ')} behind ${cluster.address}\n`,
  );
  process.stdout.write(`${cluster.address}\n`);
  try {
    if (command.length === 0) {
      process.stderr.write('temporal-cluster: Ctrl-C stops the cluster and deletes its data\n');
      const keepAlive = setInterval(() => {}, 1 << 30);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.on('SIGINT', resolve);
        process.on('SIGTERM', resolve);
      });
      clearInterval(keepAlive);
      return signal === 'SIGINT' ? 130 : 143;
    }
    const child = spawn(command[0]!, command.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, TEMPORAL_ADDRESS: cluster.address, TEMPORAL_NAMESPACE: cluster.namespace },
    });
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    return await new Promise<number>((resolve) => {
      child.once('error', (error) => {
        process.stderr.write(`temporal-cluster: cannot run ${command[0]}: ${error.message}\n`);
        resolve(127);
      });
      child.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 143)));
    });
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
