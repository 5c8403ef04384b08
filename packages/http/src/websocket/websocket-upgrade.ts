import { type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { toAiMateyError } from 'ai.matey.core';
import { type GatewayKey, presentedKey } from '../gateway-keys.ts';
import type { GatewayPolicy } from '../gateway-policy.ts';

/**
 * Decides an upgrade before the WebSocket handshake: the path, the browser origin (the policy's
 * `corsOrigins`), the key. A refused one is answered and closed here; an upgrade to another path
 * is left alone only when another upgrade listener may serve it (nobody else would answer it).
 */
export async function admitUpgrade(
  request: IncomingMessage,
  socket: Duplex,
  options: { path: string; policy: GatewayPolicy; server: Server },
): Promise<{ key: GatewayKey | undefined } | undefined> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname !== options.path) {
    if (options.server.listenerCount('upgrade') <= 1)
      refuseUpgrade(socket, 404, `No WebSocket endpoint at ${url.pathname}; use ${options.path}`);
    return undefined;
  }
  if (!options.policy.allowsOrigin(request.headers.origin)) {
    refuseUpgrade(socket, 403, 'This browser origin is not allowed (see corsOrigins)');
    return undefined;
  }
  try {
    return { key: await options.policy.authenticate(upgradeKey(request, url)) };
  } catch (error) {
    refuseUpgrade(socket, 401, toAiMateyError(error).message);
    return undefined;
  }
}

/**
 * Answers an upgrade the server will not accept and closes its socket. Node hands an upgrade's
 * socket to its listeners with no timeout, so one left unanswered stays open for good: every
 * refusal must write a reply and destroy the socket once it is flushed.
 */
export function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  // A client that resets the connection must not crash the process with an unhandled error.
  socket.on('error', () => socket.destroy());
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${message}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'connection: close\r\ncontent-type: text/plain; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** The gateway key of an upgrade: `x-api-key`, `Authorization: Bearer`, or `?api_key=` (browsers). */
export function upgradeKey(request: IncomingMessage, url: URL): string | undefined {
  return presentedKey(request.headers, url.search, { query: 'api_key' });
}
