import type { ChatResponse, Middleware } from 'ai.matey.core';
import type { GatewayOptions } from 'ai.matey.http';
import type { PostgresKeyStore } from 'ai.matey.store.postgres';

/** The key database of a config's `database:` and what it adds to the gateway's options. */
export interface KeyDatabase {
  store: PostgresKeyStore;
  gatewayOptions: Pick<GatewayOptions, 'keySources' | 'admin'>;
  /** The middleware that appends every call to the spend log, priced by `costOf`. */
  spendLog(costOf: (response: ChatResponse) => number | undefined): Middleware;
}

/**
 * Opens `database:` (PostgreSQL, migrated on the way) as a key source beside the config's keys,
 * and serves the admin API over it when `MATEY_ADMIN_KEY` is set. Nothing without a database.
 */
export async function openKeyDatabase(
  url: string | undefined,
  env: NodeJS.ProcessEnv,
  warn: (line: string) => void,
): Promise<KeyDatabase | undefined> {
  const adminKey = env.MATEY_ADMIN_KEY;
  if (!url) {
    if (adminKey)
      warn('warning: MATEY_ADMIN_KEY is set but the config has no database: the admin API is off');
    return undefined;
  }
  const { PostgresKeyStore, createSpendLogMiddleware } = await import('ai.matey.store.postgres');
  const store = await PostgresKeyStore.open({ url });
  return {
    store,
    gatewayOptions: { keySources: [store], ...(adminKey ? { admin: { key: adminKey, store } } : {}) },
    spendLog: (costOf) => createSpendLogMiddleware({ writer: store.spendLog, costOf }),
  };
}
