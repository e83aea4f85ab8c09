/**
 * Temporal's user metadata for failover runs: the static summary and details every start path
 * sets (CLI, schedule, fleet children, maintenance legs, the demo), the current details a running
 * run keeps up to date, and the lock's summary. The Web UI shows them in the workflow list and on
 * the run page, so an operator reads what a run is without opening its input. Pure strings:
 * workflow code uses it too.
 */
import type { VchaFailoverInput } from './input/failover';
import type { VchaMaintenanceInput } from './input/maintenance';
import type { FailoverStatus } from './record';
import { describeGates } from './readiness';

/** The longest reason a one-line summary carries; the details carry it whole. */
const SUMMARY_REASON_CHARS = 80;

/** What a failover's metadata is made from: its input as the starter sends it. */
export type FailoverMetadataInput = Pick<
  VchaFailoverInput,
  'target' | 'planned' | 'acceptDataLoss' | 'dryRun' | 'reason' | 'requestedBy'
>;

/** Start options that carry user metadata: spread into `workflow.start`, `startChild` or a schedule action. */
export interface StartUserMetadata {
  staticSummary: string;
  staticDetails: string;
}

/** Keeps a value on one line, at most `max` characters. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** "Planned failover", "Forced failover" or "Dry run of a planned failover". */
function kindOf(input: FailoverMetadataInput): string {
  const kind = input.planned ? 'planned failover' : 'forced failover';
  return input.dryRun ? `Dry run of a ${kind}` : kind.charAt(0).toUpperCase() + kind.slice(1);
}

/** One line for the workflow list, e.g. "Planned failover of vc-lab-01 — host patching (jdoe)". */
export function failoverSummary(input: FailoverMetadataInput): string {
  const reason = input.reason ? ` — ${oneLine(input.reason, SUMMARY_REASON_CHARS)}` : '';
  const who = input.requestedBy ? ` (${oneLine(input.requestedBy, 40)})` : '';
  return `${kindOf(input)} of ${input.target}${reason}${who}`;
}

/** The run page's static details (Temporal markdown): what was asked, by whom, through what. */
export function failoverDetails(input: FailoverMetadataInput, startedThrough: string): string {
  return markdownList([
    `**Target:** ${input.target}`,
    `**Kind:** ${input.planned ? 'planned (state flushed first, no data loss)' : 'forced (data loss accepted)'}`,
    `**Dry run:** ${input.dryRun ? 'yes: validation and preflight only, nothing is sent to vCenter' : 'no'}`,
    `**Reason:** ${input.reason ? oneLine(input.reason, 500) : '(none given)'}`,
    `**Requested by:** ${input.requestedBy ?? '(not given)'}`,
    `**Started through:** ${startedThrough}`,
  ]);
}

/** Summary and details for a start path, in one spread: `...failoverUserMetadata(input, 'the vcha-failover CLI')`. */
export function failoverUserMetadata(input: FailoverMetadataInput, startedThrough: string): StartUserMetadata {
  return { staticSummary: failoverSummary(input), staticDetails: failoverDetails(input, startedThrough) };
}

/** What a maintenance run's metadata is made from: its input as the starter sends it. */
export type MaintenanceMetadataInput = Pick<
  VchaMaintenanceInput,
  'target' | 'reason' | 'requestedBy' | 'failback' | 'maxDuration' | 'onMaxDuration'
>;

/**
 * Summary and details of a `vchaMaintenance` start, e.g. "Maintenance of vc-lab-01: fail over,
 * then fail back — host patching (jdoe)".
 */
export function maintenanceUserMetadata(input: MaintenanceMetadataInput, startedThrough: string): StartUserMetadata {
  const failback = input.failback !== false;
  const reason = input.reason ? ` — ${oneLine(input.reason, SUMMARY_REASON_CHARS)}` : '';
  const who = input.requestedBy ? ` (${oneLine(input.requestedBy, 40)})` : '';
  return {
    staticSummary: `Maintenance of ${input.target}: fail over${failback ? ', then fail back' : ''}${reason}${who}`,
    staticDetails: markdownList([
      `**Target:** ${input.target}`,
      `**Plan:** a planned failover, the target held until maintenanceDone or ${String(input.maxDuration ?? '4h')}` +
        (failback ? ', then a planned failback to a fit cluster' : ', then no failback'),
      `**At maxDuration:** ${input.onMaxDuration === 'failback' ? 'fail back' : 'leave the cluster on the new node'}`,
      `**Reason:** ${input.reason ? oneLine(input.reason, 500) : '(none given)'}`,
      `**Requested by:** ${input.requestedBy ?? '(not given)'}`,
      `**Started through:** ${startedThrough}`,
    ]),
  };
}

/** The run page's current details: phase, latest observation and the timeline so far. */
export function currentFailoverDetails(status: FailoverStatus): string {
  const lines = [`**Phase:** ${status.phase}${status.outcome ? ` — ${status.outcome}` : ''}`];
  lines.push(`**Observation:** ${status.observation}`);
  if (status.taskId) lines.push(`**vCenter task:** ${status.taskId}`);
  if (status.cancelRequested) lines.push('**Cancel:** requested');
  if (status.readiness)
    lines.push(`**Readiness:** ${status.readiness.verdict}: ${describeGates(status.readiness.gates)}`);
  if (status.phase === 'FAILING_OVER' || status.phase === 'VERIFYING') {
    lines.push("Live: the pending followFailover activity's heartbeat details show the latest poll.");
  }
  lines.push(`**Timeline:** ${status.timeline.map((mark) => `${mark.phase} ${mark.at}`).join(' → ')}`);
  return markdownList(lines);
}

/** Lines as a markdown list: the Web UI joins plain lines into one paragraph. */
export function markdownList(lines: readonly string[]): string {
  return lines.map((line) => `- ${line}`).join('\n');
}

/** The lock run's summary: which run holds which target. */
export function targetLockSummary(target: string, holderWorkflowId: string): string {
  return `Lock on ${target}, held by ${holderWorkflowId}`;
}
