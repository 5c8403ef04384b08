import { inspect } from 'node:util';
import { type ChatRequest, Router, type StreamEvent } from 'ai.matey.core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AnthropicBackendAdapter } from '../adapters/anthropic-backend-adapter.ts';
import { AzureOpenAIBackendAdapter } from '../adapters/azure-openai-backend-adapter.ts';
import { GeminiBackendAdapter } from '../adapters/gemini-backend-adapter.ts';
import { GroqBackendAdapter, OpenRouterBackendAdapter } from '../adapters/openai-compatible-adapters.ts';
import { TEST_KEY } from '../test-support/adapter-families.ts';
import { drain, failure, useMockUpstream } from '../test-support/upstream-harness.ts';

// Nothing listens here: a call that reaches the network fails with NetworkError, not the error under test.
const CLOSED = 'http://127.0.0.1:9/v1';
const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hello' }] };

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('HttpBackend without a network', () => {
  it('constructs without a key (the seed snippet) and fails at call time with AuthenticationError', async () => {
    vi.stubEnv('GROQ_API_KEY', '');
    const groq = new GroqBackendAdapter({ apiKey: process.env.GROQ_API_KEY, baseURL: CLOSED });
    expect(groq.metadata).toMatchObject({ name: 'groq', provider: 'groq' });
    const error = await failure(() => groq.execute(hello));
    expect(error).toMatchObject({ kind: 'authentication', code: 'missing_api_key', provider: 'groq' });
    expect(error.message).toContain('GROQ_API_KEY');
    const streamed = await failure(async () => {
      for await (const _ of groq.stream(hello)) break;
    });
    expect(streamed.kind).toBe('authentication');
  });

  it('never shows the key in JSON.stringify, inspect or metadata', () => {
    const secret = 'sk-live-0123456789abcdefghijklmnop';
    const openrouter = new OpenRouterBackendAdapter({ apiKey: secret, name: 'router-a' });
    expect(openrouter.metadata.name).toBe('router-a');
    expect(JSON.stringify(openrouter)).not.toContain(secret);
    expect(inspect(openrouter, { depth: 5, showHidden: true })).not.toContain(secret);
    expect(JSON.stringify(openrouter.metadata)).not.toContain(secret);
  });

  it('strips a provider/ prefix naming this adapter and keeps any other', () => {
    const groq = new GroqBackendAdapter({ apiKey: 'k', name: 'fast' });
    expect(groq.resolveModel('groq/llama-3.1-8b-instant')).toBe('llama-3.1-8b-instant');
    expect(groq.resolveModel('fast/llama-3.1-8b-instant')).toBe('llama-3.1-8b-instant');
    expect(groq.resolveModel('openai/gpt-oss-120b')).toBe('openai/gpt-oss-120b');
    expect(groq.resolveModel(undefined)).toBe('llama-3.3-70b-versatile');
    const custom = new GroqBackendAdapter({ apiKey: 'k', defaultModel: 'llama-3.1-8b-instant' });
    expect(custom.resolveModel('')).toBe('llama-3.1-8b-instant');
    const openrouter = new OpenRouterBackendAdapter({ apiKey: 'k' });
    expect(openrouter.resolveModel('openrouter/auto')).toBe('openrouter/auto');
    expect(openrouter.resolveModel('openrouter/openai/gpt-4o')).toBe('openai/gpt-4o');
  });

  it('refuses a request the catalog says the model cannot serve, before sending it', async () => {
    const groq = new GroqBackendAdapter({ apiKey: 'k', baseURL: CLOSED });
    const withImage: ChatRequest = {
      model: 'llama-3.3-70b-versatile',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } },
          ],
        },
      ],
    };
    const error = await failure(() => groq.execute(withImage));
    expect(error).toMatchObject({ kind: 'unsupported-feature', param: 'vision', provider: 'groq' });
  });

  it('fails an Azure call without an endpoint at call time, not construction', async () => {
    vi.stubEnv('AZURE_OPENAI_ENDPOINT', '');
    vi.stubEnv('AZURE_OPENAI_BASE_URL', '');
    const azure = new AzureOpenAIBackendAdapter({ apiKey: 'k' });
    const error = await failure(() => azure.execute(hello));
    expect(error).toMatchObject({ kind: 'invalid-request', code: 'missing_base_url' });
  });

  it('maps a refused connection to NetworkError with the provider set', async () => {
    const error = await failure(() =>
      new GroqBackendAdapter({ apiKey: 'k', baseURL: CLOSED }).execute(hello),
    );
    expect(error).toMatchObject({ kind: 'network', provider: 'groq', isRetryable: true });
  });
});

