import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisBacklogOptions {
  /** `redis://…` of the Redis to keep rows in. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** The list's key; replicas that share it write each other's rows. Default `matey:spend-backlog`. */
  key?: string;
  /** ioredis options over the fail-fast defaults (no offline queue, 2 s per command). */
  redisOptions?: RedisOptions;
  /** Longest a replica may hold the drain lock (taken for one batch at a time). Default 30 s. */
  lockMs?: number;
}

/** Deletes the lock only if it is still ours (it may have expired and been taken). */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Rows (JSON) kept in a Redis list while their real home (the spend log's database) is away:
 * `append` pushes, `drain` hands the oldest to a writer and trims them once written. Draining
 * holds a lock, so replicas sharing the list never trim rows another is still writing.
 *
 * @example
 * const overflow = new RedisBacklog({ url: 'redis://127.0.0.1:6379' });
 * const writer = new SpendLogWriter(sql, { overflow });
 */
export class RedisBacklog {
  readonly tier = 'redis';
  readonly #client: Redis;
  readonly #key: string;
  readonly #lockKey: string;
  readonly #lockMs: number;
  #connecting: Promise<void> | undefined;

  constructor(options: RedisBacklogOptions = {}) {
    this.#key = options.key ?? 'matey:spend-backlog';
    this.#lockKey = `${this.#key}:drain-lock`;
    this.#lockMs = options.lockMs ?? 30_000;
    this.#client = new Redis(options.url ?? 'redis://127.0.0.1:6379', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 2_000,
      ...options.redisOptions,
    });
    // Failures surface as rejections of the calls; ioredis would print these otherwise.
    this.#client.on('error', () => undefined);
  }

  /** Rows held, by every replica sharing the list. */
  async size(): Promise<number> {
    await this.#connect();
    return this.#client.llen(this.#key);
  }

  async append(rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#connect();
    await this.#client.rpush(this.#key, ...rows.map((row) => JSON.stringify(row)));
  }

  async drain(max: number, write: (rows: unknown[]) => Promise<void>): Promise<number> {
    const token = randomBytes(8).toString('hex');
    await this.#connect();
    if ((await this.#client.set(this.#lockKey, token, 'PX', this.#lockMs, 'NX')) !== 'OK') return 0;
    try {
      const raw = await this.#client.lrange(this.#key, 0, max - 1);
      if (raw.length === 0) return 0;
      await write(raw.flatMap((text) => parsed(text)));
      await this.#client.ltrim(this.#key, raw.length, -1);
      return raw.length;
    } finally {
      await this.#client.eval(RELEASE, 1, this.#lockKey, token).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.#client.status === 'ready') await this.#client.quit().catch(() => undefined);
    this.#client.disconnect();
  }

  /** Connects once, however many calls arrive first; after that ioredis reconnects by itself. */
  async #connect(): Promise<void> {
    if (this.#client.status === 'wait') {
      this.#connecting ??= this.#client.connect().finally(() => {
        this.#connecting = undefined;
      });
    }
    await this.#connecting;
  }
}

function parsed(text: string): unknown[] {
  try {
    return [JSON.parse(text)];
  } catch {
    return [];
  }
}
