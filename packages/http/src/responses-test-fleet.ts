/**
 * Test support (not exported): a gateway on an ephemeral port whose Router reaches one mock
 * upstream per wire protocol, so a client of any protocol can be served by each of them.
 */
import {
  AnthropicBackendAdapter,
  defaultCatalog,
  GeminiBackendAdapter,
  OpenAIBackendAdapter,
} from 'ai.matey.backend';
import {
  Bridge,
  type ChatResponse,
  ChatStream,
  type Message,
  Router,
  type ToolCallPart,
  type ToolResultPart,
} from 'ai.matey.core';
import {
  fixtureToSse,
  type MockUpstream,
  type MockUpstreamOptions,
  readFixture,
  startMockUpstream,
} from 'ai.matey.testing';
import { type BuiltInWireProtocol, SseParser, wireCodec } from 'ai.matey.wire';
import { createGateway, type Gateway } from './create-gateway.ts';
import type { GatewayOptions } from './gateway-options.ts';
import { type RunningGateway, serveGateway } from './serve-gateway.ts';

/** Each upstream protocol, a model that routes to it, and recordings to replay through it. */
export const UPSTREAM_LANES = [
  {
    protocol: 'openai-chat',
    model: 'openai/gpt-4o-mini',
    text: 'openai-text',
    tool: 'groq-tool-call',
    reasoning: 'deepseek-reasoning',
  },
  {
    protocol: 'anthropic-messages',
    model: 'anthropic/claude-sonnet-4-5',
    text: 'anthropic-text',
    tool: 'anthropic-tool-no-args',
    reasoning: 'anthropic-clear-thinking.1',
  },
  {
    protocol: 'gemini',
    model: 'gemini/gemini-2.5-flash',
    text: 'google-text',
    tool: 'google-tool-call',
    reasoning: 'google-reasoning',
  },
  {
    protocol: 'openai-responses',
    model: 'responses/gpt-5-codex',
    text: 'azure-text.1',
    tool: 'azure-tool-call.1',
    reasoning: 'openai-reasoning-encrypted-content.1',
  },
] as const satisfies ReadonlyArray<{
  protocol: BuiltInWireProtocol;
  model: string;
  text: string;
  tool: string;
  reasoning: string;
}>;

/** The key the fleet's adapters send upstream: it must never show up in a gateway reply. */
export const FLEET_UPSTREAM_KEY = 'upstream-key-3e1c9';

export type UpstreamProtocol = (typeof UPSTREAM_LANES)[number]['protocol'];

const PROVIDERS: Record<UpstreamProtocol, string> = {
  'openai-chat': 'openai',
  'anthropic-messages': 'anthropic',
  gemini: 'gemini',
  'openai-responses': 'responses',
};

export interface ProtocolFleet {
  url: string;
  gateway: Gateway;
  running: RunningGateway;
  upstreams: Record<UpstreamProtocol, MockUpstream>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts four mock upstreams and a gateway whose Router sends `openai/…` to Chat Completions,
 * `anthropic/…` to Messages, `gemini/…` to Gemini and `responses/…` to the Responses API.
 *
 * @example
 * await using fleet = await startProtocolFleet();
 * fleet.upstreams.gemini.enqueue({ fixture: 'google-text' });
 */
export async function startProtocolFleet(
  gateway: Partial<Omit<GatewayOptions, 'bridge' | 'router'>> = {},
  /** Options of each mock upstream (a token count to answer with, …). */
  upstreamOptions: Partial<Record<UpstreamProtocol, MockUpstreamOptions>> = {},
): Promise<ProtocolFleet> {
  const start = (protocol: UpstreamProtocol) => startMockUpstream({ ...upstreamOptions[protocol] });
  const [chat, anthropic, gemini, responses] = await Promise.all([
    start('openai-chat'),
    start('anthropic-messages'),
    start('gemini'),
    start('openai-responses'),
  ]);
  const key = FLEET_UPSTREAM_KEY;
  const router = new Router({ routingStrategy: 'model-based', circuitBreaker: { failureThreshold: 1_000 } });
  router.register('openai', new OpenAIBackendAdapter({ apiKey: key, baseURL: `${chat.url}/v1` }));
  router.register('anthropic', new AnthropicBackendAdapter({ apiKey: key, baseURL: anthropic.url }));
  router.register('gemini', new GeminiBackendAdapter({ apiKey: key, baseURL: gemini.url }));
  router.register(
    'responses',
    new OpenAIBackendAdapter({ apiKey: key, baseURL: `${responses.url}/v1`, protocol: 'openai-responses' }),
  );
  const built = createGateway({
    bridge: new Bridge({ backend: router }),
    router,
    catalog: defaultCatalog,
    ...gateway,
  });
  const running = await serveGateway(built, { port: 0, shutdownGraceMs: 1_000 });
  const close = async () => {
    await running.close();
    await Promise.all([chat, anthropic, gemini, responses].map((upstream) => upstream.close()));
  };
  return {
    url: running.url,
    gateway: built,
    running,
    upstreams: {
      'openai-chat': chat,
      'anthropic-messages': anthropic,
      gemini,
      'openai-responses': responses,
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The provider name a lane's replies carry. */
export function providerOf(protocol: UpstreamProtocol): string {
  return PROVIDERS[protocol];
}

/** A recording decoded by its own protocol's codec: what a client of that provider reads. */
export async function recordedReply(
  protocol: UpstreamProtocol,
  name: string,
  stream: boolean,
): Promise<ChatResponse> {
  const codec = wireCodec(protocol);
  const fixture = readFixture(protocol, name);
  const context = { provider: PROVIDERS[protocol] };
  if (!stream) return codec.decodeResponse(fixture.json, context);
  const parser = new SseParser();
  const decoder = codec.createStreamDecoder(context);
  const text = fixtureToSse(protocol, fixture.chunks ?? []);
  const events = [...parser.push(text), ...parser.end()].flatMap((event) => decoder.push(event));
  events.push(...decoder.end());
  return ChatStream.from(events).collect();
}

/** The first tool call in a conversation an upstream was sent, and the first tool result. */
export function toolExchange(messages: readonly Message[]): {
  call: ToolCallPart | undefined;
  result: ToolResultPart | undefined;
} {
  let call: ToolCallPart | undefined;
  let result: ToolResultPart | undefined;
  for (const message of messages) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content) {
      if (part.type === 'tool-call') call ??= part;
      if (part.type === 'tool-result') result ??= part;
    }
  }
  return { call, result };
}
