import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AiMateyError } from 'ai.matey.core';
import type { WireCodec } from 'ai.matey.wire';
import { encodeMockError } from './mock-error.ts';
import type { MockUpstreamReply } from './mock-upstream-reply.ts';
import { type Exchange, sendJson } from './reply-writer.ts';

/** Reads a whole request body as text; rejects when the client leaves halfway. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () =>
      resolve(chunks.length === 1 ? String(chunks[0]) : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('The client closed the connection while sending the body'));
    });
  });
}

/** Answers with the provider's error body for a typed error (plus any extra headers). */
export function sendError(
  exchange: Exchange,
  codec: WireCodec,
  error: AiMateyError,
  reply: Pick<MockUpstreamReply, 'status' | 'retryAfter' | 'retryAfterMs'> = {},
  headers: Record<string, string> = {},
): void {
  const encoded = encodeMockError(codec, error, reply);
  sendJson(exchange, encoded.status, encoded.body, { ...encoded.headers, ...headers });
}

/** A reply that failed inside the mock itself (a missing fixture, a throwing reply function). */
export function sendMockFailure(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (res.destroyed) return;
  const message = error instanceof Error ? error.message : String(error);
  const body = JSON.stringify({
    error: { message: `Mock upstream failed: ${message}`, type: 'mock_upstream_error' },
  });
  res.writeHead(500, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}
