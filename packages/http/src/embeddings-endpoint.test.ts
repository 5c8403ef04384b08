/**
 * `POST /v1/embeddings` judged by the official `openai` client's `embeddings.create`: for each
 * upstream (OpenAI and Voyage replayed from recordings, Gemini and Mistral with the mock's
 * deterministic vectors), the vectors the upstream sent come back in order, as floats and as base64.
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
import { deterministicVector, type MockUpstream, readFixture, startMockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGateway } from './create-gateway.ts';
import { type RunningGateway, serveGateway } from './serve-gateway.ts';

const UPSTREAM_KEY = 'upstream-secret-embed-71c2a9';
const GATEWAY_KEY = 'gw-key-embeddings-5d8e21';
const LIMITED_KEY = 'gw-key-limited-0a9f33';
const BUDGETED_KEY = 'gw-key-budgeted-7e1c44';
const THROTTLED_KEY = 'gw-key-throttled-2b6d90';

/** A provider that takes at most 96 inputs a call (Cohere's limit), on the OpenAI shape. */
const limited: ProviderProfile = {
  ...PROVIDER_PROFILES.openai,
  name: 'limited',
  embed: { defaultModel: 'embed-small', maxBatch: 96 },
};

let upstream: MockUpstream;
let running: RunningGateway;
let client: OpenAI;
const logLines: Array<Record<string, unknown>> = [];
let failCall: number | undefined;

