import type { EmbedRequest } from 'ai.matey.core';
import { deterministicVector, type MockUpstream, readFixture, startMockUpstream } from 'ai.matey.testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpTransport } from '../transport/http-transport.ts';
import { HttpBackend } from './http-backend.ts';
import type { ProviderProfile } from './provider-profile.ts';
import { PROVIDER_PROFILES } from './provider-profiles.ts';

let upstream: MockUpstream;
const transport = new HttpTransport();
let failCall: number | undefined;
beforeAll(async () => {
  upstream = await startMockUpstream({
    apiKeys: ['k'],
    embedReply: (_request, { callIndex }) =>
      callIndex === failCall ? { error: 'rate-limited', retryAfterMs: 1 } : {},
  });
});
afterAll(async () => {
  await transport.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.reset();
  failCall = undefined;
});

/** A provider like Cohere's limit: at most 96 inputs a call, on the OpenAI shape of the mock. */
const limited: ProviderProfile = {
  ...PROVIDER_PROFILES.openai,
  name: 'limited',
  embed: { defaultModel: 'embed-small', maxBatch: 96 },
};
const backend = (profile: ProviderProfile) =>
  new HttpBackend(profile, { apiKey: 'k', baseURL: `${upstream.url}/v1`, transport });
const texts = (count: number) => Array.from({ length: count }, (_, index) => `text number ${index}`);

describe('HttpBackend.embed', () => {
  it('returns the vectors the upstream sent (a recorded OpenAI reply), in order, with its usage', async () => {
    upstream.enqueue({ fixture: 'openai-embedding' });
    const recorded = readFixture('embeddings', 'openai-embedding').json as {
      data: Array<{ embedding: number[] }>;
    };
    const openai = backend(PROVIDER_PROFILES.openai);
    const response = await openai.embed?.({ inputs: ['a', 'b'] });
    expect(response?.embeddings).toEqual(recorded.data.map((item) => item.embedding));
    expect(response).toMatchObject({
      provider: 'openai',
      model: 'text-embedding-3-small',
      usage: { inputTokens: 12 },
    });
    // No model named: the profile's embedding model, not its chat model.
    expect(upstream.requests[0]?.body).toMatchObject({ model: 'text-embedding-3-small', input: ['a', 'b'] });
  });

  it('splits a 500-input batch into calls of at most 96 and puts the vectors back in order, usage added up', async () => {
    const inputs = texts(500);
    const response = await backend(limited).embed?.({ inputs, dimensions: 4 });
    const sizes = upstream.requests.map((request) => (request.body as { input: string[] }).input.length);
    expect(sizes.sort((a, b) => b - a)).toEqual([96, 96, 96, 96, 96, 20]);
    expect(response?.embeddings).toEqual(inputs.map((input) => deterministicVector(input, 4)));
    const tokens = inputs.reduce((sum, input) => sum + Math.ceil(input.length / 4), 0);
    expect(response?.usage).toEqual({ inputTokens: tokens, outputTokens: 0, totalTokens: tokens });
  });

  it('a 429 on one sub-batch fails the whole batch with the provider error and its retry hint', async () => {
    failCall = 2;
    await expect(backend(limited).embed?.({ inputs: texts(300) })).rejects.toMatchObject({
      kind: 'rate-limited',
      retryAfterMs: 1,
    });
    expect(upstream.requests.some((request) => request.status === 429)).toBe(true);
  });

  it('refuses a model the catalog knows as a chat model, before sending', async () => {
    const request: EmbedRequest = { model: 'gpt-4o-mini', inputs: ['x'] };
    await expect(backend(PROVIDER_PROFILES.openai).embed?.(request)).rejects.toMatchObject({
      kind: 'unsupported-feature',
      code: 'model_not_embedding',
      param: 'model',
    });
    expect(upstream.requests).toHaveLength(0);
  });

  it('exists only for providers that serve embeddings; Voyage serves nothing else', async () => {
    expect(backend(PROVIDER_PROFILES.anthropic).embed).toBeUndefined();
    expect(backend(PROVIDER_PROFILES.groq).embed).toBeUndefined();
    expect(backend(PROVIDER_PROFILES.gemini).embed).toBeTypeOf('function');
    const voyage = backend(PROVIDER_PROFILES.voyage);
    await expect(voyage.execute({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      code: 'chat_not_supported',
    });
    const response = await voyage.embed?.({ inputs: ['q'], inputType: 'query', dimensions: 2 });
    expect(response?.embeddings).toEqual([deterministicVector('q', 2)]);
    const sent = upstream.requests.find((request) => request.model === 'voyage-3.5');
    expect(sent?.body).toEqual({
      model: 'voyage-3.5',
      input: ['q'],
      output_dimension: 2,
      input_type: 'query',
    });
  });

  it("sends Mistral's dimensions as output_dimension", async () => {
    await backend(PROVIDER_PROFILES.mistral).embed?.({
      model: 'codestral-embed',
      inputs: ['x'],
      dimensions: 256,
    });
    expect(upstream.requests[0]?.body).toEqual({
      model: 'codestral-embed',
      input: ['x'],
      output_dimension: 256,
    });
  });

  it('calls Gemini with :batchEmbedContents in batches of 100, and :embedContent for one input', async () => {
    const gemini = new HttpBackend(PROVIDER_PROFILES.gemini, {
      apiKey: 'k',
      baseURL: upstream.url,
      transport,
    });
    const inputs = texts(150);
    const response = await gemini.embed?.({ inputs, dimensions: 2, inputType: 'document' });
    expect(response?.embeddings).toEqual(inputs.map((input) => deterministicVector(input, 2)));
    const paths = upstream.requests.map((request) => request.path);
    expect(paths).toEqual([
      '/v1beta/models/gemini-embedding-001:batchEmbedContents',
      '/v1beta/models/gemini-embedding-001:batchEmbedContents',
    ]);
    // The Gemini API counts no embedding tokens: the usage is estimated, and says so.
    const tokens = inputs.reduce((sum, input) => sum + Math.ceil(input.length / 4), 0);
    expect(response?.usage.inputTokens).toBe(tokens);
    expect(response?.warnings).toEqual([expect.objectContaining({ type: 'estimated-usage' })]);
    upstream.reset();
    await gemini.embed?.({ inputs: ['one'] });
    expect(upstream.requests[0]?.path).toBe('/v1beta/models/gemini-embedding-001:embedContent');
  });
});
