/**
 * `npm run explore -- --depth N [--workflow-ids R] [--run-steps S] [--no-slow-local-activities]`:
 * the explorer at a larger bound than `npm test` runs it (N environment events per sequence; the
 * `--no-slow-local-activities` drops the Reset points that exist only when a local activity
 * outlives its workflow task). Prints the figures and every
 * violation with a shortest trace; exits 1 when an invariant is broken.
 */
import { describeFigures, explore } from './explore';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`--${name} must be a whole number (got ${process.argv[index + 1] ?? 'nothing'})`);
  }
  return value;
}

const figures = explore({
  events: option('depth', 3),
  workflowIds: option('workflow-ids', 2),
  runSteps: option('run-steps', 24),
  slowLocalActivities: !process.argv.includes('--no-slow-local-activities'),
});
process.stdout.write(`${describeFigures(figures)}\n`);
process.exitCode = figures.violations.length > 0 ? 1 : 0;
