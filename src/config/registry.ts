/** The configured vCenter targets, looked up by name. */
import { UnknownTargetError } from './errors';
import { describeTarget, type ResolvedTarget } from './resolved-target';

/** Read-only set of resolved targets, in configuration order. */
export class TargetRegistry {
  private readonly byName: ReadonlyMap<string, ResolvedTarget>;

  /** The allowed-signers file that vouches for signed approvals (absolute), when the file names one. */
  readonly allowedSignersFile?: string;

  constructor(targets: Iterable<ResolvedTarget>, options: { allowedSignersFile?: string } = {}) {
    if (options.allowedSignersFile !== undefined) this.allowedSignersFile = options.allowedSignersFile;
    const byName = new Map<string, ResolvedTarget>();
    for (const target of targets) {
      if (byName.has(target.name)) throw new TypeError(`duplicate vCenter target ${JSON.stringify(target.name)}`);
      byName.set(target.name, target);
    }
    this.byName = byName;
  }

  /** Names of the configured targets. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Whether a target of that name is configured. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The target of that name; throws {@link UnknownTargetError} listing the configured names when there is none. */
  get(name: string): ResolvedTarget {
    const target = this.byName.get(name);
    if (target === undefined) throw new UnknownTargetError(name, this.names());
    return target;
  }

  /** Loggable form: every target with its password masked. */
  toJSON(): Record<string, unknown>[] {
    return [...this.byName.values()].map(describeTarget);
  }
}
