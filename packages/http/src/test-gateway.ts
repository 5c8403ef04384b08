/**
 * Test support for the gateway's contract tests (not exported from the package): a gateway on an
 * ephemeral port whose Router sends `openai/…` and `gpt-*` to an OpenAI adapter,
 * `anthropic/…` and `claude-*` to an Anthropic adapter and `gemini/…` and `gemini-*` to a
 * Gemini adapter, each pointed at its own mock upstream.
 */

// ai.matey.http does not depend on ai.matey.backend, and ai.matey.testing does not export the
// mock upstream yet: both are reached by path, here only.
import {
  AnthropicBackendAdapter,
  defaultCatalog,
  GeminiBackendAdapter,
  OpenAIBackendAdapter,
} from 'ai.matey.backend';
import { Bridge, type ChatResponse, type MiddlewareLike, Router } from 'ai.matey.core';
import { type MockUpstream, type MockUpstreamOptions, startMockUpstream } from 'ai.matey.testing';
import { createGateway, type Gateway } from './create-gateway.ts';
import type { GatewayOptions } from './gateway-options.ts';
import { type RunningGateway, type ServeOptions, serveGateway } from './serve-gateway.ts';
import { attachWebSocketGateway, type WebSocketGateway } from './websocket/websocket-server.ts';

export type { MockUpstream, MockUpstreamReply } from 'ai.matey.testing';

/** The key the adapters send upstream: it must never show up in a gateway response. */
export const UPSTREAM_KEY = 'upstream-secret-6b1f0e93c2';

/** The two translation lanes: which upstream protocol serves a call, and a model that routes there. */
export const LANES = [
  { lane: 'openai', model: 'openai/gpt-4o-mini', upstreamModel: 'gpt-4o-mini' },
  { lane: 'anthropic', model: 'anthropic/claude-sonnet-4-5', upstreamModel: 'claude-sonnet-4-5' },
] as const;

export type Lane = (typeof LANES)[number]['lane'];

/** The Gemini-protocol lane, apart from `LANES` (the clients' tests that predate it run the two). */
export const GEMINI_LANE = {
  lane: 'gemini',
  model: 'gemini/gemini-2.5-flash',
  upstreamModel: 'gemini-2.5-flash',
} as const;

/** Every upstream protocol the fleet has. */
export const ALL_LANES = [...LANES, GEMINI_LANE] as const;

export interface TestFleetOptions {
  gateway?: Partial<Omit<GatewayOptions, 'bridge' | 'router'>>;
  serve?: ServeOptions;
  openai?: MockUpstreamOptions;
  anthropic?: MockUpstreamOptions;
  gemini?: MockUpstreamOptions;
  /** The Router's fallback chain (`anthropic/claude-haiku-4-5`, …). Default none. */
  fallbackChain?: string[];
  /** Middleware on the gateway's Bridge (model aliases, retries, …). */
  middleware?: MiddlewareLike[];
}

export interface TestFleet {
  url: string;
  /** The WebSocket endpoint on the same server, through the same policy point. */
  wsUrl: string;
  websocket: WebSocketGateway;
  gateway: Gateway;
  running: RunningGateway;
  router: Router;
  upstreams: Record<Lane | 'gemini', MockUpstream>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The USD price of a reply from the bundled catalog, as a real deployment would pass it. */
export function catalogCost(response: ChatResponse): number | undefined {
  return defaultCatalog.price(response.model, response.usage, response.provider);
}

/**
 * Starts two mock upstreams (OpenAI and Anthropic protocol) and a gateway routing to them.
 *
 * @example
 * await using fleet = await startTestFleet();
 * const client = new OpenAI({ apiKey: 'k', baseURL: `${fleet.url}/v1` });
 */
export async function startTestFleet(options: TestFleetOptions = {}): Promise<TestFleet> {
  const [openaiUpstream, anthropicUpstream, geminiUpstream] = await Promise.all([
    startMockUpstream({ ...options.openai }),
    startMockUpstream({ ...options.anthropic }),
    startMockUpstream({ ...options.gemini }),
  ]);
  const router = new Router({
    routingStrategy: 'model-based',
    modelMapping: { 'gpt-*': 'openai', 'claude-*': 'anthropic', 'gemini-*': 'gemini' },
    // A test scripts failures on purpose: they must not open a circuit for the next call.
    circuitBreaker: { failureThreshold: 1_000 },
    ...(options.fallbackChain ? { fallbackChain: options.fallbackChain } : {}),
  });
  router.register(
    'openai',
    new OpenAIBackendAdapter({ apiKey: UPSTREAM_KEY, baseURL: `${openaiUpstream.url}/v1` }),
  );
  router.register(
    'anthropic',
    new AnthropicBackendAdapter({ apiKey: UPSTREAM_KEY, baseURL: anthropicUpstream.url }),
  );
  router.register('gemini', new GeminiBackendAdapter({ apiKey: UPSTREAM_KEY, baseURL: geminiUpstream.url }));
  const gateway = createGateway({
    bridge: new Bridge({ backend: router, middleware: options.middleware ?? [] }),
    router,
    costOf: catalogCost,
    catalog: defaultCatalog,
    knownModels: defaultCatalog.list().map((model) => model.id),
    ...options.gateway,
  });
  const running = await serveGateway(gateway, { port: 0, shutdownGraceMs: 2_000, ...options.serve });
  const websocket = attachWebSocketGateway(running.server, { policy: gateway.policy, router });
  const close = async () => {
    await websocket.close();
    await running.close();
    await Promise.all([openaiUpstream.close(), anthropicUpstream.close(), geminiUpstream.close()]);
  };
  return {
    url: running.url,
    wsUrl: `ws${running.url.slice(4)}/v1/ws`,
    websocket,
    gateway,
    running,
    router,
    upstreams: { openai: openaiUpstream, anthropic: anthropicUpstream, gemini: geminiUpstream },
    close,
    [Symbol.asyncDispose]: close,
  };
}
