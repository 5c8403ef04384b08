import type { ChatResponse } from './spec/response.ts';
import type { StreamEvent } from './spec/stream.ts';
import { collectStream } from './spec/stream-accumulator.ts';
import { outcomeRelay, type StreamOutcome } from './stream-outcome.ts';
import { PrimedStream, StreamRelay } from './stream-relay.ts';

export type { StreamOutcome } from './stream-outcome.ts';

type EventMapper = (event: StreamEvent) => StreamEvent | StreamEvent[] | undefined;

/**
 * A streamed reply: an async iterable of `StreamEvent`s, read once.
 *
 * Middleware wraps a stream with `map`, `tap` and `onFinish` rather than collecting it, so the
 * first event reaches the caller as soon as the backend sends it. Breaking out of a
 * `for await` loop calls `return()` down the chain, which cancels the upstream call.
 */
export class ChatStream implements AsyncIterable<StreamEvent> {
  readonly #source: AsyncIterable<StreamEvent>;
  #consumed = false;
  /**
   * An own property (not only on the prototype), so a middleware written for plain responses
   * that spreads the reply (`{ ...reply, metadata }`) still hands back something iterable.
   */
  readonly [Symbol.asyncIterator] = (): AsyncIterator<StreamEvent> => {
    if (this.#consumed) throw new TypeError('A ChatStream can be read only once');
    this.#consumed = true;
    return this.#source[Symbol.asyncIterator]();
  };

  constructor(source: AsyncIterable<StreamEvent>) {
    this.#source = source;
  }

  static from(source: AsyncIterable<StreamEvent> | StreamEvent[]): ChatStream {
    if (source instanceof ChatStream) return source;
    if (Array.isArray(source)) return new ChatStream(fromArray(source));
    return new ChatStream(source);
  }

  /**
   * Starts the source and waits for its first event. An error before the first event rejects
   * here, so retry, failover and circuit breaking treat a failed stream like a failed call; an
   * error after it arrives while reading, when it is too late to retry.
   */
  static async open(source: AsyncIterable<StreamEvent>): Promise<ChatStream> {
    const iterator = source[Symbol.asyncIterator]();
    return ChatStream.resume(await iterator.next(), iterator);
  }

  /**
   * The stream of an iterator whose first result was already read (by `open`, or by a race
   * between several sources). A reader that stops early closes the iterator, so the upstream
   * call is cancelled.
   */
  static resume(first: IteratorResult<StreamEvent>, iterator: AsyncIterator<StreamEvent>): ChatStream {
    return new ChatStream(new PrimedStream(first, iterator));
  }

  /** Transforms each event: return one, several (an array) or none (`undefined`). */
  map(mapper: EventMapper): ChatStream {
    return new ChatStream(new StreamRelay(this[Symbol.asyncIterator](), { event: mapper }));
  }

  /** Sees each event without changing it. */
  tap(observer: (event: StreamEvent) => void): ChatStream {
    return this.map((event) => {
      observer(event);
      return event;
    });
  }

  /**
   * Calls `onDone` once the stream ends, with the response it described (or the error that
   * ended it, or `cancelled` when the reader stopped early).
   */
  onFinish(onDone: (outcome: StreamOutcome) => void): ChatStream {
    return new ChatStream(outcomeRelay(this[Symbol.asyncIterator](), onDone));
  }

  /** Reads the whole stream into the response it describes. */
  collect(): Promise<ChatResponse> {
    return collectStream(this);
  }

  /** Just the text deltas. */
  async *textStream(): AsyncGenerator<string> {
    for await (const event of this) if (event.type === 'text-delta') yield event.delta;
  }
}

/** True for a streamed reply (anything async-iterable), false for a plain response. */
export function isChatStream(value: unknown): value is AsyncIterable<StreamEvent> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function'
  );
}

async function* fromArray(events: StreamEvent[]): AsyncGenerator<StreamEvent> {
  for (const event of events) yield event;
}
