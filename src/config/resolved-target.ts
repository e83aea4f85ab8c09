/**
 * A vCenter target with its secrets loaded. Its JSON and `util.inspect` forms mask the password, so logging a
 * target by accident cannot leak it.
 */
import { inspect } from 'node:util';
import { DEFAULT_TARGET_POLICY, type TargetPolicy } from '../contract/policy';
import { type VcenterTimeouts } from '../vcenter/http-transport';

/** Everything needed to connect to one vCenter. */
export interface ResolvedTarget {
  /** The target's name in the configuration. */
  readonly name: string;
  /** Base URL of the vCenter (https, or http for a loopback host). */
  readonly url: string;
  readonly username: string;
  /** The password, read from the configured environment variable or file. */
  readonly password: string;
  /** PEM CA certificate(s) to trust for this target, read from `caFile`. */
  readonly ca?: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly timeouts?: VcenterTimeouts;
  /**
   * Per-node URLs from the targets file (`nodes`): node (`node1`, `node2` or its `ha_ip`) to the URL
   * the worker reaches it at once it is active, in place of its failover IP. Same credentials, CA
   * and certificate name as `url`.
   */
  readonly nodes?: Readonly<Record<string, string>>;
  /** Which failovers may run at once, need approval or are refused (file default, then built-in default). */
  readonly policy: TargetPolicy;
}

const MASK = '[redacted]';

/** Form of a target that is safe to log: the password masked, the CA abbreviated. */
export function describeTarget(target: ResolvedTarget): Record<string, unknown> {
  return {
    name: target.name,
    url: target.url,
    username: target.username,
    password: MASK,
    ...(target.ca === undefined ? {} : { ca: `[PEM, ${target.ca.length} characters]` }),
    insecureSkipTlsVerify: target.insecureSkipTlsVerify,
    ...(target.timeouts === undefined ? {} : { timeouts: { ...target.timeouts } }),
    ...(target.nodes === undefined ? {} : { nodes: { ...target.nodes } }),
    policy: { ...target.policy },
  };
}

/** A frozen target whose `toJSON()` and `util.inspect` form mask the password; the policy defaults to {@link DEFAULT_TARGET_POLICY}. */
export function createResolvedTarget(
  fields: Omit<ResolvedTarget, 'policy'> & { policy?: TargetPolicy },
): ResolvedTarget {
  const target: ResolvedTarget = {
    name: fields.name,
    url: fields.url,
    username: fields.username,
    password: fields.password,
    ...(fields.ca === undefined ? {} : { ca: fields.ca }),
    insecureSkipTlsVerify: fields.insecureSkipTlsVerify,
    ...(fields.timeouts === undefined ? {} : { timeouts: Object.freeze({ ...fields.timeouts }) }),
    ...(fields.nodes === undefined ? {} : { nodes: Object.freeze({ ...fields.nodes }) }),
    policy: Object.freeze({ ...(fields.policy ?? DEFAULT_TARGET_POLICY) }),
  };
  Object.defineProperty(target, 'toJSON', { value: () => describeTarget(target), enumerable: false });
  Object.defineProperty(target, inspect.custom, {
    value: (_depth: number, options: object) => `ResolvedTarget ${inspect(describeTarget(target), options)}`,
    enumerable: false,
  });
  return Object.freeze(target);
}