beforeAll(async () => {
  upstream = await startMockUpstream({
    apiKeys: [UPSTREAM_KEY],
    embedReply: (request, { callIndex }) => {
      if (callIndex === failCall) return { error: 'rate-limited', retryAfterMs: 5 };
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
    .register('gemini', new GeminiBackendAdapter({ apiKey: UPSTREAM_KEY, baseURL: upstream.url }), {
      models: ['gemini-*'],
    })
    .register('anthropic', http(PROVIDER_PROFILES.anthropic), { models: ['claude-*'] })
    .register('limited', http(limited), { models: ['embed-small'] });
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
  running = await serveGateway(gateway, { port: 0, shutdownGraceMs: 1_000 });
  client = new OpenAI({ apiKey: GATEWAY_KEY, baseURL: `${running.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await running.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.reset();
  failCall = undefined;
  logLines.length = 0;
});

const recorded = (name: string) =>
  (readFixture('embeddings', name).json as { data: Array<{ embedding: number[] }> }).data.map(
    (item) => item.embedding,
  );
const inputs = ['sunny day at the beach', 'rainy day in the city'];

const UPSTREAMS = [
  { upstream: 'openai', model: 'text-embedding-3-small', expected: () => recorded('openai-embedding') },
  { upstream: 'voyage', model: 'voyage-3.5', expected: () => recorded('voyage-embedding') },
  {
    upstream: 'gemini',
    model: 'gemini-embedding-001',
    expected: () => inputs.map((input) => deterministicVector(input, 8)),
  },
  {
    upstream: 'mistral',
    model: 'mistral-embed',
    expected: () => inputs.map((input) => deterministicVector(input, 8)),
  },
] as const;

describe.each(UPSTREAMS)(
  'embeddings.create through the gateway, $upstream upstream',
  ({ upstream: name, model, expected }) => {
    it('returns the vectors the upstream sent, in order, as floats', async () => {
      const { data, response } = await client.embeddings
        .create({ model, input: inputs, encoding_format: 'float' })
        .withResponse();
      expect(data.data.map((item) => item.embedding)).toEqual(expected());
      expect(data.data.map((item) => item.index)).toEqual([0, 1]);
      expect(response.headers.get('x-matey-provider')).toBe(name);
      expect(response.headers.get('x-matey-backend')).toBe(name);
    });

    it('returns the same vectors as base64, which the client decodes to their float32 values', async () => {
      const reply = await client.embeddings.create({ model, input: inputs });
      expect(reply.data.map((item) => item.embedding)).toEqual(
        expected().map((vector) => vector.map((value) => Math.fround(value))),
      );
      const raw = await client.embeddings.create({ model, input: inputs, encoding_format: 'base64' });
      expect(typeof raw.data[0]?.embedding).toBe('string');
    });
  },
);

describe('embeddings.create: batches, retries, cost', () => {
  it('a 500-input batch to a provider taking 96 a call comes back whole and ordered', async () => {
    const many = Array.from({ length: 500 }, (_, index) => `document ${index}`);
    const reply = await client.embeddings.create({
      model: 'embed-small',
      input: many,
      dimensions: 5,
      encoding_format: 'float',
    });
    expect(reply.data).toHaveLength(500);
    expect(reply.data.map((item) => item.embedding)).toEqual(
      many.map((input) => deterministicVector(input, 5)),
    );
    const sizes = upstream.requests.map((request) => (request.body as { input: unknown[] }).input.length);
    expect(sizes.sort((a, b) => b - a)).toEqual([96, 96, 96, 96, 96, 20]);
    const tokens = many.reduce((sum, input) => sum + Math.ceil(input.length / 4), 0);
    expect(reply.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens });
  });

  it('retries only the sub-batch that got a 429, and returns the batch whole', async () => {
    failCall = 3;
    const many = Array.from({ length: 300 }, (_, index) => `passage ${index}`);
    const { data, response } = await client.embeddings
      .create({ model: 'embed-small', input: many, dimensions: 3, encoding_format: 'float' })
      .withResponse();
    expect(data.data.map((item) => item.embedding)).toEqual(
      many.map((input) => deterministicVector(input, 3)),
    );
    expect(Number(response.headers.get('x-matey-attempts'))).toBe(2);
    // 96 + 96 + 96 + 12: four sub-batches, then the failed one again, not the other three.
    const sent = upstream.requests.map((request) => (request.body as { input: string[] }).input);
    expect(sent).toHaveLength(5);
    const failed = upstream.requests.findIndex((request) => request.status === 429);
    expect(upstream.requests.filter((request) => request.status === 429)).toHaveLength(1);
    expect(sent.slice(4)).toEqual([sent[failed]]);
    const tokens = many.reduce((sum, input) => sum + Math.ceil(input.length / 4), 0);
    expect(data.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens });
  });

  it('puts the cost of a batch in /metrics, the x-matey-cost-usd header and the log line, as for a chat call', async () => {
    const before = await metricValues();
    const { response } = await client.embeddings
      .create({ model: 'text-embedding-3-small', input: inputs })
      .withResponse();
    // 12 tokens at $0.02 per million.
    expect(Number(response.headers.get('x-matey-cost-usd'))).toBeCloseTo(0.00000024, 12);
    const after = await metricValues();
    const labels = 'provider="openai",model="text-embedding-3-small"';
    expect(
      (after[`matey_cost_usd_total{${labels}}`] ?? 0) - (before[`matey_cost_usd_total{${labels}}`] ?? 0),
    ).toBeCloseTo(0.00000024, 12);
    const tokens = `matey_tokens_total{${labels},type="input"}`;
    expect((after[tokens] ?? 0) - (before[tokens] ?? 0)).toBe(12);
    const served = `matey_requests_total{endpoint="openai-embeddings",${labels},status="200"}`;
    expect((after[served] ?? 0) - (before[served] ?? 0)).toBe(1);
    const line = logLines.find((entry) => entry.mode === 'embed');
    expect(line).toMatchObject({
      outcome: 'ok',
      provider: 'openai',
      model: 'text-embedding-3-small',
      inputs: 2,
      inputTokens: 12,
      costUsd: 0.00000024,
    });
    expect(JSON.stringify(logLines)).not.toContain(UPSTREAM_KEY);
  });
});

/** Every sample of /metrics, by its name and labels. */
async function metricValues(): Promise<Record<string, number>> {
  const headers = { authorization: `Bearer ${GATEWAY_KEY}` };
  const text = await (await fetch(`${running.url}/metrics`, { headers })).text();
  const samples: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^(\S+) (\S+)$/.exec(line);
    if (match?.[1] && !line.startsWith('#')) samples[match[1]] = Number(match[2]);
  }
  return samples;
}

describe('embeddings.create: bad input gets an OpenAI-format 4xx', () => {
  const refusal = async (body: Record<string, unknown>, key = GATEWAY_KEY) => {
    const raw = await fetch(`${running.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    return { status: raw.status, error: ((await raw.json()) as { error: Record<string, unknown> }).error };
  };

  it('refuses empty and mistyped input naming the field', async () => {
    for (const input of ['', [], [''], 42, [{ text: 'x' }], ['a', 1]]) {
      const { status, error } = await refusal({ model: 'text-embedding-3-small', input });
      expect(status, JSON.stringify(input)).toBe(400);
      expect(error).toMatchObject({ type: 'invalid_request_error', param: expect.stringMatching(/^input/) });
    }
    expect((await refusal({ input: 'x' })).error).toMatchObject({ param: 'model' });
    expect((await refusal({ model: 'm', input: 'x', dimensions: -1 })).error).toMatchObject({
      param: 'dimensions',
    });
    expect(upstream.requests).toHaveLength(0);
  });

  it('an unknown model is a 404, a chat model or a backend without embeddings a 400', async () => {
    const unknown = await client.embeddings
      .create({ model: 'no-such-model', input: 'x' })
      .catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    const chatModel = await client.embeddings
      .create({ model: 'gpt-4o-mini', input: 'x' })
      .catch((error: unknown) => error);
    expect(chatModel).toBeInstanceOf(OpenAI.BadRequestError);
    expect((chatModel as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(
      /not an embedding model/,
    );
    const noEmbed = await client.embeddings
      .create({ model: 'claude-sonnet-4-5', input: 'x' })
      .catch((error: unknown) => error);
    expect(noEmbed).toBeInstanceOf(OpenAI.BadRequestError);
    expect((noEmbed as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(
      /does not serve embeddings/,
    );
    expect(upstream.requests).toHaveLength(0);
  });

  it('holds embeddings to the same key policy as chat: a wrong key, a model the key may not use', async () => {
    expect((await refusal({ model: 'text-embedding-3-small', input: 'x' }, 'wrong-key')).status).toBe(401);
    const denied = await refusal({ model: 'text-embedding-3-small', input: 'x' }, LIMITED_KEY);
    expect(denied).toMatchObject({ status: 403, error: { code: 'model_not_allowed' } });
    const allowed = await refusal({ model: 'gemini/gemini-embedding-001', input: 'x' }, LIMITED_KEY);
    expect(allowed.status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
  });

  it("counts embeddings against a key's rate limit and daily budget, as chat calls", async () => {
    const body = { model: 'text-embedding-3-small', input: inputs };
    expect((await refusal(body, THROTTLED_KEY)).status).toBe(200);
    expect(await refusal(body, THROTTLED_KEY)).toMatchObject({
      status: 429,
      error: { code: 'rate_limit_exceeded' },
    });
    // $0.000001 a day: the first batch (12 tokens, $0.00000024) fits; the second's worst case does not.
    expect((await refusal(body, BUDGETED_KEY)).status).toBe(200);
    const spent = await refusal(body, BUDGETED_KEY);
    expect(spent.status).toBe(429);
    expect(spent.error.message).toMatch(/budget of \$0\.000001 per 1 d for "budgeted" would be exceeded/);
    expect(upstream.requests).toHaveLength(2);
  });
});
