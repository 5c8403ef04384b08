/** `HttpBackend`'s `signRequest`: auth made per call (a short-lived token, a signature), for chat and model lists. */
import { AuthenticationError, type ChatRequest, ChatStream } from 'ai.matey.core';
import { startMockUpstream } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { HttpBackend } from './http-backend.ts';
import { PROVIDER_PROFILES } from './provider-profiles.ts';

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hello' }] };

describe('HttpBackend signRequest', () => {
  it('asks for the headers on every call (chat, stream, model list) and needs no API key', async () => {
    let issued = 0;
    const tokens = ['token-one-1234', 'token-two-5678'];
    await using upstream = await startMockUpstream({ apiKeys: tokens, reply: { text: 'ok' } });
    const backend = new HttpBackend(
      { ...PROVIDER_PROFILES.openai, apiKeyEnv: [] },
      {
        baseURL: `${upstream.url}/v1`,
        signRequest: async ({ headers }) => ({
          ...headers,
          authorization: `Bearer ${tokens[Math.min(issued++, 1)]}`,
        }),
      },
    );
    expect((await backend.execute(hello)).content).toEqual([{ type: 'text', text: 'ok' }]);
    expect((await ChatStream.from(backend.stream(hello)).collect()).content).toEqual([
      { type: 'text', text: 'ok' },
    ]);
    expect((await backend.listModels()).length).toBeGreaterThan(0);
    expect(issued).toBe(3);
  });

  it('a refusal from the signer fails the call with that error, before anything is sent', async () => {
    await using upstream = await startMockUpstream({ reply: { text: 'never' } });
    const backend = new HttpBackend(PROVIDER_PROFILES.openai, {
      apiKey: 'sk-unused-key',
      baseURL: `${upstream.url}/v1`,
      signRequest: async () => {
        throw new AuthenticationError({
          message: 'no token',
          provider: 'openai',
          code: 'credentials_unavailable',
        });
      },
    });
    await expect(backend.execute(hello)).rejects.toMatchObject({
      kind: 'authentication',
      code: 'credentials_unavailable',
    });
    expect(upstream.requests).toHaveLength(0);
  });
});
