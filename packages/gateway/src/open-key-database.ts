import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { ChatResponse, Middleware } from 'ai.matey.core';
import { type GatewayMetrics, type GatewayOptions, reconcileBudgetCounters } from 'ai.matey.http';
import type { KeyValueStore } from 'ai.matey.middleware';
import type { PostgresKeyStore, SpendOverflow } from 'ai.matey.store.postgres';
import type { GatewayConfig } from './config-schema.ts';

/** The key database of a config's `database:` and what it adds to the gateway's options. */
export interface KeyDatabase {
  store: PostgresKeyStore;
  gatewayOptions: Pick<GatewayOptions, 'keySources' | 'admin'>;
  /** The middleware that appends every call (chat and embedding) to the spend log, priced by `costOf`. */
  spendLog(
    costOf: (reply: Pick<ChatResponse, 'model' | 'usage' | 'provider'>) => number | undefined,
  ): Middleware;
  /** Adds the spend log's backlog (by tier) and dropped rows to `/metrics`. */
  addMetrics(metrics: GatewayMetrics): void;
  /**
   * Raises the budget counters in `store` to the spend log's sums now and every
   * `spendLog.reconcileIntervalMs`; the returned function stops it.
   */
  reconcileBudgets(store: KeyValueStore): Promise<() => void>;
}

/**
 * Opens `database:` (PostgreSQL, migrated on the way) as a key source beside the config's keys,
 * with its spend log overflowing to `spendLog.overflowDir` or the `store:` Redis while the
 * database is away, and serves the admin API over it when `MATEY_ADMIN_KEY` is set. Nothing
 * without a database.
 */
export async function openKeyDatabase(
  config: Pick<GatewayConfig, 'database' | 'spendLog' | 'store'>,
  env: NodeJS.ProcessEnv,
  warn: (line: string) => void,
): Promise<KeyDatabase | undefined> {
  const adminKey = env.MATEY_ADMIN_KEY;
  if (!config.database) {
    if (adminKey)
      warn('warning: MATEY_ADMIN_KEY is set but the config has no database: the admin API is off');
    return undefined;
  }
  const { PostgresKeyStore, createSpendLogMiddleware } = await import('ai.matey.store.postgres');
  const { batchSize, flushIntervalMs, bufferRows } = config.spendLog;
  const overflow = await openOverflow(config);
  const where = overflow ? `memory, then ${overflow.tier === 'file' ? 'files' : 'Redis'}` : 'memory only';
  const store = await PostgresKeyStore.open({
    url: config.database,
    spendLog: {
      batchSize,
      flushIntervalMs,
      maxBuffered: bufferRows,
      ...(overflow ? { overflow } : {}),
      // Once per outage: not a line per failed batch.
      onStateChange: (state) =>
        warn(
          state === 'backlogged'
            ? `warning: the spend log's database is unreachable: rows wait (${where}) until it answers`
            : 'the spend log is writing again: the waiting rows go to the database',
        ),
    },
  }).catch(async (error: unknown) => {
    await overflow?.close?.();
    throw error;
  });
  const reconcileOnce = async (counters: KeyValueStore) => {
    const now = Date.now();
    try {
      await reconcileBudgetCounters(counters, await store.loggedBudgetSpend(now), now);
    } catch {
      // A database or store away now: tried again on the next round.
    }
  };
  return {
    store,
    async reconcileBudgets(counters) {
      await reconcileOnce(counters);
      const every = config.spendLog.reconcileIntervalMs;
      if (every === 0) return () => undefined;
      const timer = setInterval(() => void reconcileOnce(counters), every);
      timer.unref();
      return () => clearInterval(timer);
    },
    gatewayOptions: { keySources: [store], ...(adminKey ? { admin: { key: adminKey, store } } : {}) },
    spendLog: (costOf) => createSpendLogMiddleware({ writer: store.spendLog, costOf, embedCostOf: costOf }),
    addMetrics(metrics) {
      const { spendLog } = store;
      metrics.addGauge(
        'matey_spend_backlog_rows',
        'Spend-log rows waiting to be written, by where they wait (memory, redis, file)',
        () => spendLog.backlogByTier(),
        'tier',
      );
      metrics.addGauge(
        'matey_spend_log_dropped',
        'Spend-log rows dropped: the buffer was full and no overflow took them',
        () => spendLog.dropped,
      );
    },
  };
}

async function openOverflow(
  config: Pick<GatewayConfig, 'spendLog' | 'store' | 'database'>,
): Promise<SpendOverflow | undefined> {
  const { overflowDir } = config.spendLog;
  if (overflowDir) {
    const { FileSpendOverflow } = await import('ai.matey.store.postgres');
    return FileSpendOverflow.open({ dir: resolve(overflowDir) });
  }
  if (!config.store || !config.database) return undefined;
  const { RedisBacklog } = await import('ai.matey.store.redis');
  return new RedisBacklog({
    url: config.store,
    key: config.spendLog.redisKey ?? backlogKey(config.database),
  });
}

/** One list per database: its host, port and name hashed (no user or password in the key). */
function backlogKey(database: string): string {
  const url = new URL(database);
  const where = `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  return `matey:spend-backlog:${createHash('sha256').update(where).digest('hex').slice(0, 16)}`;
}
