import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

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
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey) return apiKey;
  const authorization = request.headers.authorization;
  if (authorization && /^bearer\s+/i.test(authorization)) return authorization.replace(/^bearer\s+/i, '');
  return url.searchParams.get('api_key') ?? undefined;
}
