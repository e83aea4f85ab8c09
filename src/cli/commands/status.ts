/**
 * `vcha-failover status <workflow-id>`: where a run is (phase, live observation, timeline) or,
 * once it has ended, how it ended.
 */
import { readMemo, WORKFLOW_TYPES, maintenanceStatusQuery, type ApprovalRecord, type PhaseMark } from '../../contract';
import { describeGates, formatDuration } from '../../contract';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { webUiLink, withSession } from '../connect';
import { CONNECTION_HELP, CONNECTION_OPTIONS } from '../connection-flags';
import { EXIT_CODES, exitCodeForOutcome } from '../exit-codes';
import { printLines, type CliIo } from '../io';
import { readLiveRun } from '../live-status';
import type { StatusJson } from '../json-shapes';
import { awaitRunEnding, endingJson, exitCodeOfEnding, renderEnding } from '../outcome';
import { OUTPUT_HELP, OUTPUT_OPTIONS, outputFormat, printJson } from '../output';
import { mergeProgress } from '../progress';
import { describeRun, findFailoverRun, type FoundRun } from '../run-handle';
import { endingOf, maintenanceLines } from '../maintenance-run';

const OPTIONS = { 'run-id': { type: 'string' }, ...OUTPUT_OPTIONS, ...CONNECTION_OPTIONS } as const;

/** The timeline as lines: offset from the start, phase, time. */
function timelineLines(timeline: readonly PhaseMark[]): string[] {
  const start = timeline[0] ? Date.parse(timeline[0].at) : 0;
  return timeline.map(
    (mark) => `    +${formatDuration(Date.parse(mark.at) - start).padEnd(8)} ${mark.phase.padEnd(13)} ${mark.at}`,
  );
}

/** Who may approve and until when, or how it was decided (with the verified key, when signed). */
export function approvalLine(approval: ApprovalRecord, workflowId: string): string {
  if (approval.state === 'waiting') {
    const requester = approval.requestedByIdentity
      ? `${approval.requestedByIdentity.principal} (verified, key ${approval.requestedByIdentity.fingerprint})`
      : approval.requestedBy;
    const pool = approval.approvers ? approval.approvers.join(' or ') : 'anyone';
    const who = requester !== undefined ? `${pool} but ${requester}` : pool;
    const how = approval.signed ? ` --sign-with <private key>` : '';
    return `  approval:    waiting (${approval.why}): ${who} may approve until ${approval.until} with: vcha-failover approve ${workflowId}${how}`;
  }
  if (approval.state === 'expired') return `  approval:    expired at ${approval.until}: nobody decided in time`;
  const note = approval.comment ?? approval.reason;
  const key = approval.byIdentity ? ` (verified, key ${approval.byIdentity.fingerprint})` : '';
  return `  approval:    ${approval.state} by ${approval.by}${key} at ${approval.at}${note ? `: ${note}` : ''}`;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, ['workflow-id']);
  const workflowId = positionals[0]!;
  const output = outputFormat(values);
  return withSession(io, values, async (session) => {
    const found = await describeRun(session, workflowId, values['run-id']);
    if (found.description.type === WORKFLOW_TYPES.maintenance)
      return maintenanceStatus(found, io, session.namespace, output);
    const { handle, description } = await findFailoverRun(session, workflowId, values['run-id']);
    const webUiUrl = webUiLink(io.settings, session.namespace, workflowId, description.runId);
    if (output === 'json') {
      const document: StatusJson = {
        workflowId,
        runId: description.runId,
        status: description.status.name,
        startedBy: readMemo(description.memo).startedBy ?? null,
        requestedBy: readMemo(description.memo).requestedBy ?? null,
        webUiUrl,
        live: null,
        ending: null,
      };
      if (description.status.name !== 'RUNNING') {
        const ending = await awaitRunEnding(handle);
        printJson(io, { ...document, ending: endingJson(ending) });
        return exitCodeOfEnding(ending);
      }
      const { progress } = await readLiveRun(session.client, handle);
      const view = mergeProgress(progress);
      const status = progress.status;
      printJson(io, {
        ...document,
        live: {
          phase: view.phase,
          observation: view.observation,
          observationIsLive: view.live,
          elapsedMs: view.elapsedMs,
          target: status?.target ?? null,
          planned: status?.planned ?? null,
          dryRun: status?.dryRun ?? null,
          taskId: status?.taskId ?? null,
          cancelRequested: status?.cancelRequested ?? false,
          timeline: status?.timeline ?? [],
        },
      });
      return EXIT_CODES.ok;
    }
    const lines = [`Run ${workflowId} (run ${description.runId}): ${description.status.name}`];
    const { requestedBy, startedBy } = readMemo(description.memo);
    if (startedBy || requestedBy) {
      lines.push(
        `  started by:  ${[startedBy, requestedBy && `requested by ${requestedBy}`].filter(Boolean).join(', ')}`,
      );
    }
    const link = `  Web UI:      ${webUiUrl}`;

    if (description.status.name !== 'RUNNING') {
      const ending = await awaitRunEnding(handle);
      const record = ending.kind === 'other' ? undefined : ending.record;
      if (record) {
        lines.push(
          `  target:      ${record.target} (${record.dryRun ? 'dry run' : record.planned ? 'planned' : 'forced'})`,
        );
        if (record.approval) lines.push(approvalLine(record.approval, workflowId));
        if (record.readiness) {
          lines.push(`  readiness:   ${record.readiness.verdict}: ${describeGates(record.readiness.gates)}`);
        }
        lines.push('  timeline:', ...timelineLines(record.timeline));
      }
      printLines(io, [...lines, link, ...renderEnding(ending)]);
      return exitCodeOfEnding(ending);
    }

    const live = await readLiveRun(session.client, handle);
    const view = mergeProgress(live.progress);
    const status = live.progress.status;
    if (status?.target) {
      lines.push(
        `  target:      ${status.target} (${status.dryRun ? 'dry run' : status.planned ? 'planned' : 'forced'})`,
      );
    }
    lines.push(`  phase:       ${view.phase}`);
    lines.push(
      `  observation: ${view.observation}${view.live ? ` (live, from the ${live.progress.heartbeat?.activityType} heartbeat)` : ''}`,
    );
    lines.push(`  elapsed:     ${formatDuration(view.elapsedMs)}`);
    if (view.readiness) lines.push(`  readiness:   ${view.readiness}${view.live ? ' (live)' : ''}`);
    if (status?.taskId) lines.push(`  task:        ${status.taskId}`);
    if (status?.cancelRequested) lines.push('  cancel:      requested');
    if (status?.approval) lines.push(approvalLine(status.approval, workflowId));
    if (status) lines.push('  timeline:', ...timelineLines(status.timeline));
    printLines(io, [...lines, link]);
    return EXIT_CODES.ok;
  });
}

