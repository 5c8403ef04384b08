import type { GatewayContext } from './gateway-env.ts';

/** The text of a server-sent event stream, pulled one piece at a time. */
export interface SseSource {
  /** The next text to send (`''` when an event had nothing to say), or undefined at the end. */
  next(): Promise<string | undefined> | string | undefined;
  /** The client went away: stop reading upstream. */
  cancel(): void;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
  // Told up front, @hono/node-server sends the headers at once instead of first waiting a timer
  // tick for the body's second piece (to give a short body a content-length).
  'transfer-encoding': 'chunked',
};

/**
 * A server-sent event reply as a web `Response`: its body is pulled from `source` only as fast as
 * the socket takes it (@hono/node-server reads the next piece after a write the socket accepted,
 * or after `drain`), so a slow client stops the reading of the upstream, and a client that goes
 * away cancels it.
 *
 * @example
 * return sseResponse(c, { 'x-matey-model': 'gpt-4o-mini' }, source);
 */
export function sseResponse(c: GatewayContext, headers: Record<string, string>, source: SseSource): Response {
  const body = new ReadableStream<string>(
    {
      async pull(controller) {
        for (;;) {
          const text = await source.next();
          if (text === undefined) return controller.close();
          if (text !== '') return controller.enqueue(text);
        }
      },
      cancel: () => source.cancel(),
    },
    // Nothing is read ahead of the socket.
    { highWaterMark: 0 },
  );
  return c.body(body, 200, { ...SSE_HEADERS, ...headers });
}
