/** HTTP(S) listeners, including one that can go away and come back on the same port. */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ClosedReason } from '../model/cluster-operations';

/** PEM key and certificate to serve HTTPS. */
export interface TlsOptions {
  key: string;
  cert: string;
}

/** A request handler that may be async; errors end the connection instead of crashing. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** Creates an HTTP server, or HTTPS when `tls` is given. */
export function createServer(tls: TlsOptions | undefined, handler: RequestHandler): Server {
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal simulator error');
      });
  };
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createHttpServer(listener);
  // A benchmark opens many parallel connections to one shared port.
  server.maxConnections = Infinity;
  return server;
}

/** Starts listening and resolves with the bound port. */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops listening and drops every open connection (including hung requests). */
export function shutDown(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      server.closeAllConnections();
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * One address of a cluster in the port-per-cluster layout. While the simulated vCenter service
 * moves to the other node, or while a fault refuses connections, the port is closed (new
 * connections are refused, open ones are dropped); once no reason to keep it closed is left, it
 * listens again on the same port.
 */
export class ReopenableListener {
  private boundPort = 0;
  private readonly closedFor = new Set<ClosedReason>();
  // Close/reopen calls are chained so a short outage cannot reopen before the close finished.
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly server: Server,
    private readonly host: string,
  ) {}

  /** The port, fixed after the first start. */
  get port(): number {
    return this.boundPort;
  }

  /** Listens on `port` (0 = any free port) and remembers the port chosen. */
  async start(port: number): Promise<number> {
    this.boundPort = await listen(this.server, this.host, port);
    return this.boundPort;
  }

  /** Closes the port and drops connections, until every reason given is taken back. */
  close(reason: ClosedReason): Promise<void> {
    this.closedFor.add(reason);
    this.queue = this.queue.catch(() => undefined).then(() => shutDown(this.server));
    return this.queue;
  }

  /** Takes back one reason; listens again on the same port when none is left (retrying briefly if it is busy). */
  reopen(reason: ClosedReason): Promise<void> {
    this.closedFor.delete(reason);
    this.queue = this.queue
      .catch(() => undefined)
      .then(async () => {
        if (this.server.listening || this.closedFor.size > 0) return;
        for (let attempt = 0; ; attempt += 1) {
          try {
            await listen(this.server, this.host, this.boundPort);
            return;
          } catch (error) {
            if (attempt >= 20) throw error;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      });
    return this.queue;
  }

  /** Closes for good. */
  shutDown(): Promise<void> {
    this.queue = this.queue.catch(() => undefined).then(() => shutDown(this.server));
    return this.queue;
  }
}
