/** CORS (off unless configured) and the client address (X-Forwarded-For only with trustProxy). */
import { type Backend, Bridge, type ChatRequest } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGateway } from './create-gateway.ts';
import type { GatewayOptions } from './gateway-options.ts';
import { serveGateway } from './serve-gateway.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function serve(options: Omit<GatewayOptions, 'bridge'>, backend: Backend = new MockBackend()) {
  const running = await serveGateway(createGateway({ ...options, bridge: new Bridge({ backend }) }));
  cleanups.push(() => running.close());
  return running.url;
}

const chatInit = (headers: Record<string, string> = {}, body: Record<string, unknown> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], ...body }),
});

const APP = 'https://app.example';

describe('CORS', () => {
  it('is off by default: no allow-origin, and a preflight is not answered', async () => {
    const url = await serve({});
    const response = await fetch(`${url}/v1/chat/completions`, chatInit({ origin: APP }));
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers listed origins only, on preflights and on chat replies, plain and streamed', async () => {
    // The Node adapter logs (and drops the socket) when a reply is written twice.
    const logged = vi.spyOn(console, 'error');
    cleanups.push(async () => logged.mockRestore());
    const url = await serve({ corsOrigins: [APP] });
    const preflight = await fetch(`${url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin: APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/i);

    const plain = await fetch(`${url}/v1/chat/completions`, chatInit({ origin: APP }));
    expect(plain.headers.get('access-control-allow-origin')).toBe(APP);
    // A browser can read only exposed headers: the gateway's own, and retry hints on errors.
    const exposed = plain.headers.get('access-control-expose-headers') ?? '';
    for (const name of [
      'x-request-id',
      'x-matey-provider',
      'x-matey-model',
      'x-matey-cost-usd',
      'retry-after',
    ])
      expect(exposed).toContain(name);

    const streamed = await fetch(
      `${url}/v1/messages`,
      chatInit({ origin: APP }, { model: 'mock-model', max_tokens: 8, stream: true }),
    );
    expect(streamed.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(streamed.headers.get('access-control-allow-origin')).toBe(APP);
    await streamed.text();

    const failed = await fetch(`${url}/v1/chat/completions`, { ...chatInit({ origin: APP }), body: '{' });
    expect(failed.status).toBe(400);
    expect(failed.headers.get('access-control-allow-origin')).toBe(APP);

    const stranger = await fetch(`${url}/v1/chat/completions`, chatInit({ origin: 'https://evil.example' }));
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    const unknownRoute = await fetch(`${url}/v1/nothing`, { headers: { origin: APP } });
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.headers.get('access-control-allow-origin')).toBe(APP);
    expect(logged).not.toHaveBeenCalled();
  });
});

describe('client address', () => {
  async function userIdFor(trustProxy: boolean, headers: Record<string, string>, body = {}) {
    const backend = new MockBackend({ reply: { text: 'ok' } });
    const url = await serve({ trustProxy }, backend);
    const response = await fetch(`${url}/v1/chat/completions`, chatInit(headers, body));
    expect(response.status).toBe(200);
    const call = backend.calls.at(-1) as ChatRequest;
    return call.metadata?.userId;
  }

  it('ignores X-Forwarded-For unless trustProxy is set', async () => {
    expect(await userIdFor(false, { 'x-forwarded-for': '203.0.113.9' })).toBe('127.0.0.1');
  });

  it('takes the address our proxy saw (the last hop) with trustProxy, so a client cannot spoof it', async () => {
    expect(await userIdFor(true, { 'x-forwarded-for': '203.0.113.9' })).toBe('203.0.113.9');
    expect(await userIdFor(true, { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' })).toBe('203.0.113.9');
    expect(await userIdFor(true, {})).toBe('127.0.0.1');
  });

  it('prefers the OpenAI user field as the user id', async () => {
    expect(await userIdFor(true, { 'x-forwarded-for': '203.0.113.9' }, { user: 'end-user-7' })).toBe(
      'end-user-7',
    );
  });
});
