/**
 * A loopback TCP balancer for tests, standing in for the load balancer users put in front of a
 * multi-node Temporal cluster's frontends: one address for the worker and the CLI. It forwards
 * each connection whole (gRPC's HTTP/2 passes through untouched) to one backend, active/backup
 * style: new connections go to the backend that took the last one, and move on to the next only
 * when it refuses. A backend that dies takes its connections with it, as a real balancer's would.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { freePort } from '../../src/devtools/dev-server';

/** A running balancer. */
export interface TcpBalancer {
  /** `127.0.0.1:<port>`: the one address clients use. */
  address: string;
  /** How many forwarded connections are open to each backend, by backend address. */
  openConnections(): Record<string, number>;
  /** How many connections each backend has accepted since the balancer started. */
  acceptedConnections(): Record<string, number>;
  /** The backend new connections go to now. */
  currentBackend(): string;
  close(): Promise<void>;
}

function hostPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

/** Connects to `backend`, resolving with the socket once connected; rejects on refusal or after 2 s. */
function connectTo(backend: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(hostPort(backend));
    const timer = setTimeout(() => socket.destroy(new Error(`connect to ${backend} timed out`)), 2_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Starts a balancer in front of `backends` (at least one) on a free loopback port. */
export async function startTcpBalancer(backends: readonly string[]): Promise<TcpBalancer> {
  if (backends.length === 0) throw new Error('startTcpBalancer: give at least one backend address');
  let current = 0;
  const open = new Map<string, Set<Socket>>(backends.map((b) => [b, new Set()]));
  const accepted = new Map<string, number>(backends.map((b) => [b, 0]));
  const clients = new Set<Socket>();

  const forward = async (client: Socket) => {
    clients.add(client);
    client.once('close', () => clients.delete(client));
    client.pause();
    client.on('error', () => client.destroy());
    // One pass over the backends from the current one; when all refuse, the client sees its
    // connection closed and retries, as it would against a balancer with no healthy backend.
    for (let tried = 0; tried < backends.length; tried++) {
      const index = (current + tried) % backends.length;
      const backend = backends[index]!;
      let upstream: Socket;
      try {
        upstream = await connectTo(backend);
      } catch {
        continue;
      }
      if (client.destroyed) {
        upstream.destroy();
        return;
      }
      current = index;
      accepted.set(backend, accepted.get(backend)! + 1);
      open.get(backend)!.add(upstream);
      upstream.once('close', () => {
        open.get(backend)!.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => upstream.destroy());
      client.once('close', () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
      return;
    }
    client.destroy();
  };

  const server: Server = createServer((client) => void forward(client));
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const count = <T>(map: Map<string, T>, of: (value: T) => number) =>
    Object.fromEntries([...map].map(([backend, value]) => [backend, of(value)]));
  return {
    address: `127.0.0.1:${port}`,
    openConnections: () => count(open, (sockets) => sockets.size),
    acceptedConnections: () => count(accepted, (n) => n),
    currentBackend: () => backends[current]!,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const client of clients) client.destroy();
      for (const sockets of open.values()) for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