describe('HttpBackend against the mock upstream', () => {
  const mock = useMockUpstream();

  it('takes the key and base URL from the provider environment variables', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', TEST_KEY);
    vi.stubEnv('ANTHROPIC_BASE_URL', mock.upstream.url);
    mock.upstream.enqueue({ text: 'from env' });
    const reply = await new AnthropicBackendAdapter({ transport: mock.transport }).execute(hello);
    expect(reply.content).toEqual([{ type: 'text', text: 'from env' }]);
  });

  it('sends the model with its adapter prefix taken off, or the default model', async () => {
    const claude = new AnthropicBackendAdapter({
      apiKey: TEST_KEY,
      baseURL: mock.upstream.url,
      transport: mock.transport,
    });
    await claude.execute({ ...hello, model: 'anthropic/claude-sonnet-4-5' });
    await claude.execute(hello);
    expect(mock.upstream.requests.map((request) => request.model)).toEqual([
      'claude-sonnet-4-5',
      'claude-haiku-4-5',
    ]);
  });

  it('behind a Router, takes a provider/ prefix off once: groq/groq/compound is sent as groq/compound', async () => {
    const groq = new GroqBackendAdapter({
      apiKey: TEST_KEY,
      baseURL: `${mock.upstream.url}/openai/v1`,
      transport: mock.transport,
    });
    const router = new Router({ fallbackChain: ['other', 'groq/groq/compound'] })
      .register('other', new GroqBackendAdapter({ apiKey: TEST_KEY, baseURL: CLOSED, name: 'other' }))
      .register('groq', groq);
    await router.execute({ ...hello, model: 'groq/groq/compound' });
    await drain(router.stream({ ...hello, model: 'groq/groq/compound' }));
    // The strategy picks `other` (closed, so it fails); the fallback entry names groq's own model id.
    await router.execute({ ...hello, model: 'llama-3.3-70b-versatile' });
    await groq.execute({ ...hello, model: 'groq/llama-3.1-8b-instant' });
    expect(mock.upstream.requests.map((request) => request.model)).toEqual([
      'groq/compound',
      'groq/compound',
      'groq/compound',
      'llama-3.1-8b-instant',
    ]);
  });

  it('puts encoder warnings and rate-limit headroom on the reply and on the start event', async () => {
    const claude = new AnthropicBackendAdapter({
      apiKey: TEST_KEY,
      baseURL: mock.upstream.url,
      transport: mock.transport,
    });
    const headers = {
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '41',
      'anthropic-ratelimit-tokens-limit': '40000',
      'anthropic-ratelimit-tokens-remaining': '39000',
    };
    mock.upstream.enqueue({ text: 'ok', headers }, { text: 'ok', headers });
    const request: ChatRequest = { ...hello, seed: 42 };
    const reply = await claude.execute(request);
    expect(reply.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'seed' }),
    ]);
    expect(reply.rateLimit).toMatchObject({ remainingRequests: 41, remainingTokens: 39000 });
    const events: StreamEvent[] = [];
    for await (const event of claude.stream(request)) events.push(event);
    const start = events[0];
    expect(start?.type).toBe('start');
    if (start?.type !== 'start') return;
    expect(start.warnings?.map((warning) => warning.setting)).toEqual(['seed']);
    expect(start.rateLimit).toMatchObject({ limitRequests: 50, remainingRequests: 41 });
  });

  it('builds Azure deployment URLs from an endpoint with or without /openai, and a fixed deployment', async () => {
    const azure = new AzureOpenAIBackendAdapter({
      apiKey: TEST_KEY,
      baseURL: `${mock.upstream.url}/openai/`,
      deployment: 'prod-4o',
      apiVersion: '2025-01-01-preview',
      transport: mock.transport,
    });
    await azure.execute({ ...hello, model: 'gpt-4o' });
    expect(mock.upstream.requests[0]?.path).toBe(
      '/openai/deployments/prod-4o/chat/completions?api-version=2025-01-01-preview',
    );
    expect(mock.upstream.requests[0]?.headers['api-key']).toBe('[REDACTED]');
    expect(mock.upstream.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('accepts Anthropic and Gemini base URLs given with their version path', async () => {
    const claude = new AnthropicBackendAdapter({
      apiKey: TEST_KEY,
      baseURL: `${mock.upstream.url}/v1`,
      transport: mock.transport,
    });
    const gemini = new GeminiBackendAdapter({
      apiKey: TEST_KEY,
      baseURL: `${mock.upstream.url}/v1beta/`,
      transport: mock.transport,
    });
    await claude.execute(hello);
    await gemini.execute({ ...hello, model: 'gemini-2.5-pro' });
    expect(mock.upstream.requests.map((request) => request.path)).toEqual([
      '/v1/messages',
      '/v1beta/models/gemini-2.5-pro:generateContent',
    ]);
  });

  it('sends the Gemini key in a header, never in the URL', async () => {
    const gemini = new GeminiBackendAdapter({
      apiKey: TEST_KEY,
      baseURL: mock.upstream.url,
      transport: mock.transport,
    });
    await gemini.execute(hello);
    expect(mock.upstream.requests[0]?.path).not.toContain('key=');
    expect(mock.upstream.requests[0]?.headers['x-goog-api-key']).toBe('[REDACTED]');
  });

  it('reports health from the models endpoint, and unhealthy with a bad key', async () => {
    const good = new GeminiBackendAdapter({
      apiKey: TEST_KEY,
      baseURL: mock.upstream.url,
      transport: mock.transport,
    });
    expect(await good.healthCheck()).toMatchObject({ healthy: true });
    const bad = new GeminiBackendAdapter({
      apiKey: 'nope-nope-nope',
      baseURL: mock.upstream.url,
      transport: mock.transport,
    });
    const health = await bad.healthCheck();
    expect(health.healthy).toBe(false);
    expect(health.message).not.toContain('nope-nope-nope');
  });
});
