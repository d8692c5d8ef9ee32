import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy the test can cut and restore: from the service's side indistinguishable from the
 * server going away (connections reset, new ones refused) and coming back on the same address.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  /** Delayed writes not done yet; cut() clears them so none outlives the proxy. */
  private readonly delayed = new Set<NodeJS.Timeout>();
  port = 0;
  /** Delay added to everything the server sends back (simulates a slow server). */
  responseDelayMs = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    if (this.server) return;
    this.server = createServer((client) => {
      const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        if (this.responseDelayMs === 0) client.write(chunk);
        else {
          const timer = setTimeout(() => {
            this.delayed.delete(timer);
            if (client.writable) client.write(chunk);
          }, this.responseDelayMs);
          this.delayed.add(timer);
        }
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = this.server.address();
    if (address && typeof address === 'object') this.port = address.port;
  }

  /** Refuse new connections and reset open ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const timer of this.delayed) clearTimeout(timer);
    this.delayed.clear();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** Listen again on the same port. */
  restore(): Promise<void> {
    return this.start();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
}
