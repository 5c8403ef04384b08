import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Backend, Bridge, type ChatRequest, Router, type StreamEvent } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { GatewayPolicy } from '../gateway-policy.ts';
import type { ServerMessage } from './websocket-protocol.ts';
import { attachWebSocketGateway, type WebSocketGatewayOptions } from './websocket-server.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function startServer(
  options: Omit<WebSocketGatewayOptions, 'bridge'> & { bridge?: Bridge; backend?: Backend },
) {
  const server: Server = createServer();
  const bridge = options.bridge ?? new Bridge({ backend: options.backend ?? new MockBackend() });
  const gateway = attachWebSocketGateway(server, { ...options, bridge });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1/ws`;
  cleanups.push(async () => {
    await gateway.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url, gateway, server };
}

/** A test client that queues every server message and lets a test wait for one. */
async function connect(url: string, options?: WebSocket.ClientOptions) {
  const socket = new WebSocket(url, options);
  const inbox: ServerMessage[] = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (data) => {
    inbox.push(JSON.parse(data.toString()) as ServerMessage);
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  cleanups.push(async () => {
    socket.terminate();
  });
  const next = async (predicate: (m: ServerMessage) => boolean, timeoutMs = 3000): Promise<ServerMessage> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = inbox.findIndex(predicate);
      if (index >= 0) return inbox.splice(index, 1)[0] as ServerMessage;
      if (Date.now() > deadline) throw new Error(`timed out; inbox: ${JSON.stringify(inbox).slice(0, 400)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  };
  const send = (message: unknown) =>
    socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  return { socket, inbox, next, send };
}

