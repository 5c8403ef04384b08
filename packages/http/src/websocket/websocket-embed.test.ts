/**
 * `embed` frames over a real WebSocket: the same policy as `POST /v1/embeddings` (keys, allowed
 * models), real backends to the mock upstream (OpenAI's deterministic vectors, Cohere's recorded
 * reply), the vectors back in order in an `embeddings` frame; bad input an `error` frame naming
 * the field, and the socket stays up.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpBackend, PROVIDER_PROFILES } from 'ai.matey.backend';
import { Bridge, Router } from 'ai.matey.core';
import { deterministicVector, type MockUpstream, readFixture, startMockUpstream } from 'ai.matey.testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { GatewayPolicy } from '../gateway-policy.ts';
import type { ServerMessage } from './websocket-protocol.ts';
import { attachWebSocketGateway, type WebSocketGateway } from './websocket-server.ts';

const UPSTREAM_KEY = 'upstream-ws-embed-6a1f';
const MAIN_KEY = 'gw-ws-embed-main-2c9e';
const LIMITED_KEY = 'gw-ws-embed-limited-77d0';
const recorded = readFixture('embeddings', 'cohere-embedding').json as {
  texts: string[];
  embeddings: { float: number[][] };
};

let upstream: MockUpstream;
let url = '';
let gateway: WebSocketGateway;
const server = createServer();

beforeAll(async () => {
  upstream = await startMockUpstream({
    apiKeys: [UPSTREAM_KEY],
    embedReply: (request) =>
      JSON.stringify(request.inputs) === JSON.stringify(recorded.texts)
        ? { fixture: 'cohere-embedding' }
        : {},
  });
  const http = (profile: (typeof PROVIDER_PROFILES)['openai']) =>
    new HttpBackend(profile, { apiKey: UPSTREAM_KEY, baseURL: `${upstream.url}/v1` });
  const router = new Router({ routingStrategy: 'model-based', circuitBreaker: false })
    .register('openai', http(PROVIDER_PROFILES.openai), { models: ['text-embedding-*'] })
    .register('cohere', http(PROVIDER_PROFILES.cohere), { models: ['embed-*'] });
  const policy = new GatewayPolicy({
    bridge: new Bridge({ backend: router }),
    keys: [
      { id: 'main', key: MAIN_KEY },
      { id: 'limited', key: LIMITED_KEY, allowedModels: ['cohere/*'] },
    ],
  });
  gateway = attachWebSocketGateway(server, { policy, router });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1/ws`;
});
afterAll(async () => {
  await gateway.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await upstream.close();
});

/** A socket with the key, and a way to wait for the frame with an id. */
async function connect(key: string) {
  const socket = new WebSocket(url, { headers: { authorization: `Bearer ${key}` } });
  const inbox: ServerMessage[] = [];
  socket.on('message', (data) => inbox.push(JSON.parse(data.toString()) as ServerMessage));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const reply = async (id: string): Promise<ServerMessage> => {
    for (let waited = 0; waited < 5_000; waited += 20) {
      const found = inbox.find((message) => 'id' in message && message.id === id);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no frame for ${id}; inbox: ${JSON.stringify(inbox).slice(0, 300)}`);
  };
  const send = (message: unknown) => socket.send(JSON.stringify(message));
  return { socket, send, reply, inbox };
}

describe('WebSocket embed frames', () => {
  it('embeds a batch through the policy: the vectors in order, the provider and usage', async () => {
    const client = await connect(MAIN_KEY);
    const input = ['first', 'second', 'third'];
    client.send({ type: 'embed', id: 'e1', model: 'text-embedding-3-small', input, dimensions: 4 });
    const frame = await client.reply('e1');
    expect(frame).toMatchObject({
      type: 'embeddings',
      provider: 'openai',
      embeddings: input.map((text) => deterministicVector(text, 4)),
      usage: { inputTokens: expect.any(Number) },
    });
    client.socket.close();
  });

  it('reaches Cohere as HTTP does: the recorded vectors, the input type as Cohere names it', async () => {
    upstream.reset();
    const client = await connect(LIMITED_KEY);
    client.send({
      type: 'embed',
      id: 'c1',
      model: 'cohere/embed-v4.0',
      input: recorded.texts,
      input_type: 'document',
    });
    expect(await client.reply('c1')).toMatchObject({
      type: 'embeddings',
      provider: 'cohere',
      embeddings: recorded.embeddings.float,
      usage: { inputTokens: 10 },
    });
    expect(upstream.requests[0]?.body).toMatchObject({ input_type: 'search_document' });
    client.socket.close();
  });

  it('refuses bad input and a model the key may not use with error frames; the socket stays up', async () => {
    upstream.reset();
    const client = await connect(LIMITED_KEY);
    client.send({ type: 'embed', id: 'bad', model: 'cohere/embed-v4.0', input: [] });
    expect(await client.reply('bad')).toMatchObject({
      type: 'error',
      error: { kind: 'invalid-request', status: 400, param: expect.stringMatching(/^input/) },
    });
    client.send({ type: 'embed', id: 'denied', model: 'text-embedding-3-small', input: 'x' });
    expect(await client.reply('denied')).toMatchObject({
      type: 'error',
      error: { status: 403, code: 'model_not_allowed' },
    });
    expect(upstream.requests).toHaveLength(0);
    client.send({ type: 'embed', id: 'ok', model: 'cohere/embed-v4.0', input: 'still here' });
    expect(await client.reply('ok')).toMatchObject({
      type: 'embeddings',
      embeddings: [deterministicVector('still here', 8)],
    });
    client.socket.close();
  });
});
