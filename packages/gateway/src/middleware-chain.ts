import { defaultCatalog } from 'ai.matey.backend';
import type { Middleware } from 'ai.matey.core';
import {
  createCacheMiddleware,
  createLoggingMiddleware,
  createPromptInjectionGuard,
  createRedactionMiddleware,
  createRetryMiddleware,
  createTimeoutMiddleware,
  type GuardrailVerdictEvent,
  type KeyValueStore,
  MemoryStore,
} from 'ai.matey.middleware';
import type { BuildOptions } from './build-gateway.ts';
import type { GatewayConfig } from './config-schema.ts';
import { createModelAliasMiddleware } from './model-alias-middleware.ts';
import type { GatewayTelemetry } from './open-telemetry.ts';

/**
 * The Bridge's middleware chain the config asks for, outermost first: model aliases, the
 * telemetry span, logging, the guardrails (built from `guardrails:` by `guardrailsFromConfig`),
 * the prompt-injection guard, redaction, cache, the semantic cache (opened by the caller: it
 * needs the Bridge to embed), timeout, retry. The guardrails sit outside the caches, so a cached
 * answer is checked as a fresh one is.
 */
export function middlewareChain(
  config: GatewayConfig,
  store: KeyValueStore,
  options: BuildOptions,
  telemetry: GatewayTelemetry | undefined,
  guardrails?: Middleware,
  onVerdict?: (event: GuardrailVerdictEvent) => void,
  semanticCache?: Middleware,
): Middleware[] {
  const chain: Middleware[] = [];
  const { middleware } = config;
  const aliases = config.models;
  if (Object.keys(aliases).length > 0) chain.push(createModelAliasMiddleware(aliases));
  // Outermost after the aliases: one gen_ai span per call (retries and fallbacks inside it),
  // naming the model the alias resolved to.
  if (telemetry) chain.push(telemetry.middleware);
  if (middleware.logging) {
    chain.push(
      createLoggingMiddleware({
        pino: { level: middleware.logging.level },
        costOf: (reply) => defaultCatalog.price(reply.model, reply.usage, reply.provider),
        ...(options.logDestination ? { destination: options.logDestination } : {}),
      }),
    );
  }
  if (guardrails) chain.push(guardrails);
  if (middleware.promptInjection !== 'off')
    chain.push(
      createPromptInjectionGuard({ action: middleware.promptInjection, ...(onVerdict ? { onVerdict } : {}) }),
    );
  if (middleware.redaction) chain.push(createRedactionMiddleware(onVerdict ? { onVerdict } : {}));
  if (middleware.cache) {
    chain.push(
      createCacheMiddleware({
        store: middleware.cache.maxEntries
          ? new MemoryStore({ maxEntries: middleware.cache.maxEntries })
          : store,
        ...(middleware.cache.ttlMs ? { ttlMs: middleware.cache.ttlMs } : {}),
      }),
    );
  }
  // Behind the exact cache, which answers repeats without an embedding call.
  if (semanticCache) chain.push(semanticCache);
  if (middleware.timeoutMs) chain.push(createTimeoutMiddleware({ totalMs: middleware.timeoutMs }));
  if (middleware.retry)
    chain.push(
      createRetryMiddleware(
        middleware.retry.maxAttempts ? { maxAttempts: middleware.retry.maxAttempts } : {},
      ),
    );
  return chain;
}
