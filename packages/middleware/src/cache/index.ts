import {
  type CallContext,
  type ChatRequest,
  type ChatResponse,
  ChatStream,
  checkOptions,
  type EmbedRequest,
  type EmbedResponse,
  type Middleware,
  mapReply,
  type OptionShape,
  type Reply,
  responseToEvents,
  StateKey,
  type StreamEvent,
} from 'ai.matey.core';
import { MemoryStore } from '../store/memory-store.ts';
import type { KeyValueStore } from '../store/store.ts';
import { cacheKey, embedCacheKey } from './cache-key.ts';

export { cacheKey, canonicalJson, embedCacheKey } from './cache-key.ts';

/**
 * `hit` and `miss` as usual; `bypass` for a request the cache does not take; `semantic-hit`
 * when a semantic cache behind this one served a stored answer to a paraphrase.
 */
export type CacheStatus = 'hit' | 'miss' | 'bypass' | 'semantic-hit';

/** Where the cache middleware says how it served a call, in `context.state` (`'cache-status'`). */
export const CACHE_STATUS_STATE = new StateKey<CacheStatus>('cache-status');

export interface CacheOptions {
  /** Where entries live. Default: a `MemoryStore` of `maxEntries`. */
  store?: KeyValueStore;
  /** How long an entry is served. Default 1 hour. */
  ttlMs?: number;
  /** Size of the default in-memory store (least recently used go first). Default 1,000. */
  maxEntries?: number;
  /**
   * Cache requests sampled with `temperature > 0` and no `seed`, whose answers are meant to
   * vary. Default false. A request without a temperature counts as deterministic.
   */
  cacheNonDeterministic?: boolean;
  /** Keeps entries of different backends apart. Default: the Bridge backend's name. */
  scope?(request: ChatRequest | EmbedRequest, context: CallContext): string;
  /** Which responses are stored. Default: all but those that ended in an error. */
  shouldCache?: (response: ChatResponse) => boolean;
  /** Prefix of the store keys. Default `cache:`. */
  keyPrefix?: string;
  now?: () => number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  bypassed: number;
  /** Responses written to the store. */
  writes: number;
  /** Store reads or writes that failed (the call itself went on). */
  storeErrors: number;
}

/** The cache middleware, with its counters. */
export interface CacheMiddleware extends Middleware {
  stats(): CacheStats;
}

interface CacheEntry<R = ChatResponse> {
  response: R;
  storedAt: number;
}

const cacheOptions: OptionShape<CacheOptions> = {
  store: true,
  ttlMs: true,
  maxEntries: true,
  cacheNonDeterministic: true,
  scope: true,
  shouldCache: true,
  keyPrefix: true,
  now: true,
};

/**
 * Answers a request it has seen before from a store, without calling the backend. The key is
 * exact (see `cacheKey`): the model, messages, tools and every sampling setting, not metadata.
 *
 * Embedding calls are cached too, under keys of their own (see `embedCacheKey`).
 *
 * Both call modes share entries: a hit in a stream call is replayed as a stream, and a streamed
 * miss is stored from the stream as it passes, once it completed. Errors are never stored, and
 * a failing store only costs the cache, not the call. The status is in `context.state`
 * (`cache-status`) and, for `execute`, in `response.metadata.cache`.
 *
 * @example
 * const cache = createCacheMiddleware({ ttlMs: 10 * 60_000 });
 * const bridge = new Bridge({ backend, middleware: [cache] });
 * console.log(cache.stats()); // { hits, misses, … }
 */
