import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { checkOptions, type OptionShape } from 'ai.matey.core';
import type { Gateway } from './create-gateway.ts';

/** How long slow or idle clients may hold a connection, and how many may be open at once. */
export interface ConnectionLimits {
  /** Most open client connections (HTTP and WebSocket); further ones are closed at accept. Default 2,048. */
  maxConnections: number;
  /** Time for a client to send its request headers; past it Node answers 408 and closes. Default 10 s. */
  headersTimeoutMs: number;
  /**
   * Time for a client to send its whole request, headers and body, checked by Node as a backstop to
   * the gateway's own body timeout (`limits.bodyTimeoutMs`, answered in the caller's format). Default 60 s.
   */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. Default 65 s. */
  keepAliveTimeoutMs: number;
}

/** The defaults: each connection of a streamed call also holds an upstream socket. */
export const defaultConnectionLimits: ConnectionLimits = {
  maxConnections: 2_048,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 65_000,
};

export interface ServeOptions extends Partial<ConnectionLimits> {
  port?: number;
  host?: string;
  /**
   * How long in-flight requests (streams included) may run after shutdown starts; then each open
   * stream gets an error event (`server_shutting_down`) and its connection is closed. Default 10 s.
   */
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

// After the grace period, the time open streams get to flush their error event before the cut.
const FLUSH_MS = 250;

/**
 * Serves a gateway on Node's HTTP server, with keep-alive, limits on slow and idle clients, a
 * connection cap, and graceful shutdown.
 */
const serveOptions: OptionShape<ServeOptions> = {
  port: true,
  host: true,
  shutdownGraceMs: true,
  maxConnections: true,
  headersTimeoutMs: true,
  requestTimeoutMs: true,
  keepAliveTimeoutMs: true,
};

export async function serveGateway(gateway: Gateway, options: ServeOptions = {}): Promise<RunningGateway> {
  checkOptions('serveGateway', options, serveOptions);
  const limits = { ...defaultConnectionLimits, ...definedOnly(options) };
  const server = createAdaptorServer({
    fetch: gateway.app.fetch,
    autoCleanupIncoming: false,
    serverOptions: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks the two timeouts above on this interval (default 30 s, which would triple a 10 s limit).
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
  }) as Server;
  server.maxConnections = limits.maxConnections;
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
      gateway.stopWatchers();
      const timer = setTimeout(() => {
        // Tell open streams why they end (an error event in their own format), then cut what is left.
        gateway.stopCalls();
        setTimeout(() => server.closeAllConnections(), FLUSH_MS).unref();
      }, grace);
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

function definedOnly(options: ServeOptions): Partial<ConnectionLimits> {
  const limits: Partial<ConnectionLimits> = {};
  for (const name of Object.keys(defaultConnectionLimits) as Array<keyof ConnectionLimits>) {
    const value = options[name];
    if (value !== undefined) limits[name] = value;
  }
  return limits;
}
