/**
 * `HttpBackend.countTokens` against a real mock upstream: Anthropic's `count_tokens` and Gemini's
 * `:countTokens` are called with the protocol's own body and key, their answer read back as an
 * exact count; a protocol without a count endpoint refuses before any call.
 */
import { Bridge, type ChatRequest, ModelNotFoundError } from 'ai.matey.core';
import { startMockUpstream } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { AnthropicBackendAdapter } from '../adapters/anthropic-backend-adapter.ts';
import { GeminiBackendAdapter } from '../adapters/gemini-backend-adapter.ts';
import { GroqBackendAdapter } from '../adapters/openai-compatible-adapters.ts';
import { TEST_KEY } from '../test-support/adapter-families.ts';
import { failure, useMockUpstream } from '../test-support/upstream-harness.ts';

const ask: ChatRequest = {
  model: 'claude-haiku-4-5',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Count these words please' },
  ],
  maxOutputTokens: 100,
};

describe('HttpBackend.countTokens', () => {
  const mock = useMockUpstream();

  it("calls Anthropic's count_tokens and reads an exact count", async () => {
    const claude = new AnthropicBackendAdapter({
      apiKey: TEST_KEY,
      baseURL: mock.upstream.url,
      transport: mock.transport,
    });
    const count = await claude.countTokens({ ...ask, model: 'anthropic/claude-haiku-4-5' });
    const sent = mock.upstream.requests.at(-1);
    expect(sent?.path).toBe('/v1/messages/count_tokens');
    expect(sent?.body).toEqual({
      model: 'claude-haiku-4-5',
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Count these words please' }],
    });
    // The mock counts about four body characters a token.
    expect(count).toEqual({
      inputTokens: Math.ceil(JSON.stringify(sent?.body).length / 4),
      exact: true,
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
    });
  });

  it("calls Gemini's countTokens with the whole request, the model in the path", async () => {
    const gemini = new GeminiBackendAdapter({
      apiKey: TEST_KEY,
      baseURL: mock.upstream.url,
      transport: mock.transport,
    });
    const count = await gemini.countTokens({ ...ask, model: 'gemini-2.5-flash' });
    const sent = mock.upstream.requests.at(-1);
    expect(sent?.path).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
    expect(sent?.body).toMatchObject({
      generateContentRequest: {
        model: 'models/gemini-2.5-flash',
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
        contents: [{ role: 'user', parts: [{ text: 'Count these words please' }] }],
      },
    });
    expect(count).toMatchObject({ exact: true, provider: 'gemini', model: 'gemini-2.5-flash' });
    expect(count.inputTokens).toBeGreaterThan(0);
  });

  it("maps the upstream's refusal to a typed error", async () => {
    const claude = new AnthropicBackendAdapter({
      apiKey: 'wrong-key-123',
      baseURL: mock.upstream.url,
      transport: mock.transport,
    });
    const error = await failure(() => claude.countTokens(ask));
    expect(error).toMatchObject({ kind: 'authentication', provider: 'anthropic' });
    expect(error.message).not.toContain('wrong-key-123');
  });

  it('refuses with token_count_unsupported for a protocol without a count, calling nothing', async () => {
    const groq = new GroqBackendAdapter({ apiKey: TEST_KEY, baseURL: `${mock.upstream.url}/openai/v1` });
    const error = await failure(() => groq.countTokens(ask));
    expect(error).toMatchObject({
      kind: 'unsupported-feature',
      code: 'token_count_unsupported',
      provider: 'groq',
    });
    expect(mock.upstream.requests).toHaveLength(0);
  });

  it('takes a 404 at the count path (a server of the protocol without it) as no count: an estimate', async () => {
    await using bare = await startMockUpstream({
      tokenCount: () => new ModelNotFoundError({ message: 'Not Found' }),
    });
    const claude = new AnthropicBackendAdapter({ apiKey: TEST_KEY, baseURL: bare.url });
    const error = await failure(() => claude.countTokens(ask));
    expect(error).toMatchObject({ code: 'token_count_unsupported', provider: 'anthropic' });
    const count = await new Bridge({ backend: claude }).countTokens(ask, { estimate: async () => 7 });
    expect(count).toMatchObject({ inputTokens: 7, exact: false });
  });
});
