/**
 * One vCenter client per target and address per worker process, so concurrent runs share a session
 * (and its connection pool) instead of logging in for every activity. A target's client is the one
 * at the address its cluster answered at last (see `addresses.ts`): its configured URL until a
 * failover moves the cluster to a node's failover IP or per-node URL.
 */
import type { TargetRegistry } from '../config';
import { createVcenterClient, type CreateVcenterClientOptions } from '../config';
import type { VcenterClient } from '../vcenter';
import { AddressBook, type TargetAddressing } from './addresses';

/** Hooks passed to every client created (logging, metrics). */
export type ClientHooks = CreateVcenterClientOptions;

/** Lazily creates and caches a client per configured target and address. */
export class VcenterClientCache implements TargetAddressing {
  private readonly clients = new Map<string, VcenterClient>();
  private readonly book = new AddressBook();

  constructor(
    private readonly targets: TargetRegistry,
    /** Hooks per target (logger, metrics); the same for every target when given as an object. */
    private readonly hooks: ClientHooks | ((target: string) => ClientHooks) = {},
  ) {}

  /** The client of a target where its cluster answers now; throws the registry's UnknownTargetError for an unconfigured name. */
  get(name: string): VcenterClient {
    return this.clientAt(name, this.servingUrl(name));
  }

  /** The client of a target at `url`: the target's credentials, CA and certificate name. */
  clientAt(name: string, url: string): VcenterClient {
    const key = `${name} ${url}`;
    let client = this.clients.get(key);
    if (!client) {
      const hooks = typeof this.hooks === 'function' ? this.hooks(name) : this.hooks;
      client = createVcenterClient(this.targets.get(name), hooks, url);
      this.clients.set(key, client);
    }
    return client;
  }

  configuredUrl(name: string): string {
    return this.targets.get(name).url;
  }

  nodeUrls(name: string): Readonly<Record<string, string>> | undefined {
    return this.targets.get(name).nodes;
  }

  servingUrl(name: string): string {
    return this.book.servingUrl(name, this.configuredUrl(name));
  }

  answeredAt(name: string, url: string): void {
    this.book.answeredAt(name, url);
  }

  learn(name: string, identity: string | undefined, urls: readonly string[]): void {
    this.book.learn(name, identity, urls);
  }

  learnedUrls(name: string): readonly string[] {
    return this.book.learnedUrls(name);
  }

  identityOf(name: string): string | undefined {
    return this.book.identityOf(name);
  }

  /** Logs out and closes every client (worker shutdown). */
  async closeAll(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.allSettled(clients.map((client) => client.close()));
  }
}
