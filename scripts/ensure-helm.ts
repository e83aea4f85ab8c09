/** `npm run helm`: resolves (building when needed) the helm that renders the chart, and prints its path. */
import { HelmNotFoundError, resolveHelm } from '../src/devtools/helm';

try {
  process.stdout.write(`${resolveHelm()}\n`);
} catch (error) {
  if (!(error instanceof HelmNotFoundError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
