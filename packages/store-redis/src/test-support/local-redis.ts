import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis every machine and CI run has; the tests fail, not skip, without it. */
export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

/** A raw client on the local Redis, to look behind the store; throws a clear error when none runs. */
export async function connectLocalRedis(): Promise<Redis> {
  const client = new Redis(LOCAL_REDIS_URL, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (cause) {
    client.disconnect();
    throw new Error(
      `These tests need a Redis server on ${LOCAL_REDIS_URL} (start one with \`redis-server --daemonize yes\`)`,
      { cause },
    );
  }
  return client;
}

/** A key prefix of its own for each test run, so parallel runs and other data never collide. */
export function uniquePrefix(label: string): string {
  return `matey-test:${label}:${randomUUID()}:`;
}

/** Deletes every key under `prefix`. */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
