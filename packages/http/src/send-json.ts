import type { ServerResponse } from 'node:http';
import { type AiMateyError, redactSecrets } from 'ai.matey.core';
import type { WireCodec } from 'ai.matey.wire';
import { errorRoutingHeaders } from './reply-headers.ts';

/** A JSON reply with its `content-length`. */
export function sendJson(
  outgoing: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendText(outgoing, status, JSON.stringify(body), headers);
}

/**
 * An error in the caller's format. Every error body the gateway sends goes through here, and
 * through `redactSecrets`: no registered secret (a provider's key, a store password) leaves in it.
 */
export function sendError(
  outgoing: ServerResponse,
  codec: WireCodec,
  error: AiMateyError,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  const encoded = codec.encodeError(error);
  sendText(outgoing, encoded.status, redactSecrets(JSON.stringify(encoded.body)), {
    ...encoded.headers,
    ...errorRoutingHeaders(error),
    ...headers,
    'x-request-id': requestId,
  });
}

function sendText(outgoing: ServerResponse, status: number, text: string, headers: Record<string, string>) {
  outgoing.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  outgoing.end(text);
}
