import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy to a local server (PostgreSQL, Redis) that a test can cut (every connection
 * dropped, new ones refused) and restore, to play a store that goes away and comes back.
 */
export interface FlakyProxy {
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * Starts a proxy on an ephemeral port of 127.0.0.1 in front of `127.0.0.1:targetPort`.
 *
 * @example
 * const proxy = await startFlakyProxy(6379);
 * proxy.cut(); // Redis is "down" for whoever connects through proxy.port
 * proxy.restore();
 */
export async function startFlakyProxy(targetPort: number): Promise<FlakyProxy> {
  let up = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!up) return client.destroy();
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    cut() {
      up = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      up = true;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
