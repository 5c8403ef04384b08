import { Bridge, type ChatRequest, RateLimitError } from 'ai.matey.core';
import { createCacheMiddleware, createRateLimitMiddleware, type RateLimitOptions } from 'ai.matey.middleware';
import { MockBackend } from 'ai.matey.testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from './redis-store.ts';
import { connectLocalRedis, deleteKeys, LOCAL_REDIS_URL, uniquePrefix } from './test-support/local-redis.ts';

const hello: ChatRequest = { model: 'mock-model', messages: [{ role: 'user', content: 'Hello there' }] };

/** Two gateway replicas: each its own Bridge, backend and Redis connection, one Redis between them. */
describe('middleware over RedisStore, shared by two replicas', () => {
  const prefix = uniquePrefix('middleware');
  const stores: RedisStore[] = [];
  let raw: Redis;

  function replicaStore(): RedisStore {
    const store = new RedisStore({ url: LOCAL_REDIS_URL, keyPrefix: prefix });
    stores.push(store);
    return store;
  }

  beforeAll(async () => {
    raw = await connectLocalRedis();
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    if (raw) {
      await deleteKeys(raw, prefix);
      await raw.quit();
    }
  });

  it('cache: an answer stored by one replica is served by the other', async () => {
    const backendOne = new MockBackend({ reply: { text: 'General Kenobi' } });
    const backendTwo = new MockBackend({ reply: { text: 'a different answer' } });
    const cacheOne = createCacheMiddleware({ store: replicaStore(), ttlMs: 60_000 });
    const cacheTwo = createCacheMiddleware({ store: replicaStore(), ttlMs: 60_000 });
    const replicaOne = new Bridge({ backend: backendOne, middleware: [cacheOne] });
    const replicaTwo = new Bridge({ backend: backendTwo, middleware: [cacheTwo] });

    const first = await replicaOne.execute(hello);
    const fromCache = await replicaTwo.execute(hello);
    const streamed = await replicaTwo.stream(hello).collect();

    expect(backendOne.calls).toHaveLength(1);
    expect(backendTwo.calls).toHaveLength(0);
    expect(fromCache.content).toEqual(first.content);
    expect(streamed.content).toEqual(first.content);
    expect(fromCache.metadata?.cache).toMatchObject({ status: 'hit' });
    expect(cacheOne.stats()).toMatchObject({ misses: 1, writes: 1, storeErrors: 0 });
    expect(cacheTwo.stats()).toMatchObject({ hits: 2, misses: 0, storeErrors: 0 });
    // The entry lives in Redis, under the store's and the cache's prefixes, with the cache TTL.
    const [, keys] = await raw.scan('0', 'MATCH', `${prefix}cache:*`, 'COUNT', 1_000);
    expect(keys).toHaveLength(1);
    const ttl = await raw.pttl(keys[0] ?? '');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('cache: a Redis that is down costs the cache, not the call', async () => {
    const down = new RedisStore({ url: 'redis://127.0.0.1:1', keyPrefix: prefix });
    stores.push(down);
    const cache = createCacheMiddleware({ store: down });
    const backend = new MockBackend({ reply: { text: 'still answered' } });
    const bridge = new Bridge({ backend, middleware: [cache] });
    await bridge.execute(hello);
    await bridge.execute(hello);
    expect(backend.calls).toHaveLength(2);
    expect(cache.stats().storeErrors).toBeGreaterThanOrEqual(2);
  });

  function replicas(options: RateLimitOptions) {
    // One fixed clock, so a window cannot roll over (nor a bucket refill) mid-test.
    const limit = { now: () => 1_000_000, windowMs: 60_000, ...options };
    const backends = [new MockBackend(), new MockBackend()] as const;
    const bridges = backends.map(
      (backend) =>
        new Bridge({ backend, middleware: [createRateLimitMiddleware({ ...limit, store: replicaStore() })] }),
    );
    return { backends, one: bridges[0] as Bridge, two: bridges[1] as Bridge };
  }

  it.each(['sliding-window', 'token-bucket'] as const)(
    'rate limit (%s): calls on either replica count against one shared limit',
    async (algorithm) => {
      const { one, two, backends } = replicas({
        requestsPerWindow: 3,
        algorithm,
        key: () => `sequential-${algorithm}`,
      });
      await one.execute(hello);
      await two.execute(hello);
      await one.execute(hello);
      await expect(two.execute(hello)).rejects.toBeInstanceOf(RateLimitError);
      await expect(one.execute(hello)).rejects.toBeInstanceOf(RateLimitError);
      expect(backends[0].calls.length + backends[1].calls.length).toBe(3);
    },
  );

  it('rate limit (sliding-window): concurrent calls on two replicas never pass the limit', async () => {
    const { one, two, backends } = replicas({ requestsPerWindow: 5, key: () => 'concurrent' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? one : two).execute(hello)),
    );
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    // Each call reserves by an atomic increment before it checks, so no two replicas share a slot.
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5);
    expect(refused).toHaveLength(7);
    for (const reason of refused) expect(reason).toBeInstanceOf(RateLimitError);
    expect(backends[0].calls.length + backends[1].calls.length).toBe(5);
  });
});
