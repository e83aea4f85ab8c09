/** Command-line arguments of the simulator CLI. */
import { parseArgs } from 'node:util';

/** Parsed command line. */
export interface CliArgs {
  help: boolean;
  port: number;
  host: string;
  username?: string;
  password?: string;
  scenario?: string;
  /** Cluster names chosen with --clusters. */
  clusters?: string[];
  timeScale?: number;
  layout?: 'port-per-cluster' | 'shared-port';
  tlsKey?: string;
  tlsCert?: string;
}

/** A command-line mistake; the CLI prints the message on one line and exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Help text of the CLI. */
export const USAGE = `Usage: simulator [options]

Serves simulated vCenter VCHA clusters over the vCenter REST API.

Options:
  --port <port>          shared-port layout: the port of everything; port-per-cluster: the admin
                         port, clusters get the following ports (default 0 = any free port)
  --host <address>       address to bind (default 127.0.0.1)
  --username <user>      administrator user (default administrator@vsphere.local)
  --password <password>  administrator password (default VMware1!)
  --scenario <file>      scenario file (.json, or YAML otherwise)
  --clusters <N|names>   N clusters named vc-01…, or a comma-separated list of names
                         (names from the scenario keep their settings)
  --time-scale <x>       multiply every simulated duration by x (e.g. 0.01)
  --layout <layout>      port-per-cluster (default) or shared-port (URLs /vc/<name>)
  --tls-key <file>       PEM private key: serve HTTPS (needs --tls-cert)
  --tls-cert <file>      PEM certificate
  -h, --help             show this help
`;

const MAX_CLUSTERS = 10_000;

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new UsageError(`--port must be an integer from 0 to 65535, got "${text}"`);
  return port;
}

function parseClusters(text: string): string[] {
  if (/^\d+$/.test(text)) {
    const count = Number(text);
    if (count < 1 || count > MAX_CLUSTERS)
      throw new UsageError(`--clusters must be from 1 to ${MAX_CLUSTERS}, got ${count}`);
    const width = Math.max(2, String(count).length);
    return Array.from({ length: count }, (_, i) => `vc-${String(i + 1).padStart(width, '0')}`);
  }
  const names = text.split(',').map((name) => name.trim());
  const bad = names.find((name) => !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name));
  if (bad !== undefined) throw new UsageError(`--clusters: invalid cluster name "${bad}"`);
  return names;
}

/** Parses `argv` (without the node and script paths). */
export function parseCliArgs(argv: string[]): CliArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        port: { type: 'string' },
        host: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        scenario: { type: 'string' },
        clusters: { type: 'string' },
        'time-scale': { type: 'string' },
        layout: { type: 'string' },
        'tls-key': { type: 'string' },
        'tls-cert': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'invalid arguments');
  }
  const args: CliArgs = {
    help: values.help === true,
    port: values.port === undefined ? 0 : parsePort(values.port),
    host: values.host ?? '127.0.0.1',
  };
  if (values.username !== undefined) args.username = values.username;
  if (values.password !== undefined) args.password = values.password;
  if (values.scenario !== undefined) args.scenario = values.scenario;
  if (values.clusters !== undefined) args.clusters = parseClusters(values.clusters);
  if (values['time-scale'] !== undefined) {
    const scale = Number(values['time-scale']);
    if (!Number.isFinite(scale) || scale <= 0) {
      throw new UsageError(`--time-scale must be a positive number, got "${values['time-scale']}"`);
    }
    args.timeScale = scale;
  }
  if (values.layout !== undefined) {
    if (values.layout !== 'port-per-cluster' && values.layout !== 'shared-port') {
      throw new UsageError(`--layout must be port-per-cluster or shared-port, got "${values.layout}"`);
    }
    args.layout = values.layout;
  }
  if ((values['tls-key'] === undefined) !== (values['tls-cert'] === undefined)) {
    throw new UsageError('--tls-key and --tls-cert must be given together');
  }
  if (values['tls-key'] !== undefined) args.tlsKey = values['tls-key'];
  if (values['tls-cert'] !== undefined) args.tlsCert = values['tls-cert'];
  return args;
}
