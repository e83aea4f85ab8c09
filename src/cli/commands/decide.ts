/**
 * `vcha-failover approve <workflow-id>` and `reject <workflow-id> --reason …`: decide a run that
 * waits in AWAITING_APPROVAL, through the run's `approve` / `reject` Updates. The run's validator
 * has the last word (four eyes, one decision, only while waiting); its refusal is printed as is.
 * With `--sign-with <key>` the decision is signed (docs/approvals.md) and the worker verifies it.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { approveUpdate, rejectUpdate, statusQuery, type ApprovalRecord, type SignedProof } from '../../contract';
import { parseCommandArgs, requireOption } from '../args';
import type { Command } from '../command';
import { withSession } from '../connect';
import { CONNECTION_HELP, CONNECTION_OPTIONS } from '../connection-flags';
import { OUTPUT_HELP, OUTPUT_OPTIONS, outputFormat, printJson } from '../output';
import { EXIT_CODES } from '../exit-codes';
import { CliFailure, printLines, UsageError, type CliIo } from '../io';
import { findApprovalRun } from '../run-handle';
import { signStatement } from '../sign';

const OPTIONS = {
  approver: { type: 'string' },
  comment: { type: 'string' },
  reason: { type: 'string' },
  'run-id': { type: 'string' },
  'sign-with': { type: 'string' },
  ...OUTPUT_OPTIONS,
  ...CONNECTION_OPTIONS,
} as const;

/** What the command prints once the run took the decision. */
function decisionLines(workflowId: string, decision: ApprovalRecord): string[] {
  const verb = decision.state === 'approved' ? 'Approved' : 'Rejected';
  const note = decision.comment ?? decision.reason;
  const identity = decision.byIdentity;
  return [
    `${verb} ${workflowId} as ${decision.by} at ${decision.at}${note ? `: ${note}` : ''}`,
    ...(identity
      ? [`The worker verified the signature: ${identity.principal}, key ${identity.fingerprint}.`]
      : decision.signed
        ? []
        : ['A named decision: the name is recorded as typed, unverified.']),
    decision.state === 'approved'
      ? 'The run reads the cluster again and sends the failover only if it is still fit.'
      : 'The run ends NotApproved; nothing was sent to vCenter.',
    `Follow it with: vcha-failover status ${workflowId}`,
  ];
}

function commandFor(kind: 'approve' | 'reject'): Command['run'] {
  return async (argv: readonly string[], io: CliIo): Promise<number> => {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS, ['workflow-id']);
    const workflowId = positionals[0]!;
    const approver = values.approver ?? io.settings.osUser;
    if (approver === undefined || approver.trim() === '') {
      throw new UsageError('--approver is required (no OS user name to default to)');
    }
    if (kind === 'approve' && values.reason !== undefined) throw new UsageError('--reason applies to reject only');
    if (kind === 'reject' && values.comment !== undefined) throw new UsageError('--comment applies to approve only');
    const reason = kind === 'reject' ? requireOption(values.reason, '--reason') : undefined;
    const output = outputFormat(values);
    return withSession(io, values, async (session) => {
      const { handle, description } = await findApprovalRun(session, workflowId, values['run-id']);
      if (description.status.name !== 'RUNNING') {
        throw new CliFailure(`run ${workflowId} has already ended (${description.status.name}); nothing to ${kind}`);
      }
      let proof: { proof: SignedProof } | Record<string, never> = {};
      if (values['sign-with'] !== undefined) {
        // The run names what is signed: its own ids, target and kind, as the worker will check them.
        const status = await handle.query(statusQuery);
        if (status.target === undefined || status.planned === undefined) {
          throw new CliFailure(`run ${handle.workflowId} has not validated its input yet; nothing to ${kind}`);
        }
        proof = {
          proof: await signStatement(
            {
              action: kind,
              workflowId: handle.workflowId,
              runId: description.runId,
              target: status.target,
              kind: status.planned ? 'planned' : 'forced',
              signer: approver.trim(),
              ...(values.comment !== undefined ? { comment: values.comment.trim() } : {}),
              ...(reason !== undefined ? { reason: reason.trim() } : {}),
            },
            values['sign-with'],
          ),
        };
      }
      let decision: ApprovalRecord;
      try {
        decision =
          kind === 'approve'
            ? await handle.executeUpdate(approveUpdate, {
                args: [{ approver, ...(values.comment !== undefined ? { comment: values.comment } : {}), ...proof }],
              })
            : await handle.executeUpdate(rejectUpdate, { args: [{ approver, reason: reason!, ...proof }] });
      } catch (error) {
        if (error instanceof WorkflowUpdateFailedError) {
          throw new CliFailure(`${kind} refused by ${handle.workflowId}: ${error.cause?.message ?? error.message}`);
        }
        throw error;
      }
      if (output === 'json') printJson(io, { workflowId: handle.workflowId, decision });
      else printLines(io, decisionLines(handle.workflowId, decision));
      return EXIT_CODES.ok;
    });
  };
}

const COMMON_HELP = `  --approver <name>  who decides (default: the OS user name); must not be the requester;
                     with --sign-with, your principal in the worker's allowed-signers file
  --sign-with <key>  sign the decision with this SSH private key (or a public key in ssh-agent);
                     required where the target's policy asks for signed approvals
  --run-id <id>      a specific run of this workflow id (default: the latest)
${OUTPUT_HELP}
  -h, --help         this help

${CONNECTION_HELP}`;

/** The `approve` command. */
export const approveCommand: Command = {
  name: 'approve',
  summary: 'approve a run waiting for approval (someone other than its requester)',
  help: `Usage: vcha-failover approve <workflow-id> [--comment <text>] [--approver <name>] [--sign-with <key>]

Approves a run in AWAITING_APPROVAL (the target's policy asks for approval). The run then reads
the cluster again and sends the failover only if every check still passes. Refused with a clear
message (exit 1) when you requested the run yourself (four eyes), when it is not waiting, or
when someone has already decided. For a vchaMaintenance run, the leg that waits is approved.
Signed (--sign-with), the worker verifies your key against its allowed-signers file and prints
whom it verified; a refused signature says why, and nothing is recorded or sent.

Options:
  --comment <text>   recorded with the approval (at most 500 characters)
${COMMON_HELP}`,
  run: commandFor('approve'),
};

/** The `reject` command. */
export const rejectCommand: Command = {
  name: 'reject',
  summary: 'reject a run waiting for approval; it ends NotApproved with nothing sent',
  help: `Usage: vcha-failover reject <workflow-id> --reason <text> [--approver <name>] [--sign-with <key>]

Rejects a run in AWAITING_APPROVAL: it ends NotApproved (exit code 20 for a waiting
\`start --wait\`) and nothing is sent to vCenter. Refused (exit 1) when the run is not waiting
or someone has already decided.

Options:
  --reason <text>    why not (required; recorded with the outcome)
${COMMON_HELP}`,
  run: commandFor('reject'),
};
