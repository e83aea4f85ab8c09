/** The shape every `vcha-failover` command shares, so the entry point can list, help and dispatch them. */
import type { CliIo } from './io';

/** A command: its help and what it does with its arguments. */
export interface Command {
  /** How it is invoked after `vcha-failover`, e.g. `status` or `schedule create`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full help text, printed for `--help`. */
  help: string;
  /** Runs with the arguments after the command name and resolves to the exit code. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** A command made of subcommands, e.g. `schedule create|list|…`. */
export interface CommandGroup {
  name: string;
  summary: string;
  help: string;
  subcommands: readonly Command[];
}
