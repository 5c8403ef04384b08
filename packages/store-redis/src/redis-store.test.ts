import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from './redis-store.ts';
import { RedisStoreError } from './redis-store-error.ts';
import { connectLocalRedis, deleteKeys, LOCAL_REDIS_URL, uniquePrefix } from './test-support/local-redis.ts';

/** A port on 127.0.0.1 that nothing listens on: one the OS just handed out and we gave back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

describe('RedisStore', () => {
  const prefix = uniquePrefix('store');
  const stores: RedisStore[] = [];
  let raw: Redis;

  function store(options: ConstructorParameters<typeof RedisStore>[0] = {}): RedisStore {
    const created = new RedisStore({ url: LOCAL_REDIS_URL, keyPrefix: prefix, ...options });
    stores.push(created);
    return created;
  }

  beforeAll(async () => {
    raw = await connectLocalRedis();
  });

  afterAll(async () => {
    await Promise.all(stores.map((created) => created.close()));
    if (raw) {
      await deleteKeys(raw, prefix);
      await raw.quit();
    }
  });

  it('round-trips JSON values and forgets deleted keys', async () => {
    const kv = store();
    const entry = { response: { text: 'General Kenobi', parts: [1, 2.5, null, true] }, storedAt: 12 };
    await kv.set('entry', entry);
    expect(await kv.get('entry')).toEqual(entry);
    await kv.set('count', 3);
    expect(await kv.get('count')).toBe(3);
    await kv.set('text', 'plain');
    expect(await kv.get('text')).toBe('plain');
    expect(await kv.get('never-set')).toBeUndefined();
    await kv.delete('entry');
    expect(await kv.get('entry')).toBeUndefined();
  });

  it('expires entries after their TTL', async () => {
    const kv = store();
    await kv.set('short', { a: 1 }, 50);
    await kv.set('long', { a: 2 }, 60_000);
    expect(await kv.get('short')).toEqual({ a: 1 });
    await sleep(120);
    expect(await kv.get('short')).toBeUndefined();
    expect(await kv.get('long')).toEqual({ a: 2 });
  });

  it('is shared by stores on separate connections, under the same prefix', async () => {
    await store().set('shared', { from: 'replica one' });
    expect(await store().get('shared')).toEqual({ from: 'replica one' });
    expect(await raw.get(`${prefix}shared`)).toBe('{"from":"replica one"}');
  });

  it('keeps prefixes apart', async () => {
    const tenantA = store({ keyPrefix: `${prefix}a:` });
    const tenantB = store({ keyPrefix: `${prefix}b:` });
    await tenantA.set('key', 'A');
    expect(await tenantB.get('key')).toBeUndefined();
    await tenantB.set('key', 'B');
    await tenantA.increment('counter', 5);
    expect(await tenantA.get('key')).toBe('A');
    expect(await tenantB.get('key')).toBe('B');
    expect(await tenantB.increment('counter', 1)).toBe(1);
    await tenantB.delete('key');
    expect(await tenantA.get('key')).toBe('A');
  });

  it('uses the matey: prefix by default', async () => {
    const kv = new RedisStore({ url: LOCAL_REDIS_URL });
    stores.push(kv);
    const key = uniquePrefix('default');
    try {
      await kv.set(key, 1);
      expect(await raw.get(`matey:${key}`)).toBe('1');
    } finally {
      await raw.del(`matey:${key}`);
    }
  });

  it('increments atomically: 200 concurrent increments from two clients all count', async () => {
    const replicaOne = store();
    const replicaTwo = store();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (i % 2 === 0 ? replicaOne : replicaTwo).increment('hits', 1, 60_000),
      ),
    );
    // Each increment saw a different count: no two read the same value before adding.
    expect(new Set(results).size).toBe(200);
    expect(Math.max(...results)).toBe(200);
    expect(await replicaOne.get('hits')).toBe(200);
  });

  it('adds fractional amounts (budgets in USD), negative ones too', async () => {
    const kv = store();
    expect(await kv.increment('spend', 0.1)).toBeCloseTo(0.1, 12);
    expect(await kv.increment('spend', 0.2)).toBeCloseTo(0.3, 12);
    expect(await kv.increment('spend', 0.0000125)).toBeCloseTo(0.3000125, 12);
    expect(await kv.increment('spend', -0.05)).toBeCloseTo(0.2500125, 12);
    expect(await kv.get<number>('spend')).toBeCloseTo(0.2500125, 12);
  });

  it('applies the TTL only when the increment creates the key', async () => {
    const kv = store();
    expect(await kv.increment('window', 1, 300)).toBe(1);
    const first = await raw.pttl(`${prefix}window`);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(300);
    expect(await kv.increment('window', 1, 60_000)).toBe(2);
    expect(await raw.pttl(`${prefix}window`)).toBeLessThanOrEqual(300);

    await kv.increment('forever', 1);
    await kv.increment('forever', 1, 60_000);
    expect(await raw.pttl(`${prefix}forever`)).toBe(-1);

    await sleep(350);
    // The window expired: counting starts over, with the new TTL.
    expect(await kv.get('window')).toBeUndefined();
    expect(await kv.increment('window', 1, 60_000)).toBe(1);
    expect(await raw.pttl(`${prefix}window`)).toBeGreaterThan(300);
  });

  it('replaces a value that is not a number when incrementing, as MemoryStore does', async () => {
    const kv = store();
    await kv.set('odd', { not: 'a number' }, 60_000);
    expect(await kv.increment('odd', 2.5, 5_000)).toBe(2.5);
    expect(await raw.pttl(`${prefix}odd`)).toBeLessThanOrEqual(5_000);
  });

  it('works on a client passed in, and leaves it open on close', async () => {
    const kv = new RedisStore({ client: raw, keyPrefix: prefix });
    await kv.set('borrowed', [1, 2]);
    expect(await kv.increment('borrowed-count', 2)).toBe(2);
    await kv.close();
    expect(await raw.get(`${prefix}borrowed`)).toBe('[1,2]');
    expect(await kv.ping()).toBe(true);
  });

  it('pings a live Redis', async () => {
    expect(await store().ping()).toBe(true);
  });

  it('fails fast with a RedisStoreError, without the password, when Redis is down', async () => {
    const port = await closedPort();
    const down = new RedisStore({ url: `redis://:hunter2-secret@127.0.0.1:${port}` });
    try {
      expect(await down.ping()).toBe(false);
      const error = await down.get('anything').catch((caught: unknown) => caught);
      expect(RedisStoreError.isInstance(error)).toBe(true);
      // The operator's detail names the server; the message a client may see names nothing.
      const { detail, message, kind, status } = error as RedisStoreError;
      expect(detail).toContain(`127.0.0.1:${port}`);
      expect(detail).not.toContain('hunter2-secret');
      expect({ kind, status }).toEqual({ kind: 'store-unavailable', status: 503 });
      expect(message).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${port}|anything|matey:`));
      const increment = await down.increment('count', 1).catch((caught: unknown) => caught);
      expect((increment as RedisStoreError).detail).toMatch(/not connected/);
      await expect(down.set('key', 1)).rejects.toBeInstanceOf(RedisStoreError);
    } finally {
      await down.close();
    }
  });

  it('refuses calls after close', async () => {
    const kv = new RedisStore({ url: LOCAL_REDIS_URL, keyPrefix: prefix });
    await kv.set('before-close', 1);
    await kv.close();
    const error = await kv.get('before-close').catch((caught: unknown) => caught);
    expect((error as RedisStoreError).detail).toMatch(/closed/);
    expect(await kv.ping()).toBe(false);
  });

  it('reports a value that is not JSON', async () => {
    await raw.set(`${prefix}foreign`, 'not json {');
    const error = await store()
      .get('foreign')
      .catch((caught: unknown) => caught);
    expect((error as RedisStoreError).detail).toMatch(/not JSON/);
  });
});

describe('RedisStore options', () => {
  it('refuses a misspelt option by name before connecting, instead of ignoring it', () => {
    expect(() => new RedisStore({ url: LOCAL_REDIS_URL, keyPrefx: 'x:' } as never)).toThrow(
      /unknown option 'keyPrefx'.*keyPrefix/,
    );
  });
});