describe('WebSocket gateway', () => {
  it('welcomes, streams chunks then done, and keeps per-client history', async () => {
    const backend = new MockBackend({ reply: (request) => ({ text: `turn ${request.messages.length}` }) });
    const { url } = await startServer({ backend });
    const client = await connect(url);
    const welcome = await client.next((m) => m.type === 'welcome');
    expect(welcome).toMatchObject({ type: 'welcome', clientId: expect.stringMatching(/^client-/) });
    client.send({ type: 'chat', id: 'c1', content: 'Hello' });
    const done = await client.next((m) => m.type === 'done' && m.id === 'c1');
    expect(done).toMatchObject({ text: 'turn 1', finishReason: 'stop' });
    expect(
      client.inbox.some((m) => m.type === 'chunk' && m.id === 'c1' && m.data.type === 'text-delta'),
    ).toBe(true);
    client.send({ type: 'chat', id: 'c2', content: 'Again' });
    expect(await client.next((m) => m.type === 'done' && m.id === 'c2')).toMatchObject({ text: 'turn 3' });
    expect(backend.calls[1]?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('runs several chats on one socket, cancels one, and keeps the other going', async () => {
    const backend = new MockBackend({ reply: { text: 'a b c d e f g h i j', chunkDelayMs: 15 } });
    const { url } = await startServer({ backend });
    const client = await connect(url);
    client.send({ type: 'chat', id: 'keep', content: 'one' });
    client.send({ type: 'chat', id: 'stop', content: 'two' });
    await client.next((m) => m.type === 'chunk' && m.id === 'stop');
    client.send({ type: 'cancel', id: 'stop' });
    expect(await client.next((m) => m.type === 'cancelled')).toEqual({ type: 'cancelled', id: 'stop' });
    const done = await client.next((m) => m.type === 'done');
    expect(done).toMatchObject({ id: 'keep', text: 'a b c d e f g h i j' });
    expect(backend.cancelledStreams).toBe(1);
  });

  it('answers a malformed frame with an error and leaves other chats running', async () => {
    const { url } = await startServer({
      backend: new MockBackend({ reply: { text: 'x y z', chunkDelayMs: 20 } }),
    });
    const client = await connect(url);
    client.send({ type: 'chat', id: 'ok', content: 'go' });
    client.send('{not json');
    client.send({ type: 'launch_rockets' });
    const malformed = await client.next((m) => m.type === 'error' && /Malformed/.test(m.error.message));
    expect(malformed).toMatchObject({ error: { kind: 'invalid-request' } });
    expect(
      await client.next((m) => m.type === 'error' && /Unknown message type/.test(m.error.message)),
    ).toBeTruthy();
    expect(await client.next((m) => m.type === 'done')).toMatchObject({ id: 'ok', text: 'x y z' });
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('switches provider through the router, and refuses unknown ones', async () => {
    const router = new Router({ defaultBackend: 'openai' })
      .register('openai', new MockBackend({ name: 'openai', reply: { text: 'from openai' } }))
      .register('groq', new MockBackend({ name: 'groq', reply: { text: 'from groq' } }));
    const { url } = await startServer({ bridge: new Bridge({ backend: router }), router });
    const client = await connect(url);
    expect(await client.next((m) => m.type === 'welcome')).toMatchObject({
      provider: 'openai',
      providers: ['openai', 'groq'],
    });
    client.send({ type: 'switch_provider', provider: 'groq' });
    expect(await client.next((m) => m.type === 'provider_switched')).toEqual({
      type: 'provider_switched',
      provider: 'groq',
    });
    client.send({ type: 'chat', id: 'q', content: 'hi' });
    expect(await client.next((m) => m.type === 'done')).toMatchObject({
      text: 'from groq',
      provider: 'groq',
    });
    client.send({ type: 'switch_provider', provider: 'nope' });
    expect(await client.next((m) => m.type === 'error')).toMatchObject({
      error: { message: "Unknown provider 'nope'" },
    });
  });

  it('limits concurrent chats per socket', async () => {
    const { url } = await startServer({
      backend: new MockBackend({ reply: { text: 'slow', latencyMs: 200 } }),
      maxConcurrentChats: 2,
    });
    const client = await connect(url);
    for (const id of ['a', 'b', 'c']) client.send({ type: 'chat', id, content: id });
    expect(await client.next((m) => m.type === 'error')).toMatchObject({
      id: 'c',
      error: { code: 'too_many_streams' },
    });
    await client.next((m) => m.type === 'done' && m.id === 'a');
    await client.next((m) => m.type === 'done' && m.id === 'b');
  });

  it('authenticates the upgrade', async () => {
    const { url } = await startServer({
      policy: new GatewayPolicy({
        bridge: new Bridge({ backend: new MockBackend() }),
        keys: [{ id: 'team', key: 'sk-gateway-secret-1' }],
      }),
    });
    await expect(connect(url)).rejects.toThrow(/401/);
    const byHeader = await connect(url, { headers: { authorization: 'Bearer sk-gateway-secret-1' } });
    expect(await byHeader.next((m) => m.type === 'welcome')).toBeTruthy();
    const byQuery = await connect(`${url}?api_key=sk-gateway-secret-1`);
    expect(await byQuery.next((m) => m.type === 'welcome')).toBeTruthy();
  });

  it('closes a socket that stops answering heartbeats', async () => {
    const { url, gateway } = await startServer({ heartbeatMs: 50 });
    const client = await connect(url, { autoPong: false });
    const closed = new Promise<void>((resolve) => client.socket.once('close', () => resolve()));
    await closed;
    for (let i = 0; i < 20 && gateway.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(gateway.size).toBe(0);
  });

  it('answers app-level pings with pongs', async () => {
    const { url } = await startServer({});
    const client = await connect(url);
    client.send({ type: 'ping', ts: 42 });
    expect(await client.next((m) => m.type === 'pong')).toMatchObject({ type: 'pong', ts: 42 });
  });

  it('stops reading the upstream while the client is not reading (back-pressure)', async () => {
    let produced = 0;
    const big = 'x'.repeat(64 * 1024);
    const flood: Backend = {
      metadata: {
        name: 'flood',
        provider: 'flood',
        capabilities: { streaming: true, tools: false, vision: false, reasoning: false, jsonSchema: false },
      },
      execute: () => Promise.reject(new Error('stream only')),
      stream: (_request: ChatRequest) =>
        (async function* (): AsyncGenerator<StreamEvent> {
          yield { type: 'start', id: 'f', model: 'flood', provider: 'flood' };
          for (let i = 0; i < 400; i++) {
            produced++;
            yield { type: 'text-delta', index: 0, delta: big };
          }
        })(),
    };
    const { url } = await startServer({ backend: flood, highWaterBytes: 256 * 1024 });
    const client = await connect(url);
    await client.next((m) => m.type === 'welcome');
    // Stop reading from the socket: the kernel buffers fill, then the server's ws buffer.
    (client.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    client.send({ type: 'chat', id: 'flood', content: 'go' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const whilePaused = produced;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(produced).toBe(whilePaused);
    expect(produced).toBeLessThan(400);
    (client.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    await client.next((m) => m.type === 'done', 15_000);
    expect(produced).toBe(400);
  });
});
