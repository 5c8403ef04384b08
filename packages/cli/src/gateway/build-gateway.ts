import {
  createBackend,
  defaultCatalog,
  OpenAICompatibleBackendAdapter,
  PROVIDER_PROFILES,
  type ProviderName,
} from 'ai.matey.backend';
import { type Backend, Bridge, type Middleware, Router } from 'ai.matey.core';
import { createGateway, type Gateway } from 'ai.matey.http';
import {
  createCacheMiddleware,
  createCostTrackingMiddleware,
  createLoggingMiddleware,
  createPromptInjectionGuard,
  createRateLimitMiddleware,
  createRedactionMiddleware,
  createRetryMiddleware,
  createTimeoutMiddleware,
  type KeyValueStore,
  MemoryStore,
} from 'ai.matey.middleware';
import type { SimulatedFleet } from 'ai.matey.testing';
import type { GatewayConfig, ProviderConfig } from './config-schema.ts';
import { perKeyMiddleware } from './per-key-middleware.ts';
import { startFleet } from './start-fleet.ts';

export interface EnabledProvider {
  name: string;
  type: string;
  baseURL: string;
  models: string[];
  simulated: boolean;
}

export interface BuiltGateway {
  gateway: Gateway;
  bridge: Bridge;
  router: Router;
  providers: EnabledProvider[];
  fleet: SimulatedFleet | undefined;
  store: KeyValueStore;
  /** Closes the simulated fleet and the store (not the HTTP server). */
  close(): Promise<void>;
}

export interface BuildOptions {
  env?: NodeJS.ProcessEnv;
  /** Scales the simulated fleet's latencies (0 for instant, in tests). Default 1. */
  fleetTimeScale?: number;
  /** Overrides the simulated fleet's failure rate. */
  fleetFailureRate?: number;
  /** Where pino writes the per-call log lines (default stdout). */
  logDestination?: { write(line: string): void };
  /** A store to use instead of the one the config names. */
  store?: KeyValueStore;
}

const DAY_MS = 86_400_000;

/**
 * Builds a gateway from its configuration: providers from the config, else every provider
 * whose API key is in the environment, else a simulated fleet; a Router over them with
 * model-based routing, aliases and fallbacks; the middleware chain; and the Hono app.
 */
export async function buildGateway(config: GatewayConfig, options: BuildOptions = {}): Promise<BuiltGateway> {
  const env = options.env ?? process.env;
  const store = options.store ?? (await openStore(config.store));
  const enabled: Array<{ provider: EnabledProvider; backend: Backend; weight?: number }> = [];
  let fleet: SimulatedFleet | undefined;

  const configured = Object.entries(config.providers).filter(([, provider]) => provider.enabled !== false);
  if (!config.simulate && configured.length > 0) {
    for (const [name, provider] of configured) enabled.push(fromConfig(name, provider));
  } else if (!config.simulate) {
    for (const [name, profile] of Object.entries(PROVIDER_PROFILES)) {
      if (name === 'azure-openai' && !env.AZURE_OPENAI_ENDPOINT) continue;
      const apiKey = firstSet(env, profile.apiKeyEnv);
      if (!apiKey) continue;
      // Read here from `env`, not left to the adapter: it would look at process.env instead.
      const baseURL = firstSet(env, profile.baseURLEnv);
      enabled.push(fromConfig(name, { apiKey, ...(baseURL ? { baseURL } : {}) }));
    }
  }
  if (enabled.length === 0) {
    fleet = await startFleet({
      timeScale: options.fleetTimeScale ?? 1,
      ...(options.fleetFailureRate === undefined ? {} : { failureRate: options.fleetFailureRate }),
    });
    for (const simulated of fleet.providers) {
      const baseURL = simulated.protocol === 'openai-chat' ? `${simulated.url}/v1` : simulated.url;
      const backend = createBackend(simulated.name as ProviderName, {
        apiKey: 'simulated',
        baseURL,
        defaultModel: simulated.models[0],
      });
      enabled.push({
        provider: {
          name: simulated.name,
          type: simulated.name,
          baseURL,
          models: simulated.models,
          simulated: true,
        },
        backend,
      });
    }
  }

  const modelMapping: Record<string, string> = {};
  for (const { provider } of enabled) {
    for (const model of provider.models) modelMapping[model] ??= provider.name;
  }
  const names = enabled.map((e) => e.provider.name);
  const router = new Router({
    name: 'gateway',
    routingStrategy: config.routing.strategy,
    modelMapping,
    defaultBackend: config.routing.defaultProvider ?? names[0],
    fallbackChain: config.routing.fallbacks,
    catalog: defaultCatalog,
    ...(config.routing.circuitBreaker === undefined ? {} : { circuitBreaker: config.routing.circuitBreaker }),
  });
  for (const { provider, backend, weight } of enabled)
    router.register(provider.name, backend, weight ? { weight } : {});

  const bridge = new Bridge({ backend: router });
  for (const middleware of middlewareChain(config, store, options)) bridge.use(middleware);
  const gateway = createGateway({
    bridge,
    router,
    keys: config.keys,
    limits: {
      ...(config.server.maxBodyBytes ? { maxBodyBytes: config.server.maxBodyBytes } : {}),
      ...(config.server.maxMessages ? { maxMessages: config.server.maxMessages } : {}),
    },
    ...(config.server.corsOrigins ? { corsOrigins: config.server.corsOrigins } : {}),
    trustProxy: config.server.trustProxy,
    costOf: (response) => defaultCatalog.price(response.model, response.usage, response.provider),
    readinessChecks: [async () => (store.ping ? store.ping() : true)],
  });
  return {
    gateway,
    bridge,
    router,
    providers: enabled.map((e) => e.provider),
    fleet,
    store,
    async close() {
      await fleet?.close();
      await (store as { close?: () => Promise<void> }).close?.();
    },
  };
}

