import { NetworkError, type RateLimitInfo, type StreamEvent, type Warning } from 'ai.matey.core';
import type { BatchResult, BatchSource } from 'ai.matey.core/internal';
import { SseParser, type StreamDecoder, type StreamFrameReader } from 'ai.matey.wire';
import { bodyChunks } from '../transport/body-chunks.ts';
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
 * Reads an SSE body (or, given a `reader`, another framing: Bedrock's event stream) chunk by
 * chunk (never buffered whole) through the protocol's stream decoder. An in-band `error` event is
 * thrown as its typed error (after the events before it); a body that ends before the provider
 * finished throws `NetworkError`; a consumer that stops early or an abort closes the socket, so
 * the upstream sees the client leave. `nextBatch()` hands over every event of one socket read.
 */
export function decodeSseStream(
  response: TransportResponse,
  decoder: StreamDecoder,
  context: SseStreamContext,
  reader?: StreamFrameReader,
): AsyncIterableIterator<StreamEvent> & BatchSource {
  return new SseEventStream(response, decoder, context, reader ?? new SseParser());
}

class SseEventStream implements AsyncIterableIterator<StreamEvent>, BatchSource {
  readonly #response: TransportResponse;
  readonly #chunks: AsyncIterator<Uint8Array>;
  readonly #decoder: StreamDecoder;
  readonly #context: SseStreamContext;
  readonly #parser: StreamFrameReader;
  /** Decoded, not yet read: `#queue[#at]` onwards. */
  #queue: StreamEvent[] = [];
  #at = 0;
  /** The error to throw once the events before it are read. */
  #failure: { error: unknown } | undefined;
  #open = true;
  #bodyDone = false;
  #finished = false;

  constructor(
    response: TransportResponse,
    decoder: StreamDecoder,
    context: SseStreamContext,
    parser: StreamFrameReader,
  ) {
    this.#response = response;
    this.#chunks = bodyChunks(response.body);
    this.#decoder = decoder;
    this.#context = context;
    this.#parser = parser;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<StreamEvent>> {
    if (this.#at < this.#queue.length && !this.#aborted()) return Promise.resolve(this.#takeOne());
    return this.#fill().then(() => this.#takeOne());
  }

  nextBatch(): Promise<BatchResult> {
    if (this.#at < this.#queue.length && !this.#aborted()) return Promise.resolve(this.#takeAll());
    return this.#fill().then(() => this.#takeAll());
  }

  /** One read can carry several events: none is delivered after the caller aborted. */
  #aborted(): boolean {
    const { provider, signal } = this.#context;
    if (!signal?.aborted || !this.#open) return false;
    this.#fail(toTransportError(signal.reason, provider, signal));
    return true;
  }

  return(value?: unknown): Promise<IteratorResult<StreamEvent>> {
    this.#queue = [];
    this.#at = 0;
    this.#failure = undefined;
    this.#close();
    return Promise.resolve({ done: true, value });
  }

  #takeOne(): IteratorResult<StreamEvent> {
    if (this.#at >= this.#queue.length) return { done: true, value: undefined };
    return { done: false, value: this.#queue[this.#at++] as StreamEvent };
  }

  #takeAll(): BatchResult {
    if (this.#at >= this.#queue.length) return { done: true, value: undefined };
    const events = this.#at === 0 ? this.#queue : this.#queue.slice(this.#at);
    this.#queue = [];
    this.#at = 0;
    return { done: false, value: events };
  }

  /** Reads until an event is queued, the body ended, or a failure is due (thrown here). */
  async #fill(): Promise<void> {
    this.#queue = [];
    this.#at = 0;
    while (this.#queue.length === 0) {
      const failure = this.#failure;
      if (failure) {
        this.#failure = undefined;
        throw failure.error;
      }
      if (!this.#open) return;
      await this.#read();
    }
  }

  async #read(): Promise<void> {
    const { provider, signal } = this.#context;
    try {
      const chunk = await this.#chunks.next();
      if (signal?.aborted) throw toTransportError(signal.reason, provider, signal);
      if (!chunk.done) {
        for (const sse of this.#parser.push(chunk.value)) this.#decode(this.#decoder.push(sse));
        return;
      }
      this.#bodyDone = true;
    } catch (error) {
      return this.#fail(toTransportError(error, provider, signal));
    }
    try {
      for (const sse of this.#parser.end()) this.#decode(this.#decoder.push(sse));
      this.#decode(this.#decoder.end());
      if (!this.#finished) {
        throw new NetworkError({
          message: 'The stream ended before the provider finished its reply',
          provider,
          code: 'stream_truncated',
        });
      }
      this.#open = false;
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Queues decoded events; an in-band `error` event throws its error. */
  #decode(events: StreamEvent[]): void {
    for (const event of events) this.#queue.push(this.#annotate(event));
  }

  #annotate(event: StreamEvent): StreamEvent {
    if (event.type === 'error') throw event.error;
    if (event.type === 'finish') this.#finished = true;
    const { warnings, rateLimit } = this.#context;
    if (event.type !== 'start' || (warnings.length === 0 && rateLimit === undefined)) return event;
    const start = { ...event };
    if (warnings.length > 0) start.warnings = [...warnings, ...(event.warnings ?? [])];
    if (rateLimit) start.rateLimit = rateLimit;
    return start;
  }

  #fail(error: unknown): void {
    this.#failure = { error };
    this.#close();
  }

  /** Stopped early (consumer broke off, error event): drop the socket so the upstream stops. */
  #close(): void {
    if (!this.#open) return;
    this.#open = false;
    if (!this.#bodyDone) discardBody(this.#response);
  }
}
