/**
 * `vcha-failover start`: builds the workflow input from flags, checks it locally with the
 * workflow's own validation (a bad flag is exit code 2 and nothing starts), starts
 * `vchaFailover` and, with `--wait`, follows it to its end.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { memoFields, WORKFLOW_TYPES, failoverUserMetadata } from '../../contract';
import { parseFailoverInput, type VchaFailoverInput } from '../../contract/input/failover';
import { parseCommandArgs, problemsAsFlags, requireOption } from '../args';
import type { Command } from '../command';
import { taskQueueFrom, webUiLink, withSession } from '../connect';
import { CONNECTION_HELP, type ConnectionValues } from '../connection-flags';
import { EXIT_CODES } from '../exit-codes';
import { CliFailure, printLines, UsageError, type CliIo } from '../io';
import type { StartJson } from '../json-shapes';
import { endingJson, exitCodeOfEnding, renderEnding } from '../outcome';
import { OUTPUT_HELP, outputFormat, printJson, silentOut, type OutputFormat } from '../output';
import { RUN_START_OPTIONS } from '../run-options';
import type { CliSettings } from '../settings';
import { signStatement } from '../sign';
import { watchRun } from '../watch';

const OPTIONS = {
  ...RUN_START_OPTIONS,
  planned: { type: 'boolean' },
  forced: { type: 'boolean' },
  'accept-data-loss': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'sign-with': { type: 'string' },
} as const;

/** Input fields as their flags, so validation problems name what the user typed. */
const FLAG_OF_FIELD: Record<string, string> = {
  target: '--target',
  planned: '--planned/--forced',
  acceptDataLoss: '--accept-data-loss',
  dryRun: '--dry-run',
  reason: '--reason',
  requestedBy: '--requested-by',
  pollInterval: '--poll-interval',
};

/** Everything `start` needs once its flags are checked. */
export interface StartRequest {
  input: VchaFailoverInput;
  workflowId: string;
  taskQueue: string;
  wait: boolean;
  memo: Record<string, unknown>;
  output: OutputFormat;
  connection: ConnectionValues;
  /** The SSH key that signs the request (targets whose policy asks for signed requests). */
  signWith?: string;
}

/** `vcha-failover-<target>-<UTC time to the millisecond>`: readable, sorted by time, unique per start. */
export function defaultWorkflowId(target: string, now: Date): string {
  return `vcha-failover-${target}-${now.toISOString().replace(/[-:]/g, '')}`;
}

/** Turns the flags into a checked request; throws UsageError for anything the workflow would reject. */
export function parseStartArgs(argv: readonly string[], settings: CliSettings, now = new Date()): StartRequest {
  const { values } = parseCommandArgs(argv, OPTIONS);
  const output = outputFormat(values);
  const target = requireOption(values.target, '--target');
  if (values.planned && values.forced) throw new UsageError('choose one of --planned and --forced');
  if (!values.planned && !values.forced) {
    throw new UsageError('say --planned (no data loss) or --forced --accept-data-loss');
  }
  if (values['accept-data-loss'] && !values.forced) throw new UsageError('--accept-data-loss applies to --forced only');
  if (values.forced && !values['accept-data-loss']) {
    throw new UsageError('a forced failover can lose data: add --accept-data-loss to confirm');
  }
  const requestedBy = values['requested-by'] ?? settings.osUser;
  const input: VchaFailoverInput = {
    target,
    planned: values.planned === true,
    ...(values.forced ? { acceptDataLoss: true } : {}),
    ...(values['dry-run'] ? { dryRun: true } : {}),
    ...(values.reason !== undefined ? { reason: values.reason } : {}),
    ...(requestedBy !== undefined ? { requestedBy } : {}),
    ...(values['poll-interval'] !== undefined ? { pollInterval: values['poll-interval'] } : {}),
  };
  const validation = parseFailoverInput(input);
  if (!validation.ok) {
    throw problemsAsFlags(validation.problems, FLAG_OF_FIELD);
  }
  const memo = memoFields({ startedBy: 'cli', reason: input.reason, requestedBy });
  return {
    input,
    workflowId: values['workflow-id'] || defaultWorkflowId(target, now),
    taskQueue: taskQueueFrom(values['task-queue'], settings),
    wait: values.wait === true,
    memo,
    output,
    connection: values,
    ...(values['sign-with'] !== undefined ? { signWith: values['sign-with'] } : {}),
  };
}

