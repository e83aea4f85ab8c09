/**
 * `npm run temporal-cluster-binaries`: resolves (building when needed) the Temporal server and
 * `temporal-sql-tool` of the release TEMPORAL_SERVER_VERSION selects (`oldest`, `newest`, the
 * default, or e.g. `1.29.1`) that the cluster tests and `npm run bench -- --server cluster` run,
 * and prints their paths.
 */
import { resolveTemporalServer, TemporalServerNotFoundError } from '../src/devtools/temporal-server';

try {
  const { server, sqlTool } = resolveTemporalServer();
  process.stdout.write(`${server.executable}\n${sqlTool.executable}\n`);
} catch (error) {
  if (!(error instanceof TemporalServerNotFoundError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
