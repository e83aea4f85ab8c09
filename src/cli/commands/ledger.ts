/**
 * `vcha-failover ledger <cluster>` and `acknowledge <workflow-id> --cluster <cluster> --by … --reason …`:
 * read a VCHA cluster's send ledger (`vchaClusterLedger`, its `ledger` query) and settle an
 * unresolved failover request in it (its `acknowledge` Update). The ledger's validator has the last
 * word; its refusal is printed as one line.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  clusterLedgerWorkflowId,
  isUnresolved,
  ledgerAcknowledgeUpdate,
  ledgerQuery,
  type LedgerEntry,
  type LedgerState,
} from '../../contract';
import { parseCommandArgs, requireOption } from '../args';
import type { Command } from '../command';
import { withSession, type TemporalSession } from '../connect';
import { CONNECTION_HELP, CONNECTION_OPTIONS } from '../connection-flags';
import { EXIT_CODES } from '../exit-codes';
import { CliFailure, printLines, UsageError, type CliIo } from '../io';
import type { AcknowledgeJson, LedgerJson } from '../json-shapes';
import { OUTPUT_HELP, OUTPUT_OPTIONS, outputFormat, printJson } from '../output';

/** A cluster's identity: its three VCHA (`ha_ip`) addresses, sorted and joined by `_`. */
const IDENTITY = /^[0-9A-Za-z.:]+_[0-9A-Za-z.:]+_[0-9A-Za-z.:]+$/;

/** Entries the text output lists by default, newest first. */
const DEFAULT_ENTRIES = 10;

function clusterArgument(text: string, flag: string): string {
  if (!IDENTITY.test(text)) {
    throw new UsageError(
      `${flag}: expected a cluster's identity, its three VCHA addresses joined by "_" (e.g. 10.0.0.1_10.0.0.2_10.0.0.3), got "${text}"`,
    );
  }
  return text;
}

/** The ledger's handle; a cluster no run has reached has none. */
function ledgerOf(session: TemporalSession, cluster: string) {
  return session.client.workflow.getHandle(clusterLedgerWorkflowId(cluster));
}

function noLedger(cluster: string): CliFailure {
  return new CliFailure(
    `no send ledger for cluster ${cluster} (workflow ${clusterLedgerWorkflowId(cluster)} not found): no run has reached it, or the id is mistyped`,
  );
}

/** One entry in one line: when, who, how it stands. */
function entryLine(entry: LedgerEntry): string {
  const outcome = entry.outcome ? ` ${entry.outcome}${entry.proved === false ? ' (proves nothing)' : ''}` : '';
  const settled = entry.settled
    ? `; settled ${entry.settled.by === 'acknowledged' ? `by ${entry.settled.person ?? 'someone'}` : 'by the cluster state'} at ${entry.settled.at}: ${entry.settled.detail}`
    : '';
  const unresolved = isUnresolved(entry) ? ' UNRESOLVED' : '';
  return `${entry.claimedAt}  ${entry.workflowId} (run ${entry.runId}, as ${entry.target}): ${entry.state}${outcome}${unresolved}${settled}`;
}

function ledgerLines(state: LedgerState, limit: number): string[] {
  const { holder } = state;
  const unresolved = state.entries.filter(isUnresolved);
  const last = state.entries.slice(-limit).reverse();
  return [
    `cluster:     ${state.cluster} (workflow ${clusterLedgerWorkflowId(state.cluster)})`,
    `reached as:  ${state.targets.join(', ') || 'no target yet'}`,
    `held by:     ${holder ? `${holder.workflowId} (run ${holder.runId}), ${holder.type} as ${holder.target}, since ${holder.since}` : 'nobody'}`,
    `unresolved:  ${unresolved.length === 0 ? 'none' : ''}`,
    ...unresolved.map((entry) => `  ${entryLine(entry)}`),
    `last ${last.length} of ${state.entries.length} entries, newest first:`,
    ...last.map((entry) => `  ${entryLine(entry)}`),
  ].map((line) => line.trimEnd());
}

const LEDGER_OPTIONS = { entries: { type: 'string' }, ...OUTPUT_OPTIONS, ...CONNECTION_OPTIONS } as const;

async function showLedger(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, LEDGER_OPTIONS, ['cluster']);
  const cluster = clusterArgument(positionals[0]!, '<cluster>');
  const limit = values.entries === undefined ? DEFAULT_ENTRIES : Number(values.entries);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) {
    throw new UsageError(`--entries: expected a whole number from 1 to 1000, got "${values.entries}"`);
  }
  const output = outputFormat(values);
  return withSession(io, values, async (session) => {
    let state: LedgerState;
    try {
      state = await ledgerOf(session, cluster).query(ledgerQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw noLedger(cluster);
      throw error;
    }
    if (output === 'json') {
      printJson(io, {
        cluster: state.cluster,
        ledgerWorkflowId: clusterLedgerWorkflowId(state.cluster),
        targets: state.targets,
        holder: state.holder ?? null,
        unresolved: state.entries.filter(isUnresolved),
        entries: state.entries,
      } satisfies LedgerJson);
    } else printLines(io, ledgerLines(state, limit));
    return EXIT_CODES.ok;
  });
}

