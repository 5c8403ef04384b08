/**
 * A wire protocol registered with `registerWireProtocol` is served by the gateway (its inbound
 * routes) and by the mock upstream (its server-side paths), and called by `HttpBackend`, with
 * no line of theirs naming it.
 */
import { HttpBackend } from 'ai.matey.backend';
import { Bridge } from 'ai.matey.core';
import { startMockUpstream } from 'ai.matey.testing';
import { openaiChat, registerWireProtocol, type WireCodec } from 'ai.matey.wire';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from './create-gateway.ts';
import { type RunningGateway, serveGateway } from './serve-gateway.ts';

/** OpenAI Chat bodies under other paths: enough to tell which table routed a call. */
const madeUp: WireCodec = {
  ...openaiChat,
  protocol: 'made-up-chat',
  endpoints: {
    ...openaiChat.endpoints,
    chatPath: (path) => `${path}/complete`,
    modelsPath: (path) => `${path}/catalogue`,
    parseChatPath: (path) => (path.endsWith('/complete') ? {} : undefined),
    matchModelsCall: (path) => (path.endsWith('/catalogue') ? 'certain' : undefined),
  },
  inbound: { endpoint: 'made-up', chat: ['/v0/complete'], models: { path: '/v0/catalogue' } },
};
registerWireProtocol(madeUp);

/** The same bodies, with the model and the streaming in the path, as Gemini puts them. */
const CALL_IN_PATH = /\/models\/([^/]+)\/(say|stream)$/;
registerWireProtocol({
  ...madeUp,
  protocol: 'made-up-path',
  endpoints: {
    ...madeUp.endpoints,
    parseChatPath(path) {
      const match = CALL_IN_PATH.exec(path);
      return match?.[1] ? { model: match[1], stream: match[2] === 'stream' } : undefined;
    },
  },
  inbound: {
    endpoint: 'made-up-path',
    chat: ['/v0/models/:model/:verb{say|stream}'],
    pathCarriesCall: true,
    models: { path: '/v0/catalogue' },
  },
});

const upstream = await startMockUpstream({ reply: { text: 'made up' }, models: ['tiny-1'] });
let running: RunningGateway;
beforeAll(async () => {
  const backend = new HttpBackend(
    {
      name: 'madeup',
      protocol: 'made-up-chat',
      baseURL: 'http://unused.example',
      apiKeyEnv: [],
      baseURLEnv: [],
      auth: 'bearer',
      defaultModel: 'tiny-1',
      listsModels: true,
      capabilities: { streaming: true, tools: true, vision: false, reasoning: false, jsonSchema: true },
    },
    { apiKey: 'k', baseURL: upstream.url },
  );
  running = await serveGateway(createGateway({ bridge: new Bridge({ backend }) }), { port: 0 });
});
afterAll(async () => {
  await running.close();
  await upstream.close();
});

const body = { model: 'tiny-1', messages: [{ role: 'user', content: 'ping' }] };

describe('a registered wire protocol', () => {
  it('is served on its own inbound route and called on its own upstream path', async () => {
    const res = await fetch(`${running.url}/v0/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    expect(reply.choices[0]?.message.content).toBe('made up');
    expect(upstream.requests.at(-1)).toMatchObject({ path: '/complete', protocol: 'made-up-chat' });
  });

  it('streams as its body asks, encoded by its codec', async () => {
    const res = await fetch(`${running.url}/v0/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, stream: true }),
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text();
    expect(text).toMatch(/"content":"made "[\s\S]*"content":"up"[\s\S]*"finish_reason":"stop"/);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(upstream.requests.at(-1)).toMatchObject({ path: '/complete', stream: true });
  });

  it('lists models on its own route, read from the upstream through its own path', async () => {
    const res = await fetch(`${running.url}/v0/catalogue`);
    expect(await res.json()).toMatchObject({ object: 'list', data: [{ id: 'madeup/tiny-1' }] });
    expect(upstream.requests.some((entry) => entry.path === '/catalogue')).toBe(true);
  });

  it.each([
    ['say', false],
    ['stream', true],
  ] as const)(
    'reads the model and streaming from the path when its protocol puts them there (%s)',
    async (verb, stream) => {
      const res = await fetch(`${running.url}/v0/models/tiny-2/${verb}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: body.messages }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(stream ? /text\/event-stream/ : /application\/json/);
      expect(upstream.requests.at(-1)).toMatchObject({ path: '/complete', model: 'tiny-2', stream });
    },
  );

  it('leaves the built-in routes as they were', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${running.url}/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      ...body,
      messages: [{ role: 'user', content: 'ping' }],
    });
    expect(completion.choices[0]?.message.content).toBe('made up');
    const unknown = await fetch(`${running.url}/v0/nothing`);
    expect(unknown.status).toBe(404);
  });
});
