/**
 * One vCenter client per target per worker process, so concurrent runs share a session (and its
 * connection pool) instead of logging in for every activity.
 */
import type { TargetRegistry } from '../config';
import { createVcenterClient, type CreateVcenterClientOptions } from '../config';
import type { VcenterClient } from '../vcenter';

/** Hooks passed to every client created (logging, metrics). */
export type ClientHooks = CreateVcenterClientOptions;

/** Lazily creates and caches a client per configured target. */
export class VcenterClientCache {
  private readonly clients = new Map<string, VcenterClient>();

  constructor(
    private readonly targets: TargetRegistry,
    /** Hooks per target (logger, metrics); the same for every target when given as an object. */
    private readonly hooks: ClientHooks | ((target: string) => ClientHooks) = {},
  ) {}

  /** The client of a target; throws the registry's UnknownTargetError for an unconfigured name. */
  get(name: string): VcenterClient {
    let client = this.clients.get(name);
    if (!client) {
      const hooks = typeof this.hooks === 'function' ? this.hooks(name) : this.hooks;
      client = createVcenterClient(this.targets.get(name), hooks);
      this.clients.set(name, client);
    }
    return client;
  }

  /** Logs out and closes every client (worker shutdown). */
  async closeAll(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.allSettled(clients.map((client) => client.close()));
  }
}
