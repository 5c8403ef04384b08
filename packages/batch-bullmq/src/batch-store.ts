import type { CheckpointEntry } from 'ai.matey.patterns';
import type { Redis } from 'ioredis';
import { type BatchLocation, batchKeys } from './batch-keys.ts';

/**
 * Records an item's result once: the first result of an item id wins (HSETNX), and only then is
 * the id appended to the batch's done list and the counters moved. A second worker that ran the
 * same item (its first worker was thought dead) writes nothing.
 */
const RECORD_SCRIPT = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('HINCRBY', KEYS[3], 'done', 1)
if ARGV[3] == '0' then redis.call('HINCRBY', KEYS[3], 'failed', 1) end
redis.call('HSET', KEYS[3], 'lastDoneAt', ARGV[4])
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[5]) end
return 1
`;

/** A batch's records stay this long after its last submission or finished item: 7 days. */
export const BATCH_RECORDS_TTL_SECONDS = 7 * 24 * 3_600;

/** A batch's counters and times, as `matey batch status` shows them. */
export interface BatchRecordSummary {
  total: number;
  done: number;
  failed: number;
  createdAt: number | undefined;
  lastDoneAt: number | undefined;
}

/** A batch's own records in Redis: its results by item id, the order they finished in, counters. */
export class BatchStore {
  readonly #client: Redis;
  readonly #keys: ReturnType<typeof batchKeys>;

  constructor(client: Redis, location: BatchLocation) {
    this.#client = client;
    this.#keys = batchKeys(location);
  }

  /** Notes the batch's size (the first submission's `createdAt` is kept). */
  async begin(total: number): Promise<void> {
    await this.#client
      .multi()
      .hset(this.#keys.meta, 'total', total)
      .hsetnx(this.#keys.meta, 'createdAt', Date.now())
      .expire(this.#keys.meta, BATCH_RECORDS_TTL_SECONDS)
      .expire(this.#keys.results, BATCH_RECORDS_TTL_SECONDS)
      .expire(this.#keys.done, BATCH_RECORDS_TTL_SECONDS)
      .exec();
  }

  /** Stores an item's result unless one is stored; true when this call stored it. */
  async record(itemKey: string, entry: CheckpointEntry): Promise<boolean> {
    const stored = await this.#client.eval(
      RECORD_SCRIPT,
      3,
      this.#keys.results,
      this.#keys.done,
      this.#keys.meta,
      itemKey,
      JSON.stringify(entry),
      entry.ok ? '1' : '0',
      Date.now(),
      BATCH_RECORDS_TTL_SECONDS,
    );
    return stored === 1;
  }

  async has(itemKey: string): Promise<boolean> {
    return (await this.#client.hexists(this.#keys.results, itemKey)) === 1;
  }

  /** The stored results of these item ids (undefined where none is stored). */
  async read(itemKeys: readonly string[]): Promise<Array<CheckpointEntry | undefined>> {
    if (itemKeys.length === 0) return [];
    const values = await this.#client.hmget(this.#keys.results, ...itemKeys);
    return values.map((value) => (value === null ? undefined : (JSON.parse(value) as CheckpointEntry)));
  }

  /** Item ids in the order they finished, from position `offset` on. */
  finishedSince(offset: number): Promise<string[]> {
    return this.#client.lrange(this.#keys.done, offset, -1);
  }

  async summary(): Promise<BatchRecordSummary | undefined> {
    const meta = await this.#client.hgetall(this.#keys.meta);
    if (meta.total === undefined) return undefined;
    const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
    return {
      total: Number(meta.total),
      done: number(meta.done) ?? 0,
      failed: number(meta.failed) ?? 0,
      createdAt: number(meta.createdAt),
      lastDoneAt: number(meta.lastDoneAt),
    };
  }
}
