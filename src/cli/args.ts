/**
 * Strict command-line parsing on top of `util.parseArgs`: unknown options, missing values and
 * stray arguments become one-line usage errors instead of being ignored.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseDuration } from '../contract';
import { UsageError } from './io';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
type StrictConfig<O extends OptionsConfig> = { args: string[]; options: O; strict: true; allowPositionals: true };

/** The first sentence of a message, lower-cased at the start, for a one-line error. */
function firstSentence(message: string): string {
  const sentence = message.split(/\.\s|\n/)[0] ?? message;
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

/**
 * `--flag=true` and `--flag=false` for boolean options, as the `temporal` CLI accepts them
 * (`--tls=false`): the arguments without the `=false` ones, and the options they turned off.
 */
function explicitBooleans(argv: readonly string[], options: OptionsConfig): { args: string[]; off: string[] } {
  const args: string[] = [];
  const off: string[] = [];
  let afterEnd = false;
  for (const arg of argv) {
    const match = afterEnd ? null : /^--([\w-]+)=(true|false)$/.exec(arg);
    if (arg === '--') afterEnd = true;
    if (match && options[match[1]!]?.type === 'boolean') {
      if (match[2] === 'true') args.push(`--${match[1]}`);
      else off.push(match[1]!);
    } else args.push(arg);
  }
  return { args, off };
}

/**
 * Parses `argv` against `options` and exactly the named positionals; throws UsageError naming
 * what is wrong.
 */
export function parseCommandArgs<const O extends OptionsConfig>(
  argv: readonly string[],
  options: O,
  positionalNames: readonly string[] = [],
): ReturnType<typeof parseArgs<StrictConfig<O>>> {
  const { args, off } = explicitBooleans(argv, options);
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(firstSentence(error instanceof Error ? error.message : String(error)));
  }
  for (const name of off) {
    if ((parsed.values as Record<string, unknown>)[name] === true)
      throw new UsageError(`--${name} given both on and off`);
    (parsed.values as Record<string, unknown>)[name] = false;
  }
  const { positionals } = parsed;
  if (positionals.length < positionalNames.length) {
    throw new UsageError(`missing <${positionalNames[positionals.length]}>`);
  }
  if (positionals.length > positionalNames.length) {
    throw new UsageError(`unexpected argument "${positionals[positionalNames.length]}"`);
  }
  return parsed;
}

/** A required string option, or a usage error naming the flag. */
export function requireOption(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required`);
  return value;
}

/** Milliseconds of a duration flag ("90s", "10m", "1h") within bounds, or a usage error naming the flag. */
export function durationOption(text: string, flag: string, minMs: number, maxMs: number): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`${flag}: "${text}" is not a duration (use ms, s, m or h, e.g. "10m")`);
  if (ms < minMs || ms > maxMs) {
    throw new UsageError(`${flag}: must be between ${minMs / 1_000} s and ${maxMs / 1_000} s (got "${text}")`);
  }
  return ms;
}

/** A usage error listing validation problems ("field: message"), each named by its flag where it has one. */
export function problemsAsFlags(
  problems: readonly string[],
  flagOfField: Readonly<Record<string, string>>,
): UsageError {
  return new UsageError(
    problems
      .map((problem) => {
        const field = problem.slice(0, problem.indexOf(':'));
        return flagOfField[field] ? `${flagOfField[field]}${problem.slice(field.length)}` : problem;
      })
      .join('; '),
  );
}
