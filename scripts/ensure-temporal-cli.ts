/** `npm run temporal-cli`: resolves (building when needed) the Temporal CLI and prints its path. */
import { resolveTemporalCli, TemporalCliNotFoundError } from '../src/devtools/temporal-cli';

try {
  const resolved = resolveTemporalCli({ allowSdkDownload: false });
  process.stdout.write(`${resolved.executable}\n`);
} catch (error) {
  if (!(error instanceof TemporalCliNotFoundError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