function firstSet(env: NodeJS.ProcessEnv, names: readonly string[]): string | undefined {
  return names.map((name) => env[name]).find((value) => value !== undefined && value !== '');
}

function fromConfig(name: string, provider: ProviderConfig) {
  const type = provider.type ?? name;
  const adapterOptions = {
    name,
    ...(provider.apiKey ? { apiKey: provider.apiKey } : {}),
    ...(provider.baseURL ? { baseURL: provider.baseURL } : {}),
    ...(provider.defaultModel ? { defaultModel: provider.defaultModel } : {}),
    ...(provider.headers ? { headers: provider.headers } : {}),
    ...(provider.timeoutMs ? { timeoutMs: provider.timeoutMs } : {}),
  };
  let backend: Backend;
  if (type === 'openai-compatible') {
    if (!provider.baseURL)
      throw new TypeError(`providers.${name}: an openai-compatible provider needs a baseURL`);
    backend = new OpenAICompatibleBackendAdapter({ ...adapterOptions, baseURL: provider.baseURL });
  } else if (type in PROVIDER_PROFILES) {
    backend = createBackend(type as ProviderName, adapterOptions);
  } else {
    throw new TypeError(
      `providers.${name}: unknown type '${type}' (one of ${Object.keys(PROVIDER_PROFILES).join(', ')}, openai-compatible)`,
    );
  }
  const catalogModels = defaultCatalog.list(type).map((entry) => entry.id);
  const models = [
    ...(provider.models ?? []),
    ...(provider.defaultModel ? [provider.defaultModel] : []),
    ...catalogModels,
  ];
  const baseURL = provider.baseURL ?? PROVIDER_PROFILES[type as ProviderName]?.baseURL ?? '';
  return {
    provider: { name, type, baseURL, models: [...new Set(models)], simulated: false },
    backend,
    ...(provider.weight ? { weight: provider.weight } : {}),
  };
}

function middlewareChain(config: GatewayConfig, store: KeyValueStore, options: BuildOptions): Middleware[] {
  const chain: Middleware[] = [];
  const { middleware } = config;
  const aliases = config.models;
  if (Object.keys(aliases).length > 0) {
    chain.push({
      name: 'model-aliases',
      execute: (request, next) => {
        const target = request.model ? aliases[request.model] : undefined;
        return next(target ? { ...request, model: target } : request);
      },
    });
  }
  if (middleware.logging) {
    chain.push(
      createLoggingMiddleware({
        pino: { level: middleware.logging.level },
        ...(options.logDestination ? { destination: options.logDestination } : {}),
      }),
    );
  }
  if (middleware.promptInjection !== 'off')
    chain.push(createPromptInjectionGuard({ action: middleware.promptInjection }));
  if (middleware.redaction) chain.push(createRedactionMiddleware());
  const limited = config.keys.filter((key) => key.requestsPerMinute);
  if (limited.length > 0) {
    chain.push(
      perKeyMiddleware('key-rate-limit', (keyId) => {
        const key = limited.find((k) => k.id === keyId);
        return key?.requestsPerMinute
          ? createRateLimitMiddleware({
              requestsPerWindow: key.requestsPerMinute,
              windowMs: 60_000,
              store,
              key: () => keyId,
            })
          : undefined;
      }),
    );
  }
  const budgeted = config.keys.filter((key) => key.budgetUsdPerDay);
  if (budgeted.length > 0) {
    chain.push(
      perKeyMiddleware('key-budget', (keyId) => {
        const key = budgeted.find((k) => k.id === keyId);
        return key?.budgetUsdPerDay
          ? createCostTrackingMiddleware({
              catalog: defaultCatalog,
              store,
              budget: {
                name: `budget-${keyId}`,
                limitUsd: key.budgetUsdPerDay,
                windowMs: DAY_MS,
                key: () => keyId,
              },
            })
          : undefined;
      }),
    );
  }
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
  if (middleware.timeoutMs) chain.push(createTimeoutMiddleware({ totalMs: middleware.timeoutMs }));
  if (middleware.retry)
    chain.push(
      createRetryMiddleware(
        middleware.retry.maxAttempts ? { maxAttempts: middleware.retry.maxAttempts } : {},
      ),
    );
  return chain;
}

async function openStore(url: string | undefined): Promise<KeyValueStore> {
  if (!url) return new MemoryStore();
  if (!/^rediss?:/.test(url)) throw new TypeError(`store: only redis:// URLs are supported (got ${url})`);
  const { RedisStore } = await import('ai.matey.store.redis');
  return new RedisStore({ url });
}
