import type { OnStoreDown, StoreDownPolicy } from 'ai.matey.http';
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

/** The one line logged when the store goes down (what limits and budgets do meanwhile) or comes back. */
export function storeStateLine(url: string | undefined, state: 'up' | 'down', onDown: OnStoreDown): string {
  if (state === 'up')
    return `the store ${describeStoreUrl(url)} answers again: rate limits and budgets are counted again`;
  const effect = (policy: StoreDownPolicy, what: string) =>
    policy === 'fail-open'
      ? `${what} are not enforced`
      : `calls of keys with ${what} get 503 store_unavailable`;
  return `warning: the store ${describeStoreUrl(url)} is unreachable: ${effect(onDown.rateLimits, 'rate limits')}, ${effect(onDown.budgets, 'budgets')}, until it answers`;
}
