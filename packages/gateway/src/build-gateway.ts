import { dirname, resolve } from 'node:path';
import { createBackend, defaultCatalog, PROVIDER_PROFILES, type ProviderName } from 'ai.matey.backend';
import { type Backend, Bridge, Router } from 'ai.matey.core';
import { createGateway, type Gateway, onStoreDownOf } from 'ai.matey.http';
import type { KeyValueStore } from 'ai.matey.middleware';
import type { SimulatedFleet } from 'ai.matey.testing';
import { backendFromConfig } from './backend-from-config.ts';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import { type KnownProviders, referenceIssues } from './config-references.ts';
import type { GatewayConfig } from './config-schema.ts';
import { configuredSecrets, firstSet } from './configured-secrets.ts';
import { discoverBedrock } from './discover-bedrock.ts';
import { discoverVertex } from './discover-vertex.ts';
import { gatewayBulkheads } from './gateway-bulkheads.ts';
import { guardrailVerdictReporter } from './guardrail-verdict-reporter.ts';
import { guardrailsFromConfig } from './guardrails-from-config.ts';
import { middlewareChain } from './middleware-chain.ts';
import { openKeyDatabase } from './open-key-database.ts';
import { openSemanticCache } from './open-semantic-cache.ts';
import { openStore, storeStateLine } from './open-store.ts';
import { type GatewayTelemetry, openTelemetry } from './open-telemetry.ts';
import { isMissingPresetPackage } from './package-presets.ts';
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
  /** The OpenTelemetry SDK, when the config has a `telemetry:` section. */
  telemetry: GatewayTelemetry | undefined;
  /** Closes the simulated fleet and the store and flushes telemetry (not the HTTP server). */
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
  /**
   * The config file the config came from: a provider `type` that is a module path is resolved
   * from its folder, a package name from there too (default: the working directory).
   */
  configFile?: string;
  /** Where start-up warnings go, one line each (default `console.warn`). */
  warn?: (line: string) => void;
}

/**
 * Builds a gateway from its configuration: providers from the config, else every provider
 * whose API key is in the environment, else a simulated fleet; a Router over them with
 * model-based routing, aliases and fallbacks; the middleware chain; and the Hono app.
 */