/** A vchaMaintenance run: its status while it runs, its record once it has ended. */
async function maintenanceStatus(
  { handle, description }: FoundRun,
  io: CliIo,
  namespace: string,
  output: ReturnType<typeof outputFormat>,
): Promise<number> {
  const webUiUrl = webUiLink(io.settings, namespace, handle.workflowId, description.runId);
  if (output === 'json') {
    // One document: the live status query while it runs, the maintenance record once it ended.
    const document = {
      workflowId: handle.workflowId,
      runId: description.runId,
      status: description.status.name,
      webUiUrl,
    };
    if (description.status.name === 'RUNNING') {
      printJson(io, { ...document, live: await handle.query(maintenanceStatusQuery), ending: null });
      return EXIT_CODES.ok;
    }
    const { record, type, message } = await endingOf(handle);
    printJson(io, { ...document, live: null, ending: { outcome: type, message, record: record ?? null } });
    return exitCodeForOutcome(type);
  }
  const lines = [`Maintenance ${handle.workflowId} (run ${description.runId}): ${description.status.name}`];
  const link = `  Web UI:      ${webUiUrl}`;
  if (description.status.name === 'RUNNING') {
    const status = await handle.query(maintenanceStatusQuery);
    if (status.target) lines.push(`  target:      ${status.target}`);
    printLines(io, [...lines, ...maintenanceLines(status), link]);
    return EXIT_CODES.ok;
  }
  const { record, type, message } = await endingOf(handle);
  if (record) lines.push(`  target:      ${record.target}`, ...maintenanceLines(record));
  else lines.push(`  ${type}: ${message}`);
  printLines(io, [...lines, link]);
  return exitCodeForOutcome(type);
}

/** The `status` command. */
export const statusCommand: Command = {
  name: 'status',
  summary: "show a run's phase, live observation and timeline, or how it ended",
  help: `Usage: vcha-failover status <workflow-id> [--run-id <id>] [-o json]

Shows a vchaFailover run. While it runs: its phase, the latest observation (live from the
follow activity's heartbeat while vCenter is being polled), elapsed time, task id and timeline.
Once it has ended: its timeline and outcome (active node before → after, task id, duration) or
its failure type and message.

Options:
  --run-id <id>            a specific run of this workflow id (default: the latest)
${OUTPUT_HELP}
  -h, --help               this help

${CONNECTION_HELP}

Exits 0 while the run goes on and when it succeeded; once it has failed, with the failure
type's code (10–22; see vcha-failover --help).`,
  run,
};
