import type { ChatRequest } from 'ai.matey.core';
import type { WireProtocol } from 'ai.matey.wire';
import { type MockUpstream, startMockUpstream } from './mock-upstream.ts';
import type { MockErrorKind, MockUpstreamReply } from './mock-upstream-reply.ts';
import { simulatedToolTurn } from './simulated-tool-turn.ts';

/** How one simulated provider behaves. */
export interface SimulatedProviderProfile {
  /** Provider name (`openai`, `anthropic`, `groq`, …), used in responses and errors. */
  name: string;
  protocol: WireProtocol;
  /** The path its clients' base URL carries (`/v1` for OpenAI-compatible SDKs; default ''). */
  basePath?: string;
  /** Model ids it serves; the first is its default. */
  models: string[];
  /** Mean time to first byte (jittered ±25%). */
  latencyMs: number;
  tokensPerSecond: number;
  /** Share of calls (0..1) that fail with `failureKind`. */
  failureRate: number;
  /** What a failure looks like (default `overloaded`). */
  failureKind?: MockErrorKind;
  /** Models that think before answering (their replies carry reasoning). */
  reasoningModels?: string[];
  /** Seed of the PRNG that decides failures and jitter (default: from the name). */
  seed?: number;
  port?: number;
}

/** Known profiles, keyed by provider name; figures are typical of each provider's public API. */
export const simulatedProfiles: Record<string, SimulatedProviderProfile> = {
  openai: {
    name: 'openai',
    protocol: 'openai-chat',
    basePath: '/v1',
    models: ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-nano'],
    latencyMs: 350,
    tokensPerSecond: 90,
    failureRate: 0.02,
    failureKind: 'rate-limited',
  },
  anthropic: {
    name: 'anthropic',
    protocol: 'anthropic-messages',
    models: ['claude-haiku-4-5', 'claude-sonnet-4-5'],
    latencyMs: 600,
    tokensPerSecond: 70,
    failureRate: 0.03,
    failureKind: 'overloaded',
  },
  groq: {
    name: 'groq',
    protocol: 'openai-chat',
    basePath: '/v1',
    models: ['llama-3.1-8b-instant', 'llama-3.3-70b-versatile'],
    latencyMs: 120,
    tokensPerSecond: 450,
    failureRate: 0.05,
    failureKind: 'rate-limited',
  },
  deepseek: {
    name: 'deepseek',
    protocol: 'openai-chat',
    basePath: '/v1',
    models: ['deepseek-chat', 'deepseek-reasoner'],
    latencyMs: 900,
    tokensPerSecond: 35,
    failureRate: 0.04,
    failureKind: 'upstream-server',
    reasoningModels: ['deepseek-reasoner'],
  },
  google: {
    name: 'google',
    protocol: 'gemini',
    models: ['gemini-2.5-flash', 'gemini-2.5-pro'],
    latencyMs: 450,
    tokensPerSecond: 150,
    failureRate: 0.02,
    failureKind: 'rate-limited',
  },
};

/** The fleet `startSimulatedFleet()` starts with no arguments: openai, anthropic, groq, deepseek. */
export const defaultFleetProfiles: SimulatedProviderProfile[] = [
  'openai',
  'anthropic',
  'groq',
  'deepseek',
].map((name) => simulatedProfiles[name] as SimulatedProviderProfile);

export interface SimulatedFleetOptions {
  /** Multiplies every latency and generation time (0: instant, for tests). Default 1. */
  timeScale?: number;
  /** Overrides every profile's failure rate (0 for a fleet that never fails). */
  failureRate?: number;
  /** Keep each upstream's request log (default false: a demo runs for long). */
  log?: boolean;
}

/** One running simulated provider. */
export interface SimulatedProvider {
  name: string;
  protocol: WireProtocol;
  models: string[];
  /** Base URL (`http://127.0.0.1:PORT`). */
  url: string;
  /** What a client of its protocol is given as base URL (`url` and the profile's `basePath`). */
  baseURL: string;
  upstream: MockUpstream;
}

export interface SimulatedFleet {
  providers: SimulatedProvider[];
  /** Base URL by provider name. */
  urls: Record<string, string>;
  get(name: string): SimulatedProvider | undefined;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts one mock upstream per provider profile, each speaking its provider's protocol with its
 * latency, speed, models and a seeded (so repeatable) failure rate. It stands in for the real
 * providers when no API keys are set. Offered tools, it calls one, and answers in text once the
 * results come back (`simulatedToolTurn`), so an agent loop runs against it.
 *
 * @example
 * await using fleet = await startSimulatedFleet();
 * const openaiUrl = fleet.urls.openai;
 */
export async function startSimulatedFleet(
  profiles: SimulatedProviderProfile[] = defaultFleetProfiles,
  options: SimulatedFleetOptions = {},
): Promise<SimulatedFleet> {
  const started = await Promise.allSettled(profiles.map((profile) => startProvider(profile, options)));
  const providers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const close = async () => {
    await Promise.all(providers.map((provider) => provider.upstream.close()));
  };
  const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    await close();
    throw failure.reason;
  }
  return {
    providers,
    urls: Object.fromEntries(providers.map((provider) => [provider.name, provider.url])),
    get: (name) => providers.find((provider) => provider.name === name),
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function startProvider(
  profile: SimulatedProviderProfile,
  options: SimulatedFleetOptions,
): Promise<SimulatedProvider> {
  const random = mulberry32(profile.seed ?? hashName(profile.name));
  const timeScale = options.timeScale ?? 1;
  const failureRate = options.failureRate ?? profile.failureRate;
  const upstream = await startMockUpstream({
    ...(profile.port !== undefined ? { port: profile.port } : {}),
    provider: profile.name,
    models: profile.models,
    log: options.log ?? false,
    reply: (request, context) => {
      // Both draws happen on every call, so one call's outcome never shifts the next's.
      const failureDraw = random();
      const jitter = 0.75 + random() * 0.5;
      const model = context.model ?? profile.models[0] ?? profile.name;
      const latencyMs = Math.round(profile.latencyMs * jitter * timeScale);
      if (failureDraw < failureRate) {
        return { error: profile.failureKind ?? 'overloaded', retryAfter: 1, latencyMs, model };
      }
      const reply: MockUpstreamReply = {
        model,
        latencyMs,
        ...(simulatedToolTurn(request) ?? { text: simulatedAnswer(profile.name, model, request) }),
        ...(timeScale > 0 ? { tokensPerSecond: profile.tokensPerSecond / timeScale } : {}),
      };
      if (profile.reasoningModels?.includes(model)) {
        reply.reasoning = 'The user wants a short answer. I will restate what they said and keep it brief.';
      }
      return reply;
    },
  });
  return {
    name: profile.name,
    protocol: profile.protocol,
    models: profile.models,
    url: upstream.url,
    baseURL: `${upstream.url}${profile.basePath ?? ''}`,
    upstream,
  };
}

function simulatedAnswer(provider: string, model: string, request: ChatRequest): string {
  const last = [...request.messages].reverse().find((message) => message.role === 'user');
  const said =
    typeof last?.content === 'string'
      ? last.content
      : (last?.content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join(' ');
  const quoted = said.length > 200 ? `${said.slice(0, 200)}…` : said;
  return (
    `This is ${model} on the simulated ${provider} upstream (no API key is set, so ai.matey answers locally). ` +
    `You said: "${quoted}". Set a real API key to talk to ${provider} itself.`
  );
}

/** A small, fast, seedable PRNG (Mulberry32): the same seed gives the same sequence. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function hashName(name: string): number {
  let hash = 2_166_136_261;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16_777_619);
  return hash >>> 0;
}
