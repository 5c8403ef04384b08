import type { ServerResponse } from 'node:http';
import type { StreamFraming } from 'ai.matey.wire';
import type { MockUpstreamReply } from './mock-upstream-reply.ts';
import { piecesToFrames, type StreamPiece } from './stream-pieces.ts';

/** One request's reply side: the response, an abort signal for its waits, and how it ended. */
export interface Exchange {
  res: ServerResponse;
  /** Aborted when the connection closes (client gone, server reset, or server closing). */
  signal: AbortSignal;
  /** Set when the mock itself dropped the connection (a fault), so it is no client abort. */
  serverReset: boolean;
  /** The protocol's stream framing when it is not SSE (Bedrock's event stream): set once routed. */
  framing?: StreamFraming | undefined;
}

/** Stream text as it goes on the wire: SSE as it is, or through the protocol's framing. */
export function onTheWire(exchange: Exchange, text: string): string | Uint8Array {
  return exchange.framing && text !== '' ? exchange.framing.frame(text) : text;
}

/** The headers of a streamed reply: SSE's, or the framing's content type. */
export function streamHeaders(exchange: Exchange): Record<string, string> {
  return exchange.framing ? { ...SSE_HEADERS, 'content-type': exchange.framing.contentType } : SSE_HEADERS;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
};

// An event whose data is not JSON, with a real event name so parsers dispatch it.
const MALFORMED_FRAME = 'event: content_block_delta\ndata: {"choices": [{"delta": {"content": "x"\n\n';

/** Waits `ms`, or less when the signal aborts first (never rejects). */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Drops the connection without a proper HTTP end (a reset, as a crashed upstream or proxy does). */
export function resetConnection(exchange: Exchange): void {
  exchange.serverReset = true;
  exchange.res.socket?.destroy();
}

/** Sends a whole JSON body with the status and headers. */
export function sendJson(
  exchange: Exchange,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  exchange.res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  exchange.res.end(body);
}

/**
 * Sends a non-streamed reply body, with the JSON-side faults: a reset mid-body, a body cut short
 * (a clean end with invalid JSON), or a body that does not parse.
 */
export function writeJsonReply(
  exchange: Exchange,
  status: number,
  body: string,
  headers: Record<string, string>,
  reply: MockUpstreamReply,
): void {
  const half = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
  if (reply.reset === 'after-first-event') {
    exchange.res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    });
    exchange.res.write(half, () => resetConnection(exchange));
    return;
  }
  if (reply.cutAfterEvents !== undefined) {
    exchange.res.writeHead(status, { 'content-type': 'application/json', ...headers });
    exchange.res.end(half);
    return;
  }
  sendJson(exchange, status, reply.malformed ? `${half}\u0000<not json>` : body, headers);
}

/**
 * Streams SSE pieces with their waits and the stream-side faults: reset after the first event,
 * a clean cut after N events (no terminator), a garbage event, an in-band error event after N.
 * Without waits or faults the whole stream goes out in one write.
 */
export async function writeStreamReply(
  exchange: Exchange,
  pieces: readonly StreamPiece[],
  terminator: () => string,
  reply: MockUpstreamReply,
  inBandError: () => string,
  headers: Record<string, string>,
): Promise<void> {
  const { res, signal } = exchange;
  res.writeHead(200, { ...streamHeaders(exchange), ...headers });
  const faulty =
    reply.reset === 'after-first-event' ||
    reply.cutAfterEvents !== undefined ||
    reply.errorEventAfter !== undefined ||
    reply.malformed === true;
  if (!faulty && !pieces.some((piece) => piece.delayMs > 0)) {
    let all = '';
    for (const piece of pieces) all += piece.text;
    res.end(onTheWire(exchange, all + terminator()));
    return;
  }
  // Faults count SSE events on the wire, so split pieces that hold several.
  const frames = faulty ? piecesToFrames(pieces) : [...pieces];
  if (reply.malformed) frames.splice(Math.min(1, frames.length), 0, { text: MALFORMED_FRAME, delayMs: 0 });
  for (let i = 0; i < frames.length; i++) {
    if (i === reply.cutAfterEvents) return void res.end();
    if (i === reply.errorEventAfter) return void res.end(onTheWire(exchange, inBandError()));
    const frame = frames[i];
    if (!frame) continue;
    if (frame.delayMs > 0) await delay(frame.delayMs, signal);
    if (signal.aborted) return;
    if (i === 0 && reply.reset === 'after-first-event') {
      res.write(onTheWire(exchange, frame.text), () => resetConnection(exchange));
      return;
    }
    if (!res.write(onTheWire(exchange, frame.text))) await drained(res, signal);
  }
  if (signal.aborted) return;
  if (reply.errorEventAfter !== undefined) res.end(onTheWire(exchange, inBandError()));
  else if (reply.cutAfterEvents !== undefined) res.end();
  else res.end(onTheWire(exchange, terminator()));
}

/** Resolves when the socket drains or the call is aborted, whichever comes first. */
export function drained(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
