import { checkOptions, type OptionShape } from 'ai.matey.core';
import type { KeyValueStore } from 'ai.matey.middleware';
import { Redis, type RedisOptions } from 'ioredis';
import { INCREMENT_SCRIPT, INCREMENT_SCRIPT_SHA } from './increment-script.ts';
import { RedisStoreError, type RedisStoreOperation } from './redis-store-error.ts';

export interface RedisStoreOptions {
  /**
   * An ioredis client to use as it is configured; `close()` leaves it open, since its owner
   * closes it. Without it the store creates its own from `url` and `redisOptions`.
   */
  client?: Redis;
  /** `redis://[[user]:password@]host[:port][/db]` (or `rediss://` for TLS). Default `redis://127.0.0.1:6379`. */
  url?: string;
  /**
   * ioredis options for the client the store creates, over its fail-fast defaults: one retry
   * per command, no offline queue, 2 s to connect, 2 s per command.
   */
  redisOptions?: RedisOptions;
  /** Put before every key, so several applications can share one Redis. Default `matey:`. */
  keyPrefix?: string;
}

/**
 * Defaults for a created client: a store call must fail within seconds when Redis is down, so
 * a rate limit or cache answers with an error (or a miss) instead of holding requests.
 */
const FAIL_FAST: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  commandTimeout: 2_000,
};

const redisStoreOptions: OptionShape<RedisStoreOptions> = {
  client: true,
  url: true,
  redisOptions: true,
  keyPrefix: true,
};

/**
 * A `KeyValueStore` on Redis, so several gateway replicas share one cache, one set of rate
 * limits and one budget. Values are stored as JSON under `keyPrefix + key`; TTLs are Redis
 * expiries (PX), so entries vanish without any sweeping. `increment` is one Lua script, atomic
 * across processes, and takes fractional amounts (USD for budgets).
 *
 * A failing call rejects with a `RedisStoreError` (a `StoreUnavailableError`: a gateway answers
 * 503 `store_unavailable`, naming no host or key); `ping()` answers false instead.
 *
 * @example
 * const store = new RedisStore({ url: 'redis://127.0.0.1:6379' });
 * const bridge = new Bridge({
 *   backend,
 *   middleware: [createRateLimitMiddleware({ requestsPerWindow: 60, store }), createCacheMiddleware({ store })],
 * });
 * // at shutdown
 * await store.close();
 */
export class RedisStore implements KeyValueStore {
  readonly #client: Redis;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  #connecting: Promise<void> | undefined;
  #lastError: Error | undefined;
  #closed = false;

