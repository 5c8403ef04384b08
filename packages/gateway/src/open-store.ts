import { type KeyValueStore, MemoryStore } from 'ai.matey.middleware';

/** The store the config's `store:` URL names: Redis (loaded only then), else in memory. */
export async function openStore(url: string | undefined): Promise<KeyValueStore> {
  if (!url) return new MemoryStore();
  if (!/^rediss?:/.test(url))
    throw new TypeError(`store: only redis:// URLs are supported (got ${describeStoreUrl(url)})`);
  const { RedisStore } = await import('ai.matey.store.redis');
  return new RedisStore({ url });
}

/** The store URL for a log line: its password replaced. */
export function describeStoreUrl(url: string | undefined): string {
  if (!url) return '(in memory)';
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
