/** Builds a {@link VcenterClient} for a configured target. */
import { VcenterClient, type VcenterLogger, type VcenterRequestEvent } from '../vcenter/client';
import { type ResolvedTarget } from './resolved-target';

/** Options that belong to the process rather than to a target. */
export interface CreateVcenterClientOptions {
  logger?: VcenterLogger;
  onRequest?: (event: VcenterRequestEvent) => void;
  maxConnections?: number;
}

/**
 * A client for `target`, with its URL, credentials, CA, TLS setting and timeouts. `at` reaches the
 * same vCenter at another URL (a node's failover IP, a per-node URL): same credentials and CA, and
 * the certificate is still verified against the target's configured host, since it does not change.
 */
export function createVcenterClient(
  target: ResolvedTarget,
  options: CreateVcenterClientOptions = {},
  at: string = target.url,
): VcenterClient {
  const tlsName = new URL(target.url).hostname;
  return new VcenterClient({
    baseUrl: at,
    ...(at !== target.url && new URL(at).hostname !== tlsName ? { tlsName } : {}),
    username: target.username,
    password: target.password,
    ...(target.ca === undefined ? {} : { ca: target.ca }),
    insecureSkipTlsVerify: target.insecureSkipTlsVerify,
    ...(target.timeouts === undefined ? {} : { timeouts: target.timeouts }),
    ...options,
  });
}
