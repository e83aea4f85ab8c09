/**
 * Errors of the targets configuration: one that lists every problem found in a targets file, and one for asking
 * for a target that is not configured.
 */

/** The targets configuration is invalid; `problems` holds one `path: what is wrong` line per problem. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  /** The file (or other origin) the configuration came from. */
  readonly source: string;
  /** Every problem found, each prefixed by the path of the offending value. */
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[]) {
    super(`invalid vCenter targets configuration (${source}):\n${problems.map((line) => `  ${line}`).join('\n')}`);
    this.source = source;
    this.problems = problems;
  }
}

/** A target name was asked for that the configuration does not define. */
export class UnknownTargetError extends Error {
  override name = 'UnknownTargetError';
  /** The name that was asked for. */
  readonly targetName: string;
  /** The names that are configured. */
  readonly knownTargets: readonly string[];

  constructor(targetName: string, knownTargets: readonly string[]) {
    const known = knownTargets.length === 0 ? 'none' : knownTargets.join(', ');
    super(`unknown vCenter target ${JSON.stringify(targetName)}; configured targets: ${known}`);
    this.targetName = targetName;
    this.knownTargets = knownTargets;
  }
}
