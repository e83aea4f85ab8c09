/**
 * The `vcha-failover` command line: finds the command, answers `--help`, runs it, and turns
 * errors into one line on stderr and an exit code.
 */
import type { Command, CommandGroup } from './command';
import { cancelCommand } from './commands/cancel';
import { checkCommand } from './commands/check';
import { approveCommand, rejectCommand } from './commands/decide';
import { historyCommand } from './commands/history';
import { acknowledgeCommand, ledgerCommand } from './commands/ledger';
import { listCommand } from './commands/list';
import { maintenanceGroup } from './commands/maintenance';
import { scheduleGroup } from './commands/schedule/group';
import { startCommand } from './commands/start';
import { statusCommand } from './commands/status';
import { EXIT_CODE_TABLE, EXIT_CODES } from './exit-codes';
import { CliFailure, UsageError, type CliIo } from './io';
import { OUTPUT_HELP } from './output';

const PROGRAM = 'vcha-failover';
const COMMANDS: readonly (Command | CommandGroup)[] = [
  startCommand,
  statusCommand,
  listCommand,
  approveCommand,
  rejectCommand,
  cancelCommand,
  historyCommand,
  maintenanceGroup,
  checkCommand,
  scheduleGroup,
  ledgerCommand,
  acknowledgeCommand,
];

function isGroup(entry: Command | CommandGroup): entry is CommandGroup {
  return 'subcommands' in entry;
}

/** The commands that take `-o json`: those whose help lists the option. */
export function jsonCommands(): string[] {
  return COMMANDS.flatMap((c) => (isGroup(c) ? c.subcommands : [c]))
    .filter((c) => c.help.includes(OUTPUT_HELP))
    .map((c) => c.name);
}

/** Words filled into lines of at most 100 columns. */
function wrap(text: string): string {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= 100) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}

/** The help of the program itself: commands, connection settings and exit codes. */
function programHelp(): string {
  const commands = COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n');
  const codes = EXIT_CODE_TABLE.map(({ code, meaning }) => `  ${String(code).padStart(3)}  ${meaning}`).join('\n');
  return `Usage: ${PROGRAM} <command> [options]

Starts, follows and schedules vCenter HA failovers run by the vcha-failover worker.

Commands:
${commands}

Run ${PROGRAM} <command> --help for a command's options.

Temporal connection: the temporal CLI's flags (--address, -n/--namespace, --api-key, --tls,
--tls-cert-path, --tls-key-path, --tls-ca-path, --tls-server-name, --profile, --config-file) over
its variables (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*,
TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE) over the config-file profile. Task queue: --task-queue,
else VCHA_TASK_QUEUE, else vcha-failover. Web UI links: VCHA_UI_URL (default
http://localhost:8233).
${wrap(`-o json (one JSON document on stdout): ${jsonCommands().join(', ')}.`)}

Exit codes:
${codes}`;
}

/** Whether the arguments ask for help (options after "--" do not count). */
function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

const commandList = (entries: readonly { name: string }[]) => entries.map((c) => c.name.split(' ').at(-1)).join(', ');

/** The top-level command named `name`. */
function topLevel(name: string | undefined): Command | CommandGroup {
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry) return entry;
  throw new UsageError(
    name === undefined || name.startsWith('-')
      ? `missing command (${commandList(COMMANDS)})`
      : `unknown command "${name}" (${commandList(COMMANDS)})`,
  );
}

/** The subcommand of `group` named `name`. */
function subcommand(group: CommandGroup, name: string): Command {
  const entry = group.subcommands.find((c) => c.name === `${group.name} ${name}`);
  if (entry) return entry;
  throw new UsageError(`unknown command "${name}" (${commandList(group.subcommands)})`);
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Runs the command line and resolves to the exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let name = PROGRAM;
  try {
    if (argv[0] === 'help') return printHelp(io, argv.slice(1));
    if (argv[0]?.startsWith('-') && wantsHelp(argv)) return printHelp(io, []);
    let entry = topLevel(argv[0]);
    let rest = argv.slice(1);
    name = `${PROGRAM} ${entry.name}`;
    if (isGroup(entry)) {
      if (rest.length === 0) throw new UsageError(`missing command (${commandList(entry.subcommands)})`);
      if (!rest[0]!.startsWith('-')) {
        entry = subcommand(entry, rest[0]!);
        rest = rest.slice(1);
        name = `${PROGRAM} ${entry.name}`;
      }
    }
    if (wantsHelp(rest)) {
      io.out(`${entry.help}\n`);
      return EXIT_CODES.ok;
    }
    if (isGroup(entry)) throw new UsageError(`unknown option "${rest[0]}"`);
    return await entry.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${name}: ${oneLine(error)} (see ${name} --help)\n`);
      return EXIT_CODES.usage;
    }
    io.err(`${name}: ${oneLine(error)}\n`);
    return error instanceof CliFailure ? error.exitCode : EXIT_CODES.error;
  }
}

/** `help [command [subcommand]]`: the program's help or a command's. */
function printHelp(io: CliIo, topic: readonly string[]): number {
  let entry: Command | CommandGroup | undefined = topic.length > 0 ? topLevel(topic[0]) : undefined;
  if (entry && isGroup(entry) && topic[1] !== undefined) entry = subcommand(entry, topic[1]);
  io.out(`${entry ? entry.help : programHelp()}\n`);
  return EXIT_CODES.ok;
}
