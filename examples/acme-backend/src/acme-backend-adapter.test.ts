import { Bridge, type ChatRequest, collectStream, RateLimitError } from 'ai.matey.core';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AcmeBackendAdapter } from './acme-backend-adapter.ts';
import plugin, { createBackend, models } from './acme-plugin.ts';

const open: MockUpstream[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((upstream) => upstream.close()));
});

async function upstream(options: Parameters<typeof startMockUpstream>[0]): Promise<MockUpstream> {
  const started = await startMockUpstream({ apiKeys: ['acme-test-key'], provider: 'acme', ...options });
  open.push(started);
  return started;
}

const hello: ChatRequest = { model: 'acme-large', messages: [{ role: 'user', content: 'Hello Acme' }] };

describe.each(['execute', 'stream'] as const)('AcmeBackendAdapter (%s)', (mode) => {
  const call = (backend: AcmeBackendAdapter, request: ChatRequest) =>
    mode === 'execute' ? backend.execute(request) : collectStream(backend.stream(request));

  it('answers through the OpenAI-compatible API with its key and version header', async () => {
    const mock = await upstream({ reply: { text: 'Hi from Acme' } });
    const acme = new AcmeBackendAdapter({ apiKey: 'acme-test-key', baseURL: `${mock.url}/v1` });
    const reply = await call(acme, hello);
    expect(reply.content).toEqual([{ type: 'text', text: 'Hi from Acme' }]);
    expect(reply.provider).toBe('acme');
    const sent = mock.requests.at(-1);
    expect(sent).toMatchObject({
      path: '/v1/chat/completions',
      model: 'acme-large',
      stream: mode === 'stream',
    });
    expect(sent?.headers['acme-version']).toBe('2025-06-01');
    expect(sent?.status).toBe(200);
  });

  it('maps a 429 to a retryable RateLimitError that carries the wait Acme asked for', async () => {
    const mock = await upstream({ reply: { status: 429, retryAfterMs: 1500 } });
    const acme = new AcmeBackendAdapter({ apiKey: 'acme-test-key', baseURL: `${mock.url}/v1` });
    const error = await call(acme, hello).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({
      kind: 'rate-limited',
      isRetryable: true,
      retryAfterMs: 1500,
      provider: 'acme',
    });
  });

  it('refuses a wrong key with an AuthenticationError that does not show the key', async () => {
    const mock = await upstream({});
    const acme = new AcmeBackendAdapter({ apiKey: 'acme-wrong-key-123', baseURL: `${mock.url}/v1` });
    const error = (await call(acme, hello).catch((caught: unknown) => caught)) as Error;
    expect(error).toMatchObject({ kind: 'authentication', status: 401 });
    expect(JSON.stringify({ message: error.message, error })).not.toContain('acme-wrong-key-123');
  });
});

describe('the gateway plug-in', () => {
  it('exports createBackend and models, named and as the default export', async () => {
    expect(plugin).toEqual({ createBackend, models });
    expect(models).toEqual(['acme-large', 'acme-small']);
    const mock = await upstream({ reply: { text: 'plugged in' } });
    const backend = createBackend({ name: 'acme-eu', apiKey: 'acme-test-key', baseURL: `${mock.url}/v1` });
    expect(backend.metadata).toMatchObject({ name: 'acme-eu', provider: 'acme', defaultModel: 'acme-large' });
    const bridge = new Bridge({ backend });
    const reply = await bridge.execute({ messages: [{ role: 'user', content: 'hi' }] });
    expect(reply.content).toEqual([{ type: 'text', text: 'plugged in' }]);
    expect(mock.requests.at(-1)?.model).toBe('acme-large');
  });
});
