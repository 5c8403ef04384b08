import type { GatewayContext } from './gateway-env.ts';
import { textReply } from './json-reply.ts';

/** The text of a server-sent event stream, pulled one piece at a time. */
export interface SseSource {
  /** The next text to send (`''` when an event had nothing to say), or undefined at the end. */
  next(): Promise<string | undefined>;
  /** The stream will not be read on (client gone, reply replaced): stop reading upstream. */
  cancel(): void;
  /** Another framing than SSE (Gemini's JSON-array stream without `alt=sse`). */
  contentType?: string | undefined;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * A server-sent event reply: a `Response` with the stream's status and headers, which every Hono
 * middleware sees and may change (or replace) like any other reply; `sseWriter`, the gateway's
 * outermost middleware, then writes it with its body pulled from `source`.
 *
 * @example
 * return sseResponse(c, { 'x-matey-model': 'gpt-4o-mini' }, source);
 */
export function sseResponse(c: GatewayContext, headers: Record<string, string>, source: SseSource): Response {
  c.set('sseSource', source);
  const framing = source.contentType ? { 'content-type': source.contentType } : {};
  return textReply(c, null, 200, { ...SSE_HEADERS, ...headers, ...framing });
}

/** Whether a reply is still the event stream `sseResponse` made (no middleware replaced it). */
export function isEventStream(response: Response, source: SseSource): boolean {
  const framing = source.contentType ?? 'text/event-stream';
  return response.status === 200 && (response.headers.get('content-type') ?? '').startsWith(framing);
}
