import type { Bridge, ChatRequest, Middleware } from 'ai.matey.core';
import type { GatewayKey, GatewayMetrics } from 'ai.matey.http';
import type { KeyValueStore } from 'ai.matey.middleware';
import type { GatewayConfig } from './config-schema.ts';

type SemanticCacheConfig = Exclude<GatewayConfig['middleware']['semanticCache'], false>;

/** The semantic cache the config asks for, and its counters for `/metrics`. */
export interface GatewaySemanticCache {
  middleware: Middleware;
  /** Adds `matey_semantic_cache_total{outcome}` and `matey_semantic_cache_entries` to the metrics. */
  register(metrics: GatewayMetrics): void;
}

/** How the semantic cache sees the caller's key: as the gateway's policy resolved it. */
export interface SemanticCacheKeys {
  /** The key by id (`GatewayPolicy.keyById`): a config key, or a database key as last looked up. */
  keyById(id: string): GatewayKey | undefined;
  /** Whether the gateway asks for keys at all (else every call may use the cache). */
  keyed(): boolean;
}

/**
 * The semantic cache of `middleware.semanticCache`, on the gateway's store (so replicas on one
 * Redis share answers), embedding prompts through `embedder` (the policy's `embedOnBehalf`, so
 * the key pays). Only keys whose record says `semanticCache: true` use it, from the config file
 * or the database alike (every call when the gateway has no keys). The package
 * `ai.matey.semantic-cache` is imported here and only here, so a gateway without the section
 * never loads its native vector index.
 */
export async function openSemanticCache(
  config: SemanticCacheConfig,
  keys: SemanticCacheKeys,
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
      const id = keyOf(request);
      return id === undefined ? !keys.keyed() : keys.keyById(id)?.semanticCache === true;
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
