import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { checkOptions, type OptionShape } from 'ai.matey.core';
import type { Gateway } from './create-gateway.ts';

export interface ServeOptions {
  port?: number;
  host?: string;
  /** How long in-flight requests (streams included) may run after shutdown starts. Default 10 s. */
  shutdownGraceMs?: number;
}

export interface RunningGateway {
  server: Server;
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish up to the grace period, then closes. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const serveOptions: OptionShape<ServeOptions> = { port: true, host: true, shutdownGraceMs: true };

/** Serves a gateway on Node's HTTP server, with keep-alive and graceful shutdown. */
export async function serveGateway(gateway: Gateway, options: ServeOptions = {}): Promise<RunningGateway> {
  checkOptions('serveGateway', options, serveOptions);
  const server = createAdaptorServer({ fetch: gateway.app.fetch, autoCleanupIncoming: false }) as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const grace = options.shutdownGraceMs ?? 10_000;
  let closing: Promise<void> | undefined;
  // A keep-alive connection whose last reply finished during shutdown would hold `close()` open
  // until the client's idle timeout: drop each one as soon as its reply is done.
  server.on('request', (_request, response) => {
    response.once('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), grace);
      timer.unref();
    });
    return closing;
  };
  return {
    server,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close,
    [Symbol.asyncDispose]: close,
  };
}
