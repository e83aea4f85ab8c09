/**
 * `vcha-failover cancel <workflow-id>`: requests cancellation and says what it means at the run's
 * phase. Before the trigger the run ends Cancelled and vCenter is left alone; after it, vCenter
 * cannot be stopped, so the run follows the failover to its real end.
 */
import { PHASES, type FailoverPhase, type FailoverStatus } from '../../contract';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { withSession } from '../connect';
import { CONNECTION_HELP, CONNECTION_OPTIONS } from '../connection-flags';
import { EXIT_CODES } from '../exit-codes';
import { CliFailure, printLines, type CliIo } from '../io';
import { readLiveRun } from '../live-status';
import { findFailoverRun } from '../run-handle';

const OPTIONS = { 'run-id': { type: 'string' }, ...CONNECTION_OPTIONS } as const;

/** What a cancel does to a run in `phase` (unknown when the status query did not answer). */
export function cancelMeaning(phase: FailoverPhase | undefined): string {
  const before =
    'before the failover request: the run ends Cancelled (exit code 18 for a waiting `start --wait`) and nothing is sent to vCenter';
  const after =
    'the failover request has been (or may have been) sent and vCenter cannot be stopped: the run follows the failover to its real end and records that the cancel came too late';
  if (phase === undefined) return `If the run is still ${before}. If it has reached TRIGGERING, ${after}.`;
  if (PHASES.indexOf(phase) < PHASES.indexOf('TRIGGERING')) {
    return `The run is in ${phase}, ${before} (unless it reaches the trigger before the cancel arrives).`;
  }
  const stillStoppable =
    phase === 'TRIGGERING'
      ? ' (if the request has not gone out yet, the run still ends Cancelled with nothing sent)'
      : '';
  return `The run is in ${phase}: too late, ${after}${stillStoppable}.`;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, ['workflow-id']);
  const workflowId = positionals[0]!;
  return withSession(io, values, async (session) => {
    const { handle, description } = await findFailoverRun(session, workflowId, values['run-id']);
    if (description.status.name !== 'RUNNING') {
      throw new CliFailure(`run ${workflowId} has already ended (${description.status.name}); nothing to cancel`);
    }
    const status: FailoverStatus | undefined = (await readLiveRun(session.client, handle)).progress.status;
    await handle.cancel();
    printLines(io, [
      `Cancellation requested for ${workflowId} (run ${description.runId}).`,
      cancelMeaning(status?.phase),
      `See the end with: vcha-failover status ${workflowId}`,
    ]);
    return EXIT_CODES.ok;
  });
}

/** The `cancel` command. */
export const cancelCommand: Command = {
  name: 'cancel',
  summary: 'request cancellation of a run (only effective before the failover is triggered)',
  help: `Usage: vcha-failover cancel <workflow-id> [--run-id <id>]

Requests cancellation of a running vchaFailover run and says what it means:
  - before the trigger (VALIDATING, PREFLIGHT): the run ends Cancelled and nothing is sent
    to vCenter;
  - from TRIGGERING on: too late. vCenter cannot be stopped once the failover request may have
    reached it, so the run follows the failover to its real end and records that the cancel
    came too late (a cancel that arrives in TRIGGERING before the request went out still ends
    the run Cancelled with nothing sent).

Options:
  --run-id <id>    a specific run of this workflow id (default: the latest)
  -h, --help       this help

${CONNECTION_HELP}

Exits 0 once the cancellation is requested, 1 when the run has already ended or is not found.`,
  run,
};