/**
 * The input with the request signed (docs/approvals.md): it names the workflow id, target, kind,
 * requester and reason; the run id does not exist yet. The worker verifies it before the run waits.
 */
async function signedInput(request: StartRequest): Promise<VchaFailoverInput> {
  const { input, signWith } = request;
  if (signWith === undefined) return input;
  if (input.requestedBy === undefined) throw new UsageError('--sign-with needs --requested-by (your principal)');
  const requestProof = await signStatement(
    {
      action: 'request',
      workflowId: request.workflowId,
      target: input.target,
      kind: input.planned ? 'planned' : 'forced',
      signer: input.requestedBy,
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
    },
    signWith,
  );
  return { ...input, requestProof };
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseStartArgs(argv, io.settings);
  const request = { ...parsed, input: await signedInput(parsed) };
  return withSession(io, request.connection, async ({ client, namespace }) => {
    let handle;
    try {
      handle = await client.workflow.start(WORKFLOW_TYPES.failover, {
        taskQueue: request.taskQueue,
        workflowId: request.workflowId,
        args: [request.input],
        memo: request.memo,
        ...failoverUserMetadata(request.input, 'the vcha-failover CLI'),
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw new CliFailure(
          `a run with workflow id ${request.workflowId} is already running; pick another --workflow-id`,
        );
      }
      throw error;
    }
    const webUiUrl = webUiLink(io.settings, namespace, handle.workflowId, handle.firstExecutionRunId);
    if (request.output === 'json') {
      const document: StartJson = {
        workflowId: handle.workflowId,
        runId: handle.firstExecutionRunId,
        namespace,
        taskQueue: request.taskQueue,
        webUiUrl,
        input: request.input,
        ending: null,
      };
      if (!request.wait) {
        printJson(io, document);
        return EXIT_CODES.ok;
      }
      const ending = await watchRun(client, handle, silentOut(io));
      printJson(io, { ...document, ending: endingJson(ending) });
      return exitCodeOfEnding(ending);
    }
    const kind = request.input.dryRun ? 'dry run' : request.input.planned ? 'planned failover' : 'forced failover';
    printLines(io, [
      `Started ${kind} of ${request.input.target} on task queue ${request.taskQueue}`,
      `  workflow id: ${handle.workflowId}`,
      `  run id:      ${handle.firstExecutionRunId}`,
      `  Web UI:      ${webUiUrl}`,
    ]);
    if (!request.wait) {
      printLines(io, [`Follow it with: vcha-failover status ${handle.workflowId}`]);
      return EXIT_CODES.ok;
    }
    printLines(io, ['Waiting for the end (Ctrl-C stops watching, not the run)…']);
    const ending = await watchRun(client, handle, io);
    printLines(io, renderEnding(ending));
    return exitCodeOfEnding(ending);
  });
}

/** The `start` command. */
export const startCommand: Command = {
  name: 'start',
  summary: 'start a failover (or a dry run) of one target',
  help: `Usage: vcha-failover start --target <name> (--planned | --forced --accept-data-loss) [options]

Starts the vchaFailover workflow for a vCenter the worker knows by name. The flags are checked
with the workflow's own rules first: a bad value exits with code 2 and nothing is started.

Options:
  --target <name>          vCenter target configured on the worker (required)
  --planned                planned failover: state is flushed first, no data loss
  --forced                 forced failover at once; needs --accept-data-loss
  --accept-data-loss       confirm that a forced failover may lose data
  --dry-run                validation and preflight only; nothing is sent to vCenter
  --reason <text>          why (recorded with the outcome; at most 500 characters)
  --requested-by <name>    who asks (default: the OS user name); with --sign-with, your principal
  --sign-with <key>        sign the request with this SSH private key (where the target's policy
                           asks for signed requests; see docs/approvals.md)
  --poll-interval <dur>    how often vCenter is polled during the failover, 1s–60s (default 5s)
  --workflow-id <id>       workflow id (default vcha-failover-<target>-<UTC time>)
  --task-queue <name>      the worker's task queue (default $VCHA_TASK_QUEUE or vcha-failover)
  --wait                   show progress until the run ends and exit with its outcome's code
${OUTPUT_HELP}
                           (with --wait: printed once the run has ended, with its ending)
  -h, --help               this help

${CONNECTION_HELP}

Prints the workflow id and the Web UI link ($VCHA_UI_URL, default http://localhost:8233).
With --wait, exits 0 on SUCCEEDED or DRY_RUN_PASSED, otherwise with the failure type's code
(10–22; see vcha-failover --help).`,
  run,
};
