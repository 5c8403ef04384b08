import {
  checkOptions,
  type Middleware,
  mapReply,
  type OptionShape,
  type Reply,
  type StreamEvent,
  TimeoutError,
} from 'ai.matey.core';

export interface TimeoutOptions {
  /** The whole call, from this middleware to the stream's last event. */
  totalMs?: number;
  /** Time to the first stream event (streams only: a plain response has none before the end). */
  firstEventMs?: number;
  /** Longest silence between two stream events, counted from when the reader asks for the next. */
  idleMs?: number;
  now?: () => number;
}

type Limit = 'totalMs' | 'firstEventMs' | 'idleMs';

const codes: Record<Limit, string> = {
  totalMs: 'total_timeout',
  firstEventMs: 'first_event_timeout',
  idleMs: 'idle_timeout',
};

const timeoutOptions: OptionShape<TimeoutOptions> = {
  totalMs: true,
  firstEventMs: true,
  idleMs: true,
  now: true,
};

/**
 * Time limits for a call: the whole call (`totalMs`), the wait for a stream's first event
 * (`firstEventMs`) and the silence between events (`idleMs`). A call past a limit fails with a
 * `TimeoutError` whose `code` names the limit (`total_timeout`, `first_event_timeout`,
 * `idle_timeout`). An embedding call has `totalMs` only.
 *
 * The upstream is cancelled: a stream that times out has its iterator closed, and the error
 * reaches the Bridge, which aborts the call's signal that the backend listens to. A reply that
 * arrives after its call timed out is closed unread.
 *
 * @example
 * const bridge = new Bridge({
 *   backend,
 *   middleware: [createTimeoutMiddleware({ totalMs: 120_000, firstEventMs: 10_000, idleMs: 30_000 })],
 * });
 */
export function createTimeoutMiddleware(options: TimeoutOptions): Middleware {
  checkOptions('createTimeoutMiddleware', options, timeoutOptions);
  const now = options.now ?? Date.now;
  return {
    name: 'timeout',
    async execute(request, next, context) {
      const deadline = options.totalMs === undefined ? Infinity : now() + options.totalMs;
      const firstLimit: Limit | undefined = context.mode === 'stream' ? 'firstEventMs' : undefined;
      const { ms, limit } = pickLimit(firstLimit, deadline);
      const reply = await withTimeout(next(request), ms, limit, discard);
      return mapReply(reply, { stream: (stream) => guard(stream, deadline) });
    },
    embed(request, next) {
      if (options.totalMs === undefined) return next(request);
      return withTimeout(next(request), options.totalMs, 'totalMs');
    },
  };

  /** The tighter of a phase limit and the time left before the deadline. */
  function pickLimit(phase: Limit | undefined, deadline: number): { ms: number; limit: Limit } {
    const left = deadline - now();
    const phaseMs = phase === undefined ? undefined : options[phase];
    if (phase !== undefined && phaseMs !== undefined && phaseMs < left) return { ms: phaseMs, limit: phase };
    return { ms: left, limit: 'totalMs' };
  }

  async function* guard(source: AsyncIterable<StreamEvent>, deadline: number): AsyncGenerator<StreamEvent> {
    const iterator = source[Symbol.asyncIterator]();
    let finished = false;
    let failed = false;
    try {
      while (true) {
        const { ms, limit } = pickLimit('idleMs', deadline);
        let result: IteratorResult<StreamEvent>;
        try {
          result = await withTimeout(iterator.next(), ms, limit);
        } catch (error) {
          failed = true;
          throw error;
        }
        if (result.done) {
          finished = true;
          return;
        }
        yield result.value;
      }
    } finally {
      // After a timeout the upstream still has a read pending, and its return() waits behind
      // that read: fire it without waiting (the Bridge's abort ends the read itself). After an
      // upstream error the call is a no-op.
      if (failed) void iterator.return?.()?.catch(() => {});
      else if (!finished) await iterator.return?.();
    }
  }

  function withTimeout<T>(
    promise: Promise<T>,
    ms: number,
    limit: Limit,
    onLate?: (value: T) => void,
  ): Promise<T> {
    if (ms === Infinity) return promise;
    return new Promise<T>((resolve, reject) => {
      let expired = false;
      const timer = setTimeout(
        () => {
          expired = true;
          const limitMs = options[limit] ?? ms;
          reject(
            new TimeoutError({
              message: `${describe(limit)} took longer than ${limitMs} ms`,
              code: codes[limit],
            }),
          );
        },
        Math.max(0, ms),
      );
      promise.then(
        (value) => {
          clearTimeout(timer);
          if (expired) onLate?.(value);
          else resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (!expired) reject(error);
        },
      );
    });
  }
}

function describe(limit: Limit): string {
  if (limit === 'firstEventMs') return 'The first event';
  if (limit === 'idleMs') return 'The wait for the next event';
  return 'The call';
}

/** Closes a stream that arrived after its call timed out, so its upstream is cancelled. */
function discard(reply: Reply): void {
  mapReply(reply, {
    stream: (stream) => {
      // A stream from ChatStream.open releases its upstream only once started, hence one read.
      void (async () => {
        for await (const _ of stream) break;
      })().catch(() => {});
      return stream;
    },
  });
}
