import type { ChunkSource } from 'ai.matey.core/internal';

/** A Node readable that can be paused (an undici body). */
interface PausableBody extends ChunkSource {
  pause(): unknown;
  resume(): unknown;
}

type Waiter = {
  resolve: (result: IteratorResult<Uint8Array>) => void;
  reject: (error: Error) => void;
};

/**
 * The chunks of a streamed body, one per read. An undici body is read with `data` events and
 * paused after each chunk until the next is asked for (so a slow reader still holds the upstream
 * back): `for await` would build an async iterator and an end-of-stream watcher per body and a
 * few promises per chunk, on every upstream read of every stream. Any other body is iterated.
 */
export function bodyChunks(
  body: AsyncIterable<Uint8Array> & Partial<PausableBody>,
): AsyncIterator<Uint8Array> {
  const pausable = typeof body.pause === 'function' && typeof body.resume === 'function' && 'on' in body;
  return pausable ? new ChunkPuller(body as PausableBody) : body[Symbol.asyncIterator]();
}

class ChunkPuller implements AsyncIterator<Uint8Array> {
  readonly #body: PausableBody;
  readonly #chunks: Uint8Array[] = [];
  #ended = false;
  #error: Error | undefined;
  #waiter: Waiter | undefined;

  constructor(body: PausableBody) {
    this.#body = body;
    if (body.destroyed) this.#error = prematureClose();
    // Kept for good: an error after we stop reading must not go unhandled.
    body.on('error', this.#onError);
    body.on('data', this.#onData);
    body.on('end', this.#onEnd);
    body.on('close', this.#onClose);
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.#chunks.shift();
    if (chunk) return Promise.resolve({ done: false, value: chunk });
    if (this.#error) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
      this.#body.resume();
    });
  }

  return(): Promise<IteratorResult<Uint8Array>> {
    this.#ended = true;
    this.#chunks.length = 0;
    this.#detach();
    return Promise.resolve({ done: true, value: undefined });
  }

  readonly #onData = (chunk: Uint8Array): void => {
    this.#body.pause();
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter) waiter.resolve({ done: false, value: chunk });
    else this.#chunks.push(chunk);
  };

  readonly #onEnd = (): void => {
    this.#ended = true;
    this.#detach();
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve({ done: true, value: undefined });
  };

  readonly #onError = (error: Error): void => {
    if (this.#ended || this.#error) return;
    this.#fail(error);
  };

  readonly #onClose = (): void => {
    if (!this.#ended && !this.#error) this.#fail(prematureClose());
  };

  #fail(error: Error): void {
    this.#error = error;
    this.#detach();
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error);
  }

  #detach(): void {
    this.#body.off('data', this.#onData);
    this.#body.off('end', this.#onEnd);
    this.#body.off('close', this.#onClose);
  }
}

function prematureClose(): Error {
  const error = new Error('The stream closed before its end');
  (error as Error & { code: string }).code = 'ERR_STREAM_PREMATURE_CLOSE';
  return error;
}