export async function buildGateway(config: GatewayConfig, options: BuildOptions = {}): Promise<BuiltGateway> {
  const env = options.env ?? process.env;
  const secrets = configuredSecrets(config, env);
  const enabled: Array<{ provider: EnabledProvider; backend: Backend; weight?: number }> = [];
  let fleet: SimulatedFleet | undefined;
  const bulkheads = gatewayBulkheads(config.bulkheads);
  const transportFor = (name: string) => () => bulkheads.transportFor(name);

  const configured = Object.entries(config.providers).filter(([, provider]) => provider.enabled !== false);
  const where = options.configFile ?? 'config';
  const dir = options.configFile ? dirname(resolve(options.configFile)) : process.cwd();
  if (!config.simulate && configured.length > 0) {
    const issues: ConfigIssue[] = [];
    for (const [name, provider] of configured) {
      try {
        enabled.push(await backendFromConfig(name, provider, dir, transportFor(name)));
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        issues.push({ field: `providers.${name}.type`, message: error.message });
      }
    }
    if (issues.length > 0) throw new ConfigError(where, issues);
  } else if (!config.simulate) {
    for (const [name, profile] of Object.entries(PROVIDER_PROFILES)) {
      if (name === 'azure-openai' && !env.AZURE_OPENAI_ENDPOINT) continue;
      const apiKey = firstSet(env, profile.apiKeyEnv);
      if (!apiKey) continue;
      // Read here from `env`, not left to the adapter: it would look at process.env instead.
      const baseURL = firstSet(env, profile.baseURLEnv);
      enabled.push(
        await backendFromConfig(name, { apiKey, ...(baseURL ? { baseURL } : {}) }, dir, transportFor(name)),
      );
    }
    const bedrock = await discoverBedrock(env);
    if (bedrock) enabled.push(await backendFromConfig('bedrock', bedrock, dir));
    const vertex = discoverVertex(env);
    const found = vertex && (await backendFromConfig('vertex', vertex, dir).catch(skipMissingPackage));
    if (found) enabled.push(found);
  }
  if (enabled.length === 0) {
    fleet = await startFleet({
      timeScale: options.fleetTimeScale ?? 1,
      ...(options.fleetFailureRate === undefined ? {} : { failureRate: options.fleetFailureRate }),
    });
    for (const simulated of fleet.providers) {
      const { baseURL } = simulated;
      const transport = bulkheads.transportFor(simulated.name);
      const backend = createBackend(simulated.name as ProviderName, {
        apiKey: 'simulated',
        baseURL,
        defaultModel: simulated.models[0],
        ...(transport ? { transport } : {}),
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

  // Without providers in the file, the names it uses can only be checked against those enabled.
  if (Object.keys(config.providers).length === 0) {
    const known: KnownProviders = { label: 'enabled providers', serves: new Map() };
    for (const { provider } of enabled)
      known.serves.set(provider.name, (model) => provider.models.includes(model));
    const issues = referenceIssues(config, known);
    if (issues.length > 0) {
      await fleet?.close();
      throw new ConfigError(where, issues);
    }
  }
  const verdicts = guardrailVerdictReporter(config, options);
  const backends = new Map(enabled.map(({ provider, backend }) => [provider.name, backend]));
  const guardrailIssues: ConfigIssue[] = [];
  const guardrails = await guardrailsFromConfig(
    config,
    { dir, backends, onVerdict: verdicts.report },
    guardrailIssues,
  );
  if (guardrailIssues.length > 0) {
    await fleet?.close();
    throw new ConfigError(where, guardrailIssues);
  }
  // Opened once the config is known to be sound, so a refused config leaves no connection open.
  const store = options.store ?? (await openStore(config.store));
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
    // One bulkhead per provider, around each attempt: a full one falls back to the next provider.
    ...(bulkheads.providers ? { attemptMiddleware: [bulkheads.providers] } : {}),
  });
  for (const { provider, backend, weight } of enabled)
    router.register(provider.name, backend, weight ? { weight } : {});

  const keyDatabase = await openKeyDatabase(config, env, options.warn ?? console.warn);
  const telemetry = config.telemetry ? await openTelemetry(config.telemetry) : undefined;
  const bridge = new Bridge({ backend: router, maxAttempts: config.routing.maxAttempts });
  const { semanticCache: semanticConfig } = config.middleware;
  // The keys as the policy resolves them, and embeddings paid by the calling key: both read from
  // the gateway made below (called only once calls arrive).
  const semantic = semanticConfig
    ? await openSemanticCache(
        semanticConfig,
        { keyById: (id) => gateway.policy.keyById(id), keyed: () => gateway.keyring.enabled },
        store,
        { embed: (request, callOptions) => gateway.policy.embedOnBehalf(request, callOptions) },
      )
    : undefined;
  for (const middleware of middlewareChain(
    config,
    store,
    options,
    telemetry,
    guardrails,
    verdicts.report,
    semantic?.middleware,
  ))
    bridge.use(middleware);
  const gateway = createGateway({
    bridge,
    router,
    keys: config.keys.map((key) => ({ ...config.bulkheads?.keys[key.id], ...key })),
    ...keyDatabase?.gatewayOptions,
    // The dashboard needs no database: without one it shows the process's own recent calls.
    ...(env.MATEY_ADMIN_KEY
      ? { dashboard: { key: env.MATEY_ADMIN_KEY, contentLogging: config.server.dashboard.contentLogging } }
      : {}),
    // At the policy point, so refused calls (models, rate limits, budgets) are logged too.
    outerMiddleware: [
      ...(keyDatabase
        ? [
            keyDatabase.spendLog((response) =>
              defaultCatalog.price(response.model, response.usage, response.provider),
            ),
          ]
        : []),
    ],
    keyConcurrency: bulkheads.keys,
    limits: {
      ...(config.server.maxBodyBytes ? { maxBodyBytes: config.server.maxBodyBytes } : {}),
      ...(config.server.maxMessages ? { maxMessages: config.server.maxMessages } : {}),
      ...(config.server.bodyTimeoutMs ? { bodyTimeoutMs: config.server.bodyTimeoutMs } : {}),
    },
    ...(config.server.requestTimeoutMs ? { requestTimeoutMs: config.server.requestTimeoutMs } : {}),
    ...(config.server.streamIdleTimeoutMs ? { streamIdleTimeoutMs: config.server.streamIdleTimeoutMs } : {}),
    ...(config.server.responseTtlMs ? { responseTtlMs: config.server.responseTtlMs } : {}),
    ...(config.server.corsOrigins ? { corsOrigins: config.server.corsOrigins } : {}),
    // Per-key rate limits and budgets are kept by the gateway's policy point, for HTTP and WebSocket.
    store,
    catalog: defaultCatalog,
    modelAliases: config.models,
    passThroughProviders: configured.filter(([, provider]) => provider.passThrough).map(([name]) => name),
    trustProxy: config.server.trustProxy,
    costOf: (response) => defaultCatalog.price(response.model, response.usage, response.provider),
    knownModels: [
      ...defaultCatalog.list().map((model) => model.id),
      ...Object.values(config.providers).flatMap((provider) => provider.models ?? []),
      ...Object.values(config.models),
    ],
    ...(config.metricsKey ? { metricsKey: config.metricsKey } : {}),
    onStoreDown: config.onStoreDown,
    onStoreChange: (state) =>
      (options.warn ?? console.warn)(storeStateLine(config.store, state, onStoreDownOf(config.onStoreDown))),
    ...(keyDatabase ? { readinessChecks: [() => keyDatabase.store.ping()] } : {}),
    ...(telemetry ? { use: [telemetry.http] } : {}),
    secrets,
  });
  if (bulkheads.providers) gateway.metrics?.watchBulkheads(bulkheads.providers.stats);
  verdicts.sink.metrics = gateway.metrics;
  if (semantic && gateway.metrics) semantic.register(gateway.metrics);
  // Said once at start when the store does not answer (and once when it does again).
  await gateway.storeHealth?.check();
  if (keyDatabase && gateway.metrics) keyDatabase.addMetrics(gateway.metrics);
  const stopReconciling = await keyDatabase?.reconcileBudgets(store);
  return {
    gateway,
    bridge,
    router,
    providers: enabled.map((e) => e.provider),
    fleet,
    store,
    telemetry,
    async close() {
      try {
        stopReconciling?.();
        gateway.storeHealth?.close();
        await fleet?.close();
        await (store as { close?: () => Promise<void> }).close?.();
        await keyDatabase?.store.close();
        await bulkheads.close();
      } finally {
        await telemetry?.shutdown();
      }
    },
  };
}

function skipMissingPackage(error: unknown): undefined {
  if (isMissingPresetPackage(error)) return undefined;
  throw error;
}
