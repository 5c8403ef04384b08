import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { MiddlewareHandler } from 'hono';
import type { GatewayEnv } from './gateway-env.ts';
import { isEventStream, type SseSource } from './sse-response.ts';
import { SseSocket } from './sse-socket.ts';

/**
 * Writes the event stream a route answered with (`sseResponse`) once every other middleware has
 * seen its reply: the status and headers as they finally are, then the body pulled from its
 * source straight onto the Node response. Register it first, so it runs last.
 *
 * Why not a `Response` with a `ReadableStream` body: in the same-run bench (`pnpm bench --only
 * streaming`, 3 alternating runs each on 2026-12-07), time to first byte through the gateway was
 * 2.2–5.9× the floor proxy's that way, against 1.5–2.1× before and 1.5–1.8× written here; the
 * headers left in a packet of their own and each event took a web-stream read. Here the headers
 * go out with the first event, each write is flushed as it comes, and a full socket buffer makes
 * the next read wait for `drain`, which stops the reading of the upstream.
 *
 * @example
 * app.use('*', sseWriter());
 */
export function sseWriter(): MiddlewareHandler<GatewayEnv> {
  return async function sseWriterMiddleware(c, next) {
    await next();
    const source = c.get('sseSource');
    if (source === undefined) return;
    const reply = c.res;
    // A middleware answered otherwise: the stream will never be read.
    if (!isEventStream(reply, source)) return source.cancel();
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of reply.headers) headers[name] = value;
    const cookies = reply.headers.getSetCookie();
    if (cookies.length > 0) headers['set-cookie'] = cookies;
    void pump(c.env.outgoing, reply.status, headers, source);
    // Set twice so Hono hands on the marker itself, not a copy that would write the headers again.
    c.res = undefined;
    c.res = RESPONSE_ALREADY_SENT;
  };
}

async function pump(
  outgoing: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  source: SseSource,
): Promise<void> {
  const sse = new SseSocket(outgoing);
  outgoing.once('close', () => source.cancel());
  sse.start(status, headers);
  try {
    while (!sse.closed) {
      const text = await source.next();
      if (text === undefined) return sse.end();
      const full = sse.write(text);
      if (full) await full;
    }
  } catch {
    // A source that throws (ours report failures as the stream's last event) ends the stream.
    source.cancel();
    sse.end();
  }
}
