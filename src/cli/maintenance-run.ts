/**
 * A `vchaMaintenance` run as the CLI and the demo see it: its input from the flags (`maintenance
 * start`, `schedule create --maintenance`), its view as lines (`status`, `maintenance start
 * --wait`, the demo) and how it ended. Every view of a maintenance run comes from here.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { decodeContractFailure, type MaintenanceRecord, type MaintenanceStatus } from '../contract';
import { parseMaintenanceInput, type VchaMaintenanceInput } from '../contract/input/maintenance';
import { problemsAsFlags, requireOption } from './args';
import type { CliSettings } from './settings';

/** Input fields as their flags, so validation problems name what the user typed. */
const FLAG_OF_FIELD: Record<string, string> = {
  target: '--target',
  reason: '--reason',
  requestedBy: '--requested-by',
  maxDuration: '--max-duration',
  onMaxDuration: '--on-max-duration',
  pollInterval: '--poll-interval',
};

/** `vcha-maintenance-<target>-<UTC time to the millisecond>`. */
export function defaultMaintenanceId(target: string, now: Date): string {
  return `vcha-maintenance-${target}-${now.toISOString().replace(/[-:]/g, '')}`;
}

/** The maintenance input from the flags (shared with `schedule create --maintenance`); throws UsageError. */
export function maintenanceInputFrom(
  values: {
    target?: string;
    reason?: string;
    'requested-by'?: string;
    'no-failback'?: boolean;
    'max-duration'?: string;
    'on-max-duration'?: string;
    'poll-interval'?: string;
  },
  settings: CliSettings,
  defaultReason?: string,
): VchaMaintenanceInput {
  const target = requireOption(values.target, '--target');
  const requestedBy = values['requested-by'] ?? settings.osUser;
  const reason = values.reason ?? defaultReason;
  const input = {
    target,
    reason: reason ?? requireOption(reason, '--reason'),
    ...(requestedBy !== undefined ? { requestedBy } : {}),
    ...(values['no-failback'] ? { failback: false } : {}),
    ...(values['max-duration'] !== undefined ? { maxDuration: values['max-duration'] } : {}),
    ...(values['on-max-duration'] !== undefined ? { onMaxDuration: values['on-max-duration'] } : {}),
    ...(values['poll-interval'] !== undefined ? { pollInterval: values['poll-interval'] } : {}),
  } as VchaMaintenanceInput;
  const validation = parseMaintenanceInput(input);
  if (!validation.ok) {
    throw problemsAsFlags(validation.problems, FLAG_OF_FIELD);
  }
  return input;
}

/** A maintenance run as lines: phase or outcome, the window, each leg. */
export function maintenanceLines(view: MaintenanceStatus | MaintenanceRecord): string[] {
  const lines: string[] = [];
  if ('phase' in view) lines.push(`  phase:       ${view.phase}`, `  observation: ${view.observation}`);
  else lines.push(`  outcome:     ${view.outcome}: ${view.message}`);
  if (view.originalActive) lines.push(`  patched:     ${view.originalActive} (ACTIVE before the maintenance)`);
  lines.push(`  fail back:   ${view.failback === false ? 'no' : 'yes'}`);
  const window = view.window;
  if (window) {
    const end = window.endedBy
      ? `ended ${window.endedAt} by ${window.endedBy}${window.by ? ` (${window.by}${window.note ? `: ${window.note}` : ''})` : ''}`
      : `open until ${window.until}`;
    lines.push(`  window:      from ${window.startedAt}, ${end}`);
  }
  for (const leg of view.legs) {
    const roles = leg.activeBefore ? ` ${leg.activeBefore} → ${leg.activeAfter ?? '?'}` : '';
    lines.push(`  ${`${leg.leg}:`.padEnd(12)} ${leg.workflowId} ${leg.outcome ?? 'running'}${roles}`);
  }
  // The cluster mode, in VMware's order: MAINTENANCE before the first leg, the original mode after.
  for (const change of view.modeChanges ?? []) {
    const set = `${change.from ?? '?'} → ${change.to}`;
    const how = change.result === 'set' ? `set${change.taskId ? ` (task ${change.taskId})` : ''}` : change.result;
    const said = change.message ? `: ${change.message}` : '';
    lines.push(`  ${`mode ${change.step}:`.padEnd(12)} ${set} ${how} at ${change.at}${said}`);
  }
  return lines;
}

/** How a finished maintenance run ended: its record, type and message. */
export async function endingOf(
  handle: WorkflowHandle,
): Promise<{ record?: MaintenanceRecord; type: string; message: string }> {
  try {
    const record = (await handle.result()) as MaintenanceRecord;
    return { record, type: record.outcome, message: record.message };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const decoded = decodeContractFailure<MaintenanceRecord>(cause);
    if (decoded) return { record: decoded.record, type: decoded.type, message: decoded.message };
    return { type: 'Error', message: cause instanceof Error ? cause.message : String(error) };
  }
}
