/** Builds a {@link VcenterClient} for a configured target. */
import { VcenterClient, type VcenterLogger, type VcenterRequestEvent } from '../vcenter/client';
import { type ResolvedTarget } from './resolved-target';

/** Options that belong to the process rather than to a target. */
export interface CreateVcenterClientOptions {
  logger?: VcenterLogger;
  onRequest?: (event: VcenterRequestEvent) => void;
  maxConnections?: number;
}

/** A client for `target`, with its URL, credentials, CA, TLS setting and timeouts. */
export function createVcenterClient(target: ResolvedTarget, options: CreateVcenterClientOptions = {}): VcenterClient {
  return new VcenterClient({
    baseUrl: target.url,
    username: target.username,
    password: target.password,
    ...(target.ca === undefined ? {} : { ca: target.ca }),
    insecureSkipTlsVerify: target.insecureSkipTlsVerify,
    ...(target.timeouts === undefined ? {} : { timeouts: target.timeouts }),
    ...options,
  });
}