export function createCacheMiddleware(options: CacheOptions = {}): CacheMiddleware {
  checkOptions('createCacheMiddleware', options, cacheOptions);
  const store = options.store ?? new MemoryStore({ maxEntries: options.maxEntries ?? 1_000 });
  const ttlMs = options.ttlMs ?? 60 * 60_000;
  const prefix = options.keyPrefix ?? 'cache:';
  const scopeOf = options.scope ?? ((_request, context) => context.backend.name);
  const shouldCache = options.shouldCache ?? ((response) => response.finishReason !== 'error');
  const now = options.now ?? Date.now;
  const counters: CacheStats = { hits: 0, misses: 0, bypassed: 0, writes: 0, storeErrors: 0 };

  async function read<R = ChatResponse>(key: string): Promise<CacheEntry<R> | undefined> {
    try {
      return await store.get<CacheEntry<R>>(key);
    } catch {
      counters.storeErrors++;
      return undefined;
    }
  }

  async function write(key: string, response: ChatResponse): Promise<void> {
    if (!shouldCache(response)) return;
    // Metadata describes this one call (its retries, its cost), not the answer.
    const { metadata: _metadata, ...answer } = response;
    try {
      await store.set<CacheEntry>(key, { response: answer, storedAt: now() }, ttlMs);
      counters.writes++;
    } catch {
      counters.storeErrors++;
    }
  }

  return {
    name: 'cache',
    async execute(request, next, context) {
      if (!options.cacheNonDeterministic && isNonDeterministic(request)) {
        counters.bypassed++;
        CACHE_STATUS_STATE.set(context.state, 'bypass');
        return withStatus(await next(request), { status: 'bypass' });
      }
      const key = prefix + (await cacheKey(request, scopeOf(request, context)));
      const entry = await read(key);
      if (entry) {
        counters.hits++;
        CACHE_STATUS_STATE.set(context.state, 'hit');
        const cache = { status: 'hit', ageMs: Math.max(0, now() - entry.storedAt) } as const;
        if (context.mode === 'stream')
          return ChatStream.from(startWith(responseToEvents(entry.response), cache));
        return withStatus(entry.response, cache);
      }
      counters.misses++;
      CACHE_STATUS_STATE.set(context.state, 'miss');
      let writing: Promise<void> | undefined;
      const answered = await next(request);
      // A semantic cache behind this one answered from its store: not a new answer to keep here.
      if (CACHE_STATUS_STATE.get(context.state) === 'semantic-hit') return answered;
      const reply = mapReply(answered, {
        response: (response) => {
          writing = write(key, response);
          return response;
        },
        // Only a stream read to its end is the whole answer; a cancelled or failed one is not.
        stream: (stream) =>
          stream.onFinish((outcome) => {
            if (outcome.status === 'completed') void write(key, outcome.response);
          }),
      });
      if (writing) await writing;
      return withStatus(reply, { status: 'miss' });
    },
    async embed(request, next, context) {
      // Vectors are deterministic: every embedding request may be served from the cache.
      const key = `${prefix}${await embedCacheKey(request, scopeOf(request, context))}`;
      const entry = await read<EmbedResponse>(key);
      if (entry) {
        counters.hits++;
        CACHE_STATUS_STATE.set(context.state, 'hit');
        const cache = { status: 'hit', ageMs: Math.max(0, now() - entry.storedAt) };
        return { ...entry.response, metadata: { ...entry.response.metadata, cache } };
      }
      counters.misses++;
      CACHE_STATUS_STATE.set(context.state, 'miss');
      const response = await next(request);
      const { metadata: _metadata, routing: _routing, ...vectors } = response;
      try {
        await store.set<CacheEntry<EmbedResponse>>(key, { response: vectors, storedAt: now() }, ttlMs);
        counters.writes++;
      } catch {
        counters.storeErrors++;
      }
      return { ...response, metadata: { ...response.metadata, cache: { status: 'miss' } } };
    },
    stats() {
      return { ...counters };
    },
  };
}

function isNonDeterministic(request: ChatRequest): boolean {
  return (request.temperature ?? 0) > 0 && request.seed === undefined;
}

/** The replayed events, the start event saying where they came from (`metadata.cache`). */
function startWith(events: StreamEvent[], cache: { status: CacheStatus; ageMs?: number }): StreamEvent[] {
  return events.map((event) =>
    event.type === 'start' ? { ...event, metadata: { ...event.metadata, cache } } : event,
  );
}

function withStatus<R extends Reply>(reply: R, cache: { status: CacheStatus; ageMs?: number }): R;
function withStatus(reply: Reply, cache: { status: CacheStatus; ageMs?: number }): Reply {
  // A stream says it on its start event.
  return mapReply(reply, {
    response: (response) => ({ ...response, metadata: { ...response.metadata, cache } }),
    stream: (stream) =>
      stream.map((event) =>
        event.type === 'start' ? { ...event, metadata: { ...event.metadata, cache } } : event,
      ),
  });
}
