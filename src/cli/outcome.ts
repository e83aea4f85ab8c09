/**
 * How a run ended, read from Temporal and put in words: the result or the contract failure with
 * its record, or an end outside the contract (terminated, timed out), and its exit code.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { CancelledFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';
import type { FailoverRecord, FailoverResult } from '../contract';
import { decodeContractFailure, formatDuration } from '../contract';
import { EXIT_CODES, exitCodeForOutcome } from './exit-codes';
import type { RunEndingJson } from './json-shapes';
import { clientSdk } from './sdk';

/** The end of a run. */
export type RunEnding =
  | { kind: 'succeeded'; record: FailoverResult }
  | { kind: 'failed'; type: string; message: string; record?: FailoverRecord }
  | { kind: 'other'; message: string };

/** Waits for the run to close (at once when it already has) and says how it ended. */
export async function awaitRunEnding(handle: WorkflowHandle): Promise<RunEnding> {
  const { WorkflowFailedError } = await clientSdk();
  try {
    return { kind: 'succeeded', record: (await handle.result()) as FailoverResult };
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    const cause = error.cause;
    const failure = decodeContractFailure<FailoverRecord>(cause);
    if (failure) return { kind: 'failed', type: failure.type, message: failure.message, record: failure.record };
    if (cause instanceof TerminatedFailure)
      return { kind: 'other', message: `the run was terminated: ${cause.message}` };
    if (cause instanceof TimeoutFailure) return { kind: 'other', message: `the run timed out: ${cause.message}` };
    if (cause instanceof CancelledFailure) return { kind: 'other', message: `the run was cancelled: ${cause.message}` };
    return { kind: 'other', message: `the run failed: ${cause?.message ?? error.message}` };
  }
}

/** The exit code of an ending. */
export function exitCodeOfEnding(ending: RunEnding): number {
  if (ending.kind === 'succeeded') return exitCodeForOutcome(ending.record.outcome);
  if (ending.kind === 'failed') return exitCodeForOutcome(ending.type);
  return EXIT_CODES.error;
}

/** The ending as `--output json` documents it. */
export function endingJson(ending: RunEnding): RunEndingJson {
  const exitCode = exitCodeOfEnding(ending);
  if (ending.kind === 'succeeded') {
    const { record } = ending;
    return { kind: 'succeeded', outcome: record.outcome, message: record.message, exitCode, record };
  }
  if (ending.kind === 'failed') {
    return { kind: 'failed', outcome: ending.type, message: ending.message, exitCode, record: ending.record ?? null };
  }
  return { kind: 'other', outcome: null, message: ending.message, exitCode, record: null };
}

function activeChange(record: FailoverRecord): string | undefined {
  if (!record.activeBefore) return undefined;
  if (record.dryRun) return `${record.activeBefore} (unchanged: dry run)`;
  if (!record.activeAfter || record.activeAfter === record.activeBefore) return `${record.activeBefore} (unchanged)`;
  return `${record.activeBefore} → ${record.activeAfter}`;
}

/** The record's facts as indented lines: active node before → after, where vCenter answers, task id, duration. */
function recordLines(record: FailoverRecord): string[] {
  const lines: string[] = [];
  const active = activeChange(record);
  if (active) lines.push(`  active:    ${active}`);
  // A failover to a node with a failover IP moves the API there: say where it answers now.
  if (record.servedAt) lines.push(`  served at: ${record.servedAt}`);
  lines.push(`  triggered: ${record.triggered}`);
  if (record.taskId) lines.push(`  task:      ${record.taskId}`);
  if (record.readiness) {
    // Each gate on its own line: which passed, which were not checked (403/404) or skipped, and what a waiting one saw.
    lines.push(`  readiness: ${record.readiness.verdict} (${record.readiness.requests} requests)`);
    for (const gate of record.readiness.gates) {
      lines.push(`    ${gate.gate.padEnd(15)} ${gate.status}${gate.seen ? `: ${gate.seen}` : ''}`);
    }
  }
  lines.push(`  duration:  ${formatDuration(record.durationMs)}`);
  return lines;
}

/** The summary printed when a run has ended. */
export function renderEnding(ending: RunEnding): string[] {
  if (ending.kind === 'succeeded') {
    return [`${ending.record.outcome}: ${ending.record.message}`, ...recordLines(ending.record)];
  }
  if (ending.kind === 'failed') {
    return [
      `FAILED ${ending.type} (exit code ${exitCodeForOutcome(ending.type)}): ${ending.message}`,
      ...(ending.record ? recordLines(ending.record) : []),
    ];
  }
  return [`ENDED: ${ending.message}`];
}
