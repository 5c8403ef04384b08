import type { StreamEvent } from './spec/stream.ts';

// Hand-written async iterators for the layers a stream passes through (Backend → Router →
// Bridge → caller). An async generator per layer costs three promises, an iterator result and a
// suspended frame per event, and on a server with a thousand open streams all of it lives until
// the next upstream chunk; these pass the inner iterator's promise on, or add one `then`.

type Result = IteratorResult<StreamEvent>;

function done(value?: unknown): Promise<Result> {
  return Promise.resolve({ done: true, value } as Result);
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
export class StreamRelay implements AsyncIterableIterator<StreamEvent> {
  readonly #source: AsyncIterator<StreamEvent>;
  readonly #hooks: RelayHooks;
  #settled = false;
  /** Events a hook returned several of, not yet read. */
  #queued: StreamEvent[] = [];

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
    if (this.#settled) return done();
    return this.#source.next().then(this.#onResult, this.#onError);
  }

  return(value?: unknown): Promise<Result> {
    this.#queued = [];
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
export class PrimedStream implements AsyncIterableIterator<StreamEvent> {
  #first: Result | undefined;
  readonly #source: AsyncIterator<StreamEvent>;
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
export class LazyStream implements AsyncIterableIterator<StreamEvent> {
  #open: (() => Promise<AsyncIterator<StreamEvent>>) | undefined;
  #opening: Promise<AsyncIterator<StreamEvent>> | undefined;
  #inner: AsyncIterator<StreamEvent> | undefined;
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
    return this.#opening.then((inner) => inner.next());
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
