import { NetworkError, type RateLimitInfo, type StreamEvent, type Warning } from 'ai.matey.core';
import { SseParser, type StreamDecoder, type StreamFrameReader } from 'ai.matey.wire';
import { discardBody, type TransportResponse } from '../transport/http-transport.ts';
import { toTransportError } from '../transport/transport-error.ts';

/** What the stream reader needs besides the body and the codec's decoder. */
export interface SseStreamContext {
  provider: string;
  signal: AbortSignal | undefined;
  /** Encoder warnings, put on the start event. */
  warnings: Warning[];
  /** Rate-limit headroom from the response headers, put on the start event. */
  rateLimit: RateLimitInfo | undefined;
}

/**
 * Reads an SSE body (or, given a `reader`, another framing: Bedrock's event stream) chunk by chunk (never buffered whole) through the protocol's stream
 * decoder. An in-band `error` event is thrown as its typed error; a body that ends before the
 * provider finished throws `NetworkError`; a consumer that stops early or an abort closes the
 * socket, so the upstream sees the client leave.
 */
export async function* decodeSseStream(
  response: TransportResponse,
  decoder: StreamDecoder,
  context: SseStreamContext,
  reader?: StreamFrameReader,
): AsyncGenerator<StreamEvent> {
  const { provider, signal } = context;
  const parser = reader ?? new SseParser();
  const state = { finished: false };
  let bodyDone = false;
  try {
    try {
      for await (const chunk of response.body) {
        for (const sse of parser.push(chunk)) {
          for (const event of decoder.push(sse)) {
            // One chunk can carry several events: none is delivered after the caller aborted.
            if (signal?.aborted) throw toTransportError(signal.reason, provider, signal);
            yield annotate(event, state, context);
          }
        }
      }
      bodyDone = true;
    } catch (error) {
      throw toTransportError(error, provider, signal);
    }
    for (const sse of parser.end()) {
      for (const event of decoder.push(sse)) yield annotate(event, state, context);
    }
    for (const event of decoder.end()) yield annotate(event, state, context);
    if (!state.finished) {
      throw new NetworkError({
        message: 'The stream ended before the provider finished its reply',
        provider,
        code: 'stream_truncated',
      });
    }
  } finally {
    // Stopped early (consumer broke off, error event): drop the socket so the upstream stops.
    if (!bodyDone) discardBody(response);
  }
}

function annotate(event: StreamEvent, state: { finished: boolean }, context: SseStreamContext): StreamEvent {
  if (event.type === 'error') throw event.error;
  if (event.type === 'finish') state.finished = true;
  const { warnings, rateLimit } = context;
  if (event.type !== 'start' || (warnings.length === 0 && rateLimit === undefined)) return event;
  const start = { ...event };
  if (warnings.length > 0) start.warnings = [...warnings, ...(event.warnings ?? [])];
  if (rateLimit) start.rateLimit = rateLimit;
  return start;
}
