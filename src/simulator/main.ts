/**
 * Command-line entry point: `npm run simulator -- [options]` (see `--help`). Prints the
 * credentials and each cluster's URL, and runs until SIGINT or SIGTERM.
 */
import { readFile } from 'node:fs/promises';
import { parseCliArgs, UsageError, USAGE } from './cli-args';
import { ScenarioError, type ClusterScenario, type Scenario } from './scenario';
import { loadScenarioFile } from './scenario-file';
import { startSimulator, type Simulator, type SimulatorOptions } from './server';

const DEFAULT_CLUSTERS = ['vc-01'];

async function buildOptions(argv: string[]): Promise<SimulatorOptions | undefined> {
  const args = parseCliArgs(argv);
  if (args.help) {
    process.stdout.write(USAGE);
    return undefined;
  }
  const scenario: Scenario | undefined = args.scenario ? await loadScenarioFile(args.scenario) : undefined;
  let clusters: Record<string, ClusterScenario> = scenario?.clusters ?? {};
  if (args.clusters) {
    clusters = Object.fromEntries(args.clusters.map((name) => [name, scenario?.clusters[name] ?? {}]));
  } else if (Object.keys(clusters).length === 0) {
    clusters = Object.fromEntries(DEFAULT_CLUSTERS.map((name) => [name, {}]));
  }
  const options: SimulatorOptions = { host: args.host, port: args.port, clusters };
  const layout = args.layout ?? scenario?.layout;
  if (layout) options.layout = layout;
  // Stable URLs: with a fixed admin port, clusters take the ports right after it.
  if ((layout ?? 'port-per-cluster') === 'port-per-cluster' && args.port !== 0) options.clusterBasePort = args.port + 1;
  const username = args.username ?? scenario?.username;
  if (username !== undefined) options.username = username;
  const password = args.password ?? scenario?.password;
  if (password !== undefined) options.password = password;
  if (scenario?.users) options.users = scenario.users;
  if (scenario?.timing) options.timing = scenario.timing;
  const timeScale = args.timeScale ?? scenario?.timeScale;
  if (timeScale !== undefined) options.timeScale = timeScale;
  if (args.tlsKey && args.tlsCert) {
    options.tls = { key: await readFile(args.tlsKey, 'utf8'), cert: await readFile(args.tlsCert, 'utf8') };
  }
  return options;
}

function describe(sim: Simulator, timeScale: number): string {
  const names = sim.clusterNames();
  const width = Math.max(8, ...names.map((n) => n.length + 1));
  const lines = [
    `vCenter VCHA simulator: ${names.length} cluster(s), layout ${sim.layout}, time scale ${timeScale}`,
    `  ${'username'.padEnd(width)} ${sim.username}`,
    `  ${'password'.padEnd(width)} ${sim.password}`,
    `  ${'admin'.padEnd(width)} ${sim.adminUrl}`,
    ...names.map((name) => `  ${`${name}`.padEnd(width)} ${sim.urlFor(name)}`),
  ];
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  let options: SimulatorOptions | undefined;
  try {
    options = await buildOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`simulator: ${error.message} (see --help)\n`);
      process.exit(2);
    }
    if (error instanceof ScenarioError) {
      process.stderr.write(`simulator: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (!options) return;
  const sim = await startSimulator(options);
  console.log(describe(sim, options.timeScale ?? 1).trimEnd());
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`simulator: ${signal} received, stopping`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`simulator: ${(error as Error).message}\n`);
  process.exit(1);
});
