/**
 * Token counting, both ways: `@anthropic-ai/sdk` `messages.countTokens` and `@google/genai`
 * `models.countTokens` pointed at the gateway. An upstream that counts (Anthropic, Gemini) is
 * asked, whatever the caller's format, and the answer is marked `exact`; one that does not
 * (OpenAI Chat) gets no call, and the gateway's tokenizer estimate is marked `estimate`.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { RateLimitError } from 'ai.matey.core';
import { estimateInputTokens } from 'ai.matey.middleware';
import { anthropicMessages } from 'ai.matey.wire';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_COUNT_HEADER } from './count-tokens-endpoint.ts';
import { startTestFleet, type TestFleet, UPSTREAM_KEY } from './test-gateway.ts';

const KEY = 'gw-count-key-5e7d1c9a';
const NARROW_KEY = 'gw-count-narrow-2b8f4e61';
const ANTHROPIC_COUNT = 4242;
const GEMINI_COUNT = 1717;

let fleet: TestFleet;
let anthropic: Anthropic;
let genai: GoogleGenAI;
beforeAll(async () => {
  fleet = await startTestFleet({
    gateway: {
      keys: [
        // One chat call a minute: counts must not spend it.
        { id: 'full', key: KEY, requestsPerMinute: 1 },
        { id: 'narrow', key: NARROW_KEY, allowedModels: ['openai/*'] },
      ],
    },
    // A prompt saying LIMIT is refused as Anthropic refuses an over-eager counter.
    anthropic: {
      tokenCount: (request) =>
        JSON.stringify(request.messages).includes('LIMIT')
          ? new RateLimitError({
              message: 'Number of request tokens has exceeded your rate limit',
              retryAfterMs: 7_000,
            })
          : ANTHROPIC_COUNT,
    },
    gemini: { tokenCount: GEMINI_COUNT },
  });
  anthropic = new Anthropic({ apiKey: KEY, baseURL: fleet.url, maxRetries: 0 });
  genai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: fleet.url } });
});
afterAll(() => fleet.close());
beforeEach(() => {
  for (const upstream of Object.values(fleet.upstreams)) upstream.reset();
});

const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
};
const countParams = {
  system: 'Be brief.',
  tools: [weatherTool],
  messages: [{ role: 'user' as const, content: 'What is the weather in Oslo today?' }],
};

describe('@anthropic-ai/sdk messages.countTokens', () => {
  it('asks an Anthropic upstream and marks the count exact', async () => {
    const { data, response } = await anthropic.messages
      .countTokens({ model: 'anthropic/claude-sonnet-4-5', ...countParams })
      .withResponse();
    expect(data.input_tokens).toBe(ANTHROPIC_COUNT);
    expect(response.headers.get(TOKEN_COUNT_HEADER)).toBe('exact');
    expect(response.headers.get('x-matey-provider')).toBe('anthropic');
    const sent = fleet.upstreams.anthropic.requests.at(-1);
    expect(sent?.path).toBe('/v1/messages/count_tokens');
    // What count_tokens takes, no more: Anthropic refuses max_tokens there.
    expect(Object.keys(sent?.body as object).sort()).toEqual(['messages', 'model', 'system', 'tools']);
    expect(sent?.body).toMatchObject({ model: 'claude-sonnet-4-5', tools: [{ name: 'get_weather' }] });
    expect(sent?.headers['x-api-key']).not.toBe(KEY);
  });

  it('serves the beta client (?beta=true, anthropic-beta headers) as Claude Code calls it', async () => {
    const count = await anthropic.beta.messages.countTokens({
      model: 'anthropic/claude-sonnet-4-5',
      messages: countParams.messages,
      betas: ['token-counting-2024-11-01'],
    });
    expect(count.input_tokens).toBe(ANTHROPIC_COUNT);
  });

  it('estimates for an OpenAI Chat upstream with the tokenizer, marked estimate, with no upstream call', async () => {
    const params = { model: 'openai/gpt-4o-mini', ...countParams };
    const { data, response } = await anthropic.messages.countTokens(params).withResponse();
    expect(response.headers.get(TOKEN_COUNT_HEADER)).toBe('estimate');
    const request = anthropicMessages.tokenCount?.decodeRequest(params);
    if (!request) throw new Error('the Anthropic codec has a token count');
    const estimate = await estimateInputTokens(request, 'openai');
    expect(estimate.method).toBe('tokenizer');
    expect(data.input_tokens).toBe(estimate.tokens);
    expect(fleet.upstreams.openai.requests).toHaveLength(0);
  });

  it('spends no chat rate limit: counts, then a chat call still goes through', async () => {
    for (let i = 0; i < 3; i++)
      await anthropic.messages.countTokens({ model: 'anthropic/claude-sonnet-4-5', ...countParams });
    fleet.upstreams.anthropic.setReply({ text: 'ok' });
    const message = await anthropic.messages.create({
      model: 'anthropic/claude-sonnet-4-5',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'ok' });
    // The limit is live: the next chat call is refused.
    const limited = await anthropic.messages
      .create({
        model: 'anthropic/claude-sonnet-4-5',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'hi' }],
      })
      .catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
  });

  it('refuses a model the key may not use, and a wrong key, in the Anthropic format', async () => {
    const narrow = new Anthropic({ apiKey: NARROW_KEY, baseURL: fleet.url, maxRetries: 0 });
    const denied = await narrow.messages
      .countTokens({ model: 'anthropic/claude-sonnet-4-5', ...countParams })
      .catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(fleet.upstreams.anthropic.requests).toHaveLength(0);
    const wrong = new Anthropic({ apiKey: 'gw-wrong', baseURL: fleet.url, maxRetries: 0 });
    const refused = await wrong.messages
      .countTokens({ model: 'openai/gpt-4o-mini', ...countParams })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it("passes an upstream count's refusal on as Anthropic's 429 with its retry hint", async () => {
    const error = await anthropic.messages
      .countTokens({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'LIMIT' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).headers?.get('retry-after')).toBe('7');
    expect(JSON.stringify(error)).not.toContain(UPSTREAM_KEY);
  });

  it('refuses max_tokens as count_tokens does, in the Anthropic format', async () => {
    const params = { model: 'anthropic/claude-sonnet-4-5', ...countParams, max_tokens: 5 };
    const error = await anthropic.messages.countTokens(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as Error).message).toMatch(/max_tokens/);
    expect(JSON.stringify(error)).not.toContain(UPSTREAM_KEY);
  });
});

describe('metrics', () => {
  it('counts token-count calls by endpoint, provider and outcome', async () => {
    await genai.models.countTokens({ model: 'gemini/gemini-2.5-flash', contents: 'hi' });
    await anthropic.messages.countTokens({ model: 'openai/gpt-4o-mini', ...countParams });
    const response = await fetch(`${fleet.url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } });
    const text = await response.text();
    expect(text).toMatch(
      /matey_token_counts_total\{endpoint="gemini",provider="gemini",outcome="exact"\} [1-9]/,
    );
    expect(text).toMatch(
      /matey_token_counts_total\{endpoint="anthropic",provider="openai",outcome="estimate"\} [1-9]/,
    );
  });
});

describe('@google/genai models.countTokens', () => {
  const contents = 'What is the weather in Oslo today?';

  it('asks a Gemini upstream and marks the count exact', async () => {
    const response = await genai.models.countTokens({ model: 'gemini/gemini-2.5-flash', contents });
    expect(response.totalTokens).toBe(GEMINI_COUNT);
    expect(response.sdkHttpResponse?.headers?.[TOKEN_COUNT_HEADER]).toBe('exact');
    const sent = fleet.upstreams.gemini.requests.at(-1);
    expect(sent?.path).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
    expect(sent?.body).toMatchObject({
      generateContentRequest: { model: 'models/gemini-2.5-flash', contents: [{ role: 'user' }] },
    });
  });

  it("asks an Anthropic upstream's count_tokens for a Gemini caller", async () => {
    const response = await genai.models.countTokens({ model: 'anthropic/claude-haiku-4-5', contents });
    expect(response.totalTokens).toBe(ANTHROPIC_COUNT);
    expect(response.sdkHttpResponse?.headers?.[TOKEN_COUNT_HEADER]).toBe('exact');
    expect(fleet.upstreams.anthropic.requests.at(-1)?.body).toMatchObject({
      model: 'claude-haiku-4-5',
      messages: [{ role: 'user' }],
    });
  });

  it('estimates for an OpenAI Chat upstream, marked estimate', async () => {
    const response = await genai.models.countTokens({ model: 'openai/gpt-4o-mini', contents });
    expect(response.sdkHttpResponse?.headers?.[TOKEN_COUNT_HEADER]).toBe('estimate');
    const estimate = await estimateInputTokens(
      { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: contents }] },
      'openai',
    );
    expect(response.totalTokens).toBe(estimate.tokens);
    expect(fleet.upstreams.openai.requests).toHaveLength(0);
  });

  it("passes an Anthropic upstream count's refusal on as Google's 429 RESOURCE_EXHAUSTED", async () => {
    const error = await genai.models
      .countTokens({ model: 'anthropic/claude-haiku-4-5', contents: 'LIMIT' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429 });
    expect(String(error)).toMatch(/RESOURCE_EXHAUSTED/);
  });

  it('answers a model the key may not use with 403 PERMISSION_DENIED', async () => {
    const narrow = new GoogleGenAI({ apiKey: NARROW_KEY, httpOptions: { baseUrl: fleet.url } });
    const error = await narrow.models
      .countTokens({ model: 'gemini/gemini-2.5-flash', contents })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403 });
    expect(String(error)).toMatch(/PERMISSION_DENIED/);
    expect(fleet.upstreams.gemini.requests).toHaveLength(0);
  });
});