  constructor(options: RedisStoreOptions = {}) {
    checkOptions('new RedisStore', options, redisStoreOptions);
    this.#prefix = options.keyPrefix ?? 'matey:';
    if (options.client) {
      this.#client = options.client;
      this.#ownsClient = false;
      return;
    }
    const settings: RedisOptions = { ...FAIL_FAST, ...options.redisOptions };
    this.#client = new Redis(options.url ?? 'redis://127.0.0.1:6379', settings);
    this.#ownsClient = true;
    // ioredis prints unhandled error events; a created client's errors surface in our rejections instead.
    this.#client.on('error', (error: Error) => {
      this.#lastError = error;
    });
  }

  /** The ioredis client, for commands the store does not cover. */
  get client(): Redis {
    return this.#client;
  }

  /** Put before every key. */
  get keyPrefix(): string {
    return this.#prefix;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const storeKey = this.#prefix + key;
    const raw = await this.#run('get', storeKey, (client) => client.get(storeKey));
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch (cause) {
      throw new RedisStoreError({
        operation: 'get',
        key: storeKey,
        detail: `RedisStore get of "${storeKey}" failed: the stored value is not JSON`,
        cause,
      });
    }
  }

  async set<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    const storeKey = this.#prefix + key;
    const json = JSON.stringify(value);
    // undefined has no JSON; a store that holds undefined reads as one that holds nothing.
    if (json === undefined) return this.delete(key);
    const px = expiryMs(ttlMs);
    await this.#run('set', storeKey, (client) =>
      px === undefined ? client.set(storeKey, json) : client.set(storeKey, json, 'PX', px),
    );
  }

  async delete(key: string): Promise<void> {
    const storeKey = this.#prefix + key;
    await this.#run('delete', storeKey, (client) => client.del(storeKey));
  }

  async increment(key: string, amount: number, ttlMs?: number): Promise<number> {
    if (!Number.isFinite(amount))
      throw new TypeError(`RedisStore increment needs a finite amount, not ${amount}`);
    const storeKey = this.#prefix + key;
    const px = expiryMs(ttlMs);
    const args = [storeKey, String(amount), px === undefined ? '' : String(px)];
    const reply = await this.#run('increment', storeKey, async (client) => {
      try {
        return await client.evalsha(INCREMENT_SCRIPT_SHA, 1, ...args);
      } catch (error) {
        // First use on this server (or after SCRIPT FLUSH): send the script itself, which caches it.
        if (error instanceof Error && error.message.startsWith('NOSCRIPT'))
          return await client.eval(INCREMENT_SCRIPT, 1, ...args);
        throw error;
      }
    });
    const value = Number(reply);
    if (!Number.isFinite(value))
      throw new RedisStoreError({
        operation: 'increment',
        key: storeKey,
        detail: `RedisStore increment of "${storeKey}" failed: Redis answered ${String(reply)}`,
      });
    return value;
  }

  /** True when Redis answers PING; never throws, for readiness checks. */
  async ping(): Promise<boolean> {
    try {
      await this.#connect();
      return (await this.#client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  /** Closes the client the store created; a client passed in is left to its owner. Idempotent. */
  async close(): Promise<void> {
    if (!this.#ownsClient || this.#closed) return;
    this.#closed = true;
    if (this.#client.status === 'ready') {
      try {
        await this.#client.quit();
        return;
      } catch {
        // Lost the connection meanwhile: nothing left to flush, so just stop reconnecting.
      }
    }
    this.#client.disconnect();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Connects a lazily created client once, however many calls arrive before it is ready. */
  async #connect(): Promise<void> {
    if (this.#closed) throw new Error('the store was closed');
    if (this.#client.status === 'wait') {
      this.#connecting ??= this.#client.connect().finally(() => {
        this.#connecting = undefined;
      });
    }
    await this.#connecting;
  }

  async #run<R>(
    operation: RedisStoreOperation,
    storeKey: string,
    command: (client: Redis) => Promise<R>,
  ): Promise<R> {
    try {
      await this.#connect();
      return await command(this.#client);
    } catch (cause) {
      throw this.#error(operation, storeKey, cause);
    }
  }

  #error(operation: RedisStoreOperation, storeKey: string, cause: unknown): RedisStoreError {
    const detail = `RedisStore ${operation} of "${storeKey}" failed: ${this.#reason(cause)}`;
    return new RedisStoreError({ operation, key: storeKey, detail, cause });
  }

  /** Why a call failed, in words that name the server but never the URL (it may hold a password). */
  #reason(cause: unknown): string {
    const detail = cause instanceof Error ? cause.message : String(cause);
    const status = this.#client.status;
    if (this.#closed || status === 'ready') return detail;
    // ioredis's own words here ("Stream isn't writeable…") say less than the connection error.
    const why = this.#lastError ? this.#lastError.message : detail;
    return `Redis at ${this.#address()} is not connected (${status}: ${why})`;
  }

  #address(): string {
    const { host, port, path } = this.#client.options;
    return path ? String(path) : `${host ?? '127.0.0.1'}:${port ?? 6379}`;
  }
}

/** Redis expiries are whole, positive milliseconds; `undefined` or Infinity mean none. */
function expiryMs(ttlMs: number | undefined): number | undefined {
  if (ttlMs === undefined || ttlMs === Number.POSITIVE_INFINITY) return undefined;
  if (Number.isNaN(ttlMs)) throw new TypeError('RedisStore needs a TTL in milliseconds, not NaN');
  return Math.max(1, Math.ceil(ttlMs));
}