const ACKNOWLEDGE_OPTIONS = {
  cluster: { type: 'string' },
  by: { type: 'string' },
  reason: { type: 'string' },
  ...OUTPUT_OPTIONS,
  ...CONNECTION_OPTIONS,
} as const;

async function acknowledge(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, ACKNOWLEDGE_OPTIONS, ['workflow-id']);
  const workflowId = positionals[0]!;
  const cluster = clusterArgument(requireOption(values.cluster, '--cluster'), '--cluster');
  const person = requireOption(values.by, '--by');
  const reason = requireOption(values.reason, '--reason');
  const output = outputFormat(values);
  return withSession(io, values, async (session) => {
    let entry: LedgerEntry;
    try {
      entry = await ledgerOf(session, cluster).executeUpdate(ledgerAcknowledgeUpdate, {
        args: [{ workflowId, person, reason, at: new Date().toISOString() }],
      });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw noLedger(cluster);
      if (error instanceof WorkflowUpdateFailedError) {
        const why = error.cause?.message ?? error.message;
        const hint = await closedHolderHint(session, cluster, workflowId);
        throw new CliFailure(`acknowledge refused by the ledger of cluster ${cluster}: ${why}${hint}`);
      }
      throw error;
    }
    if (output === 'json') printJson(io, { cluster, entry } satisfies AcknowledgeJson);
    else {
      printLines(io, [
        `Acknowledged the failover of ${workflowId} in the ledger of cluster ${cluster} as ${person}: ${reason}`,
        `  ${entryLine(entry)}`,
        'The next failover of this cluster is no longer refused for it.',
      ]);
    }
    return EXIT_CODES.ok;
  });
}

/**
 * When the request's run still holds the lock in the ledger but Temporal shows it closed
 * (terminated, reset, timed out), the ledger only learns that when the next run of the cluster
 * takes the lock over: say so, and how.
 */
async function closedHolderHint(session: TemporalSession, cluster: string, workflowId: string): Promise<string> {
  try {
    const { holder } = await ledgerOf(session, cluster).query(ledgerQuery);
    if (holder?.workflowId !== workflowId) return '';
    const { status } = await session.client.workflow.getHandle(holder.workflowId, holder.runId).describe();
    if (status.name === 'RUNNING') return '';
    return ` (that run has ended ${status.name}: the next run of the cluster takes its lock over, a --dry-run of ${holder.target} too; then acknowledge again)`;
  } catch {
    return '';
  }
}

/** The `ledger` command. */
export const ledgerCommand: Command = {
  name: 'ledger',
  summary: "a VCHA cluster's send ledger: who holds it, unresolved requests, the last entries",
  help: `Usage: vcha-failover ledger <cluster> [--entries <n>] [-o json]

Prints the send ledger of a VCHA cluster (the workflow vcha-cluster-<cluster>): the run that
holds its lock, every failover request that is unresolved (its run claimed the send and ended
without a verdict that proves what the cluster did), and the last entries. <cluster> is the
cluster's identity, its three VCHA addresses joined by "_", as run failures and the Web UI name it.

Options:
  --entries <n>            how many of the last entries to list (default ${DEFAULT_ENTRIES})
${OUTPUT_HELP}
  -h, --help               this help

${CONNECTION_HELP}`,
  run: showLedger,
};

/** The `acknowledge` command. */
export const acknowledgeCommand: Command = {
  name: 'acknowledge',
  summary: "settle an unresolved failover request in its cluster's ledger, after checking the cluster",
  help: `Usage: vcha-failover acknowledge <workflow-id> --cluster <cluster> --by <name> --reason <text>

Settles the unresolved failover request of <workflow-id> in the send ledger of <cluster>: new
failovers of the cluster are refused (UnresolvedFailover) until the cluster shows that request
settled or a person acknowledges it. Acknowledge only after checking that the request can no
longer act: the cluster shows the node that was ACTIVE still ACTIVE, vCenter's tasks show no
failover since the request, and the cluster has been HEALTHY for a while. Your name and reason
are recorded in the ledger. Refused (exit 1) when the request is not unresolved or its run still
holds the cluster.

Options:
  --cluster <cluster>      the cluster's identity, as the refused run's message names it (required)
  --by <name>              who acknowledges (required; recorded)
  --reason <text>          what you checked (required; recorded, at most 500 characters)
${OUTPUT_HELP}
  -h, --help               this help

${CONNECTION_HELP}`,
  run: acknowledge,
};
