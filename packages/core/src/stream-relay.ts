import type { StreamEvent } from './spec/stream.ts';
import { type BatchResult, type BatchSource, readBatch } from './stream-batch.ts';

// Hand-written async iterators for the layers a stream passes through (Backend → Router →
// Bridge → caller). An async generator per layer costs three promises, an iterator result and a
// suspended frame per event, and on a server with a thousand open streams all of it lives until
// the next upstream chunk; these pass the inner iterator's promise on, or add one `then`.

type Result = IteratorResult<StreamEvent>;

function done<R extends Result | BatchResult = Result>(value?: unknown): Promise<R> {
  return Promise.resolve({ done: true, value } as R);
}

/** Closes a source (its `return()`, when it has one) and answers a reader's `return(value)`. */
function close(source: AsyncIterator<StreamEvent>, value: unknown): Promise<Result> {
  const closing = source.return?.();
  return closing ? closing.then(() => ({ done: true, value }) as Result) : done(value);
}

/** What a relay does around the events it passes on. */
export interface RelayHooks {
  /**
   * Sees each event and returns what to pass on: the event, another, several (an array) or none
   * (`undefined`). A throw ends the stream with that error.
   */
  event?(event: StreamEvent): StreamEvent | StreamEvent[] | undefined;
  /** The source ended. A throw here fails the stream. */
  end?(): void;
  /** The source failed (or a hook threw): returns the error the reader gets. */
  fail?(error: unknown): unknown;
  /** The reader stopped before the end; the source is closed right after. */
  cancel?(): void;
}

/**
 * Passes a source's events on with hooks for each event, the end, a failure and an early stop.
 * A reader that stops early (`return()`) closes the source, so the upstream call is cancelled.
 */
export class StreamRelay implements AsyncIterableIterator<StreamEvent>, BatchSource {
  readonly #source: BatchSource;
  readonly #hooks: RelayHooks;
  #settled = false;
  /** Events a hook returned several of, not yet read. */
  #queued: StreamEvent[] = [];
  /** A hook threw part-way through a batch: the events before it went out, this error is next. */
  #failure: { error: unknown } | undefined;

