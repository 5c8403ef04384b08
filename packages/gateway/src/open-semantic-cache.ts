import type { Bridge, ChatRequest, Middleware } from 'ai.matey.core';
import type { GatewayMetrics } from 'ai.matey.http';
import type { KeyValueStore } from 'ai.matey.middleware';
import type { GatewayConfig } from './config-schema.ts';

type SemanticCacheConfig = Exclude<GatewayConfig['middleware']['semanticCache'], false>;

/** The semantic cache the config asks for, and its counters for `/metrics`. */
export interface GatewaySemanticCache {
  middleware: Middleware;
  /** Adds `matey_semantic_cache_total{outcome}` and `matey_semantic_cache_entries` to the metrics. */
  register(metrics: GatewayMetrics): void;
}

/**
 * The semantic cache of `middleware.semanticCache`, on the gateway's store (so replicas on one
 * Redis share answers), embedding prompts through the gateway's own Bridge. Only keys with
 * `semanticCache: true` use it (every call when the gateway has no keys). The package
 * `ai.matey.semantic-cache` is imported here and only here, so a gateway without the section
 * never loads its native vector index.
 */
export async function openSemanticCache(
  config: SemanticCacheConfig,
  keys: GatewayConfig['keys'],
  store: KeyValueStore,
  embedder: Pick<Bridge, 'embed'>,
): Promise<GatewaySemanticCache> {
  const { createSemanticCacheMiddleware } = await import('ai.matey.semantic-cache').catch(
    (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
      throw new TypeError(
        `middleware.semanticCache needs the optional package ai.matey.semantic-cache (npm install ai.matey.semantic-cache) (${(error as Error).message})`,
      );
    },
  );
  const optedIn = new Set(keys.filter((key) => key.semanticCache).map((key) => key.id));
  const keyOf = (request: ChatRequest) => {
    const id = request.metadata?.apiKeyId;
    return typeof id === 'string' ? id : undefined;
  };
  const semantic = createSemanticCacheMiddleware({
    embedder,
    embeddingModel: config.embeddingModel,
    threshold: config.threshold,
    ttlMs: config.ttlMs,
    maxEntries: config.maxEntries,
    allowTools: config.allowTools,
    allowTemperature: config.allowTemperature,
    matchNumbers: config.matchNumbers,
    store,
    enabled: (request) => {
      const key = keyOf(request);
      return key === undefined ? keys.length === 0 : optedIn.has(key);
    },
    scope: (request, context) =>
      config.shareAcrossKeys ? context.backend.name : `${context.backend.name}\nkey:${keyOf(request) ?? ''}`,
  });
  return {
    middleware: semantic,
    register(metrics) {
      metrics.addCounter(
        'matey_semantic_cache_total',
        'Semantic cache lookups and writes, by outcome (hit, miss, bypass, write, embed_error, store_error)',
        'outcome',
        () => {
          const stats = semantic.stats();
          return {
            hit: stats.hits,
            miss: stats.misses,
            bypass: stats.bypassed,
            write: stats.writes,
            embed_error: stats.embedErrors,
            store_error: stats.storeErrors,
          };
        },
      );
      metrics.addGauge(
        'matey_semantic_cache_entries',
        "Answers in this replica's semantic index",
        () => semantic.stats().entries,
      );
    },
  };
}
