/** Public API of the vCenter targets configuration. */
export { ConfigError, UnknownTargetError } from './errors';
export { loadTargetsFile } from './load-targets-file';
export { parseTargets } from './parse-targets';
export { TargetRegistry } from './registry';
export { createResolvedTarget, type ResolvedTarget } from './resolved-target';
export { createVcenterClient, type CreateVcenterClientOptions } from './create-vcenter-client';