  constructor(source: AsyncIterator<StreamEvent>, hooks: RelayHooks) {
    this.#source = source;
    this.#hooks = hooks;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<Result> {
    if (this.#queued.length > 0) {
      return Promise.resolve({ done: false, value: this.#queued.shift() as StreamEvent });
    }
    if (this.#failure) return this.#rethrow();
    if (this.#settled) return done();
    return this.#source.next().then(this.#onResult, this.#onError);
  }

  /** Every event the source has ready, each through the hooks, as one result. */
  nextBatch(): Promise<BatchResult> {
    if (this.#queued.length > 0) {
      const events = this.#queued;
      this.#queued = [];
      return Promise.resolve({ done: false, value: events });
    }
    if (this.#failure) return this.#rethrow();
    if (this.#settled) return done<BatchResult>();
    return readBatch(this.#source).then(this.#onBatch, this.#onError);
  }

  return(value?: unknown): Promise<Result> {
    this.#queued = [];
    this.#failure = undefined;
    if (!this.#settled) {
      this.#settled = true;
      this.#hooks.cancel?.();
    }
    return close(this.#source, value);
  }

  readonly #onResult = (result: Result): Result | Promise<Result> => {
    if (this.#settled) return { done: true, value: undefined };
    const hooks = this.#hooks;
    try {
      if (result.done) {
        this.#settled = true;
        hooks.end?.();
        return result;
      }
      if (!hooks.event) return result;
      const mapped = hooks.event(result.value);
      if (mapped === result.value) return result;
      if (mapped === undefined) return this.next();
      if (!Array.isArray(mapped)) return { done: false, value: mapped };
      const [first, ...rest] = mapped;
      if (first === undefined) return this.next();
      this.#queued.push(...rest);
      return { done: false, value: first };
    } catch (error) {
      // The stream stops here: close the source, as a `for await` loop that threw would.
      if (!result.done) this.#source.return?.()?.catch(() => {});
      this.#settled = true;
      throw hooks.fail ? hooks.fail(error) : error;
    }
  };

  readonly #onBatch = (result: BatchResult): BatchResult | Promise<BatchResult> => {
    if (this.#settled) return { done: true, value: undefined };
    const mapper = this.#hooks.event;
    if (result.done || !mapper) return this.#onResult(result as Result) as BatchResult;
    const out: StreamEvent[] = [];
    for (const event of result.value) {
      let mapped: ReturnType<typeof mapper>;
      try {
        mapped = mapper(event);
      } catch (error) {
        const failure = this.#stop(error);
        if (out.length === 0) throw failure;
        this.#failure = { error: failure };
        return { done: false, value: out };
      }
      if (mapped === undefined) continue;
      if (Array.isArray(mapped)) for (const item of mapped) out.push(item);
      else out.push(mapped);
    }
    return out.length === 0 ? this.nextBatch() : { done: false, value: out };
  };

  /** A hook threw mid-stream: closes the source and returns the error the reader gets. */
  #stop(error: unknown): unknown {
    this.#source.return?.()?.catch(() => {});
    this.#settled = true;
    return this.#hooks.fail ? this.#hooks.fail(error) : error;
  }

  #rethrow<R>(): Promise<R> {
    const failure = this.#failure as { error: unknown };
    this.#failure = undefined;
    return Promise.reject(failure.error);
  }

  readonly #onError = (error: unknown): never => {
    if (this.#settled) throw error;
    this.#settled = true;
    throw this.#hooks.fail ? this.#hooks.fail(error) : error;
  };
}

/**
 * A stream whose first result was already read: that result, then the rest of the iterator,
 * passed on as it is. Stopping early closes the iterator (even before the first was taken).
 */
export class PrimedStream implements AsyncIterableIterator<StreamEvent>, BatchSource {
  #first: Result | undefined;
  readonly #source: BatchSource;
  /** The first result was the end: nothing more to read or close. */
  #exhausted = false;

  constructor(first: Result, source: AsyncIterator<StreamEvent>) {
    this.#first = first;
    this.#source = source;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<Result> {
    const first = this.#first;
    if (first === undefined) return this.#exhausted ? done() : this.#source.next();
    this.#first = undefined;
    if (first.done) this.#exhausted = true;
    return Promise.resolve(first);
  }

  nextBatch(): Promise<BatchResult> {
    const first = this.#first;
    if (first === undefined) return this.#exhausted ? done<BatchResult>() : readBatch(this.#source);
    this.#first = undefined;
    if (first.done) this.#exhausted = true;
    return Promise.resolve(first.done ? first : { done: false, value: [first.value] });
  }

  return(value?: unknown): Promise<Result> {
    this.#first = undefined;
    return this.#exhausted ? done(value) : close(this.#source, value);
  }
}

/**
 * A stream opened on its first read (as an async generator starts on its first `next`): `open`
 * runs once, and its iterator's results are then passed on unchanged. A reader that stops while
 * it opens has the opened stream closed.
 */
export class LazyStream implements AsyncIterableIterator<StreamEvent>, BatchSource {
  #open: (() => Promise<AsyncIterator<StreamEvent>>) | undefined;
  #opening: Promise<AsyncIterator<StreamEvent>> | undefined;
  #inner: BatchSource | undefined;
  #closed = false;

  constructor(open: () => Promise<AsyncIterator<StreamEvent>>) {
    this.#open = open;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<Result> {
    if (this.#inner) return this.#inner.next();
    if (this.#closed) return done();
    return this.#opened().then((inner) => inner.next());
  }

  nextBatch(): Promise<BatchResult> {
    if (this.#inner) return readBatch(this.#inner);
    if (this.#closed) return done<BatchResult>();
    return this.#opened().then(readBatch);
  }

  #opened(): Promise<AsyncIterator<StreamEvent>> {
    if (!this.#opening) {
      const open = this.#open as () => Promise<AsyncIterator<StreamEvent>>;
      this.#open = undefined;
      this.#opening = open().then(
        (inner) => {
          this.#inner = inner;
          return inner;
        },
        (error: unknown) => {
          this.#closed = true;
          throw error;
        },
      );
    }
    return this.#opening;
  }

  async return(value?: unknown): Promise<Result> {
    this.#closed = true;
    this.#open = undefined;
    const opening = this.#opening;
    if (!opening) return { done: true, value } as Result;
    let inner: AsyncIterator<StreamEvent>;
    try {
      inner = await opening;
    } catch {
      return { done: true, value } as Result;
    }
    return close(inner, value);
  }
}
