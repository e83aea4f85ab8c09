/**
 * The addresses one cluster answers at in the port-per-cluster layout, all on the same port: its
 * public address and any aliases (other loopback addresses that reach the same vCenter, as a DNS
 * name and its IP address do), or, once a node with a `failover_ip` is active, that address alone.
 * The address the cluster left stays dark until it comes back: refused (closed), or a blackhole
 * (open, and nothing is ever answered).
 */
import type { Server } from 'node:http';
import type { ClosedReason, ClusterTransport, DarkAddressStyle } from '../model/cluster-operations';
import { ReopenableListener } from './listener';

/** Every listener of one cluster, and which of them answer now. */
export class ClusterListeners implements ClusterTransport {
  private readonly listeners = new Map<string, ReopenableListener>();
  private readonly closedFor = new Set<ClosedReason>();
  private serving: string;
  private boundPort = 0;
  // Moves are chained so that an outage's reopen never overtakes a move still in progress.
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly createServer: () => Server,
    private readonly publicHost: string,
    private readonly aliases: readonly string[],
  ) {
    this.serving = publicHost;
  }

  /** The port every address of this cluster uses. */
  get port(): number {
    return this.boundPort;
  }

  /** The address the cluster answers at now (its public one, or the active node's failover IP). */
  get servingAddress(): string {
    return this.serving;
  }

  /** Listens on the public address and the aliases; `port` 0 picks a free one for all of them. */
  async start(port: number): Promise<number> {
    this.boundPort = await this.listenerFor(this.publicHost).start(port);
    for (const alias of this.aliases) await this.listenerFor(alias).start(this.boundPort);
    return this.boundPort;
  }

  /** Whether a request that arrived at `localAddress` is answered (false at a blackholed old address). */
  answers(localAddress: string | undefined): boolean {
    const address = localAddress?.replace(/^::ffff:/, '');
    return address === undefined || this.group(this.serving).includes(address);
  }

  close(reason: ClosedReason): Promise<void> {
    this.closedFor.add(reason);
    return this.chain(() => Promise.all(this.group(this.serving).map((a) => this.listenerFor(a).close(reason))));
  }

  reopen(reason: ClosedReason): Promise<void> {
    this.closedFor.delete(reason);
    return this.chain(() => Promise.all(this.group(this.serving).map((a) => this.listenerFor(a).reopen(reason))));
  }

  /**
   * From now on the cluster answers at `address` (undefined: its public address). The addresses it
   * leaves go dark in `style`; those it reaches open unless a reason to stay closed remains.
   */
  serveAt(address: string | undefined, style: DarkAddressStyle): Promise<void> {
    return this.chain(async () => {
      const next = address ?? this.publicHost;
      if (next === this.serving) return;
      const leaving = this.group(this.serving);
      this.serving = next;
      const reaching = this.group(next);
      for (const left of leaving.filter((a) => !reaching.includes(a))) {
        const listener = this.listenerFor(left);
        // Dark first, so that taking back the other reasons never opens a refusing address, even briefly.
        if (style === 'refuse') await listener.close('dark');
        for (const reason of this.closedFor) await listener.reopen(reason);
      }
      for (const reached of reaching) {
        const listener = this.listenerFor(reached);
        if (listener.port === 0) await listener.start(this.boundPort);
        for (const reason of this.closedFor) await listener.close(reason);
        await listener.reopen('dark');
      }
    });
  }

  /** Closes every address for good. */
  async shutDown(): Promise<void> {
    await this.queue.catch(() => undefined);
    await Promise.all([...this.listeners.values()].map((listener) => listener.shutDown()));
  }

  private group(address: string): string[] {
    return address === this.publicHost ? [this.publicHost, ...this.aliases] : [address];
  }

  private listenerFor(address: string): ReopenableListener {
    let listener = this.listeners.get(address);
    if (!listener) {
      listener = new ReopenableListener(this.createServer(), address);
      this.listeners.set(address, listener);
    }
    return listener;
  }

  private chain(step: () => Promise<unknown>): Promise<void> {
    this.queue = this.queue
      .catch(() => undefined)
      .then(async () => {
        await step();
      });
    return this.queue;
  }
}
