/**
 * A gateway serving `POST /v1/embeddings` for the embeddings tests: one mock upstream behind a
 * Router of every OpenAI-shaped embeddings upstream (OpenAI and Voyage replaying recordings from
 * packages/fixtures/recorded/embeddings, the others with the mock's deterministic vectors),
 * Gemini, a chat-only Anthropic backend and `limited` (96 inputs a call); logging, cost tracking
 * and retry on the Bridge; keys with model, rate and budget limits.
 */
import {
  defaultCatalog,
  GeminiBackendAdapter,
  HttpBackend,
  PROVIDER_PROFILES,
  type ProviderProfile,
} from 'ai.matey.backend';
import { Bridge, Router } from 'ai.matey.core';
import {
  createCostTrackingMiddleware,
  createLoggingMiddleware,
  createRetryMiddleware,
} from 'ai.matey.middleware';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import { createGateway } from '../create-gateway.ts';
import { type RunningGateway, serveGateway } from '../serve-gateway.ts';

export const UPSTREAM_KEY = 'upstream-secret-embed-71c2a9';
export const GATEWAY_KEY = 'gw-key-embeddings-5d8e21';
export const LIMITED_KEY = 'gw-key-limited-0a9f33';
export const BUDGETED_KEY = 'gw-key-budgeted-7e1c44';
export const THROTTLED_KEY = 'gw-key-throttled-2b6d90';

/** A provider that takes at most 96 inputs a call (Cohere's limit), on the OpenAI shape. */
const limited: ProviderProfile = {
  ...PROVIDER_PROFILES.openai,
  name: 'limited',
  embed: { defaultModel: 'embed-small', maxBatch: 96 },
};

export interface EmbeddingsGateway {
  upstream: MockUpstream;
  running: RunningGateway;
  /** The official client, with the main key. */
  client: OpenAI;
  /** The log lines the gateway wrote, parsed. */
  logLines: Array<Record<string, unknown>>;
  /** Makes the upstream call with this index (0 first since the last reset) a 429, or none. */
  failCall(index: number | undefined): void;
  /** Forgets the upstream's requests, the log lines and the failing call. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts the mock upstream and the gateway in front of it. */
export async function startEmbeddingsGateway(): Promise<EmbeddingsGateway> {
  let failing: number | undefined;
  const upstream = await startMockUpstream({
    apiKeys: [UPSTREAM_KEY],
    embedReply: (request, { callIndex }) => {
      if (callIndex === failing) return { error: 'rate-limited', retryAfterMs: 5 };
      if (request.model === 'text-embedding-3-small') return { fixture: 'openai-embedding' };
      if (request.model === 'voyage-3.5') return { fixture: 'voyage-embedding' };
      return {};
    },
  });
  const http = (profile: ProviderProfile) =>
    new HttpBackend(profile, { apiKey: UPSTREAM_KEY, baseURL: `${upstream.url}/v1` });
  const router = new Router({ routingStrategy: 'model-based', circuitBreaker: false })
    .register('openai', http(PROVIDER_PROFILES.openai), { models: ['text-embedding-*', 'gpt-*'] })
    .register('voyage', http(PROVIDER_PROFILES.voyage), { models: ['voyage-*'] })
    .register('mistral', http(PROVIDER_PROFILES.mistral), { models: ['mistral-embed'] })
    .register('together', http(PROVIDER_PROFILES.together), { models: ['BAAI/bge-*'] })
    .register('ollama', http(PROVIDER_PROFILES.ollama), { models: ['nomic-embed-text'] })
    .register('gemini', new GeminiBackendAdapter({ apiKey: UPSTREAM_KEY, baseURL: upstream.url }), {
      models: ['gemini-*'],
    })
    .register('anthropic', http(PROVIDER_PROFILES.anthropic), { models: ['claude-*'] })
    .register('limited', http(limited), { models: ['embed-small'] });
  const logLines: Array<Record<string, unknown>> = [];
  const bridge = new Bridge({
    backend: router,
    middleware: [
      createLoggingMiddleware({ destination: { write: (line: string) => logLines.push(JSON.parse(line)) } }),
      createCostTrackingMiddleware({ catalog: defaultCatalog }),
      createRetryMiddleware({ sleep: async () => {}, random: () => 0 }),
    ],
  });
  const gateway = createGateway({
    bridge,
    router,
    keys: [
      { id: 'main', key: GATEWAY_KEY },
      { id: 'limited', key: LIMITED_KEY, allowedModels: ['gemini/*'] },
      { id: 'budgeted', key: BUDGETED_KEY, budgetUsdPerDay: 0.000001 },
      { id: 'throttled', key: THROTTLED_KEY, requestsPerMinute: 1 },
    ],
    costOf: (reply) => defaultCatalog.price(reply.model, reply.usage, reply.provider),
    catalog: defaultCatalog,
    knownModels: defaultCatalog.list().map((model) => model.id),
  });
  const running = await serveGateway(gateway, { port: 0, shutdownGraceMs: 1_000 });
  return {
    upstream,
    running,
    client: new OpenAI({ apiKey: GATEWAY_KEY, baseURL: `${running.url}/v1`, maxRetries: 0 }),
    logLines,
    failCall: (index) => {
      failing = index;
    },
    reset() {
      upstream.reset();
      failing = undefined;
      logLines.length = 0;
    },
    async close() {
      await running.close();
      await upstream.close();
    },
  };
}
