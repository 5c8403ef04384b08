/**
 * Security class: retries and fallbacks cannot multiply upstream calls, and an open circuit is
 * never slept through. Real sockets: a gateway over a Router of Anthropic-protocol mock
 * upstreams, whose request logs count the upstream calls actually made.
 */
import { AnthropicBackendAdapter } from 'ai.matey.backend';
import { Bridge, type CircuitBreakerOptions, Router } from 'ai.matey.core';
import { createRetryMiddleware } from 'ai.matey.middleware';
import { type MockUpstream, type MockUpstreamReply, startMockUpstream } from 'ai.matey.testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway } from '../create-gateway.ts';
import { serveGateway } from '../serve-gateway.ts';
import type { ServerMessage } from '../websocket/websocket-protocol.ts';
import { attachWebSocketGateway } from '../websocket/websocket-server.ts';
import { openChatSocket } from './security-clients.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const OVERLOADED: MockUpstreamReply = { error: 'overloaded' };

interface FleetOptions {
  replies: MockUpstreamReply[];
  maxAttempts?: number;
  circuitBreaker?: CircuitBreakerOptions;
  /** One adapter straight behind the Bridge, no Router (only the first reply is used). */
  plain?: boolean;
}

/** Three providers a, b, c (a first; b and c its fallbacks), each on its own mock upstream. */
async function startFleet(options: FleetOptions) {
  const upstreams: MockUpstream[] = await Promise.all(
    options.replies.map((reply) => startMockUpstream({ reply })),
  );
  const names = ['a', 'b', 'c'].slice(0, upstreams.length);
  const router = new Router({
    routingStrategy: 'explicit',
    defaultBackend: 'a',
    fallbackChain: names.slice(1),
    circuitBreaker: options.circuitBreaker ?? { failureThreshold: 1_000 },
  });
  for (const [i, upstream] of upstreams.entries()) {
    const adapter = new AnthropicBackendAdapter({ apiKey: 'upstream-key', baseURL: upstream.url });
    router.register(names[i] as string, adapter);
  }
  const plainBackend = options.plain ? router.getBackend('a') : undefined;
  const bridge = new Bridge({
    backend: plainBackend ?? router,
    middleware: [createRetryMiddleware({ baseDelayMs: 5, maxDelayMs: 20 })],
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });
  const gateway = createGateway({ bridge, ...(plainBackend ? {} : { router }) });
  const running = await serveGateway(gateway, { port: 0, shutdownGraceMs: 200 });
  const websocket = attachWebSocketGateway(running.server, {
    policy: gateway.policy,
    ...(plainBackend ? {} : { router }),
  });
  cleanups.push(async () => {
    await websocket.close();
    await running.close();
    await Promise.all(upstreams.map((upstream) => upstream.close()));
  });
  const calls = () => upstreams.reduce((sum, upstream) => sum + upstream.requests.length, 0);
  return { url: running.url, wsUrl: `ws${running.url.slice(4)}/v1/ws`, upstreams, calls };
}

async function chat(url: string, model: string, stream = false, format: 'openai' | 'anthropic' = 'openai') {
  const path = format === 'openai' ? '/v1/chat/completions' : '/v1/messages';
  const started = performance.now();
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model, stream, max_tokens: 32, messages: [{ role: 'user', content: 'hello' }] }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, ms: performance.now() - started };
}

/** The text of an OpenAI-format SSE reply. */
function streamedText(sse: string): string {
  return sse
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .map(
      (line) => (JSON.parse(line.slice(6)) as { choices: Array<{ delta?: { content?: string } }> }).choices,
    )
    .map((choices) => choices[0]?.delta?.content ?? '')
    .join('');
}

describe('one budget of upstream calls per client request', () => {
  it.each([false, true])(
    'a 529 storm over three providers costs 3 upstream calls, not 3 retries × 3 (stream %s)',
    async (stream) => {
      const fleet = await startFleet({ replies: [OVERLOADED, OVERLOADED, OVERLOADED] });
      const reply = await chat(fleet.url, 'claude-sonnet-4-5', stream);
      expect(reply.status).toBeGreaterThanOrEqual(500);
      expect(fleet.calls()).toBe(3);
    },
  );

  it('the budget is configurable: maxAttempts 5 makes 5 upstream calls in the storm', async () => {
    const fleet = await startFleet({ replies: [OVERLOADED, OVERLOADED, OVERLOADED], maxAttempts: 5 });
    const reply = await chat(fleet.url, 'claude-sonnet-4-5');
    expect(fleet.calls()).toBe(5);
    expect(reply.headers.get('x-matey-attempts')).toBe('5');
  });

  it.each([false, true])(
    'x-matey-attempts counts every upstream call, retries of a pinned provider included (stream %s)',
    async (stream) => {
      const fleet = await startFleet({ replies: [{ text: 'third time lucky' }] });
      fleet.upstreams[0]?.enqueue(OVERLOADED, OVERLOADED);
      const reply = await chat(fleet.url, 'a/claude-sonnet-4-5', stream);
      expect(reply.status).toBe(200);
      expect(stream ? streamedText(reply.text) : reply.text).toContain('third time lucky');
      expect(fleet.calls()).toBe(3);
      expect(reply.headers.get('x-matey-attempts')).toBe('3');
    },
  );

  it('x-matey-attempts counts retries and fallbacks together', async () => {
    const fleet = await startFleet({ replies: [{ text: 'a again' }, OVERLOADED] });
    fleet.upstreams[0]?.enqueue(OVERLOADED);
    const reply = await chat(fleet.url, 'claude-sonnet-4-5');
    // a fails, its fallback b fails, the retry finds a well: three calls, the header says so.
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('a again');
    expect(fleet.calls()).toBe(3);
    expect(reply.headers.get('x-matey-attempts')).toBe('3');
  });
});

describe('a failed call says how many upstream calls it made', () => {
  it.each([
    ['openai', false],
    ['openai', true],
    ['anthropic', false],
    ['anthropic', true],
  ] as const)(
    'a 529 storm over three providers: x-matey-attempts 3, the last backend named (%s format, stream %s)',
    async (format, stream) => {
      const fleet = await startFleet({ replies: [OVERLOADED, OVERLOADED, OVERLOADED] });
      const reply = await chat(fleet.url, 'claude-sonnet-4-5', stream, format);
      expect(reply.status).toBe(529);
      expect(fleet.calls()).toBe(3);
      expect(reply.headers.get('x-matey-attempts')).toBe(String(fleet.calls()));
      expect(reply.headers.get('x-matey-backend')).toBe('c');
      expect(reply.headers.get('x-matey-provider')).toBe('anthropic');
    },
  );

  it.each([false, true])(
    'a single provider retried to the end: x-matey-attempts 3 (router-pinned, stream %s)',
    async (stream) => {
      const fleet = await startFleet({ replies: [OVERLOADED] });
      const reply = await chat(fleet.url, 'a/claude-sonnet-4-5', stream);
      expect(reply.status).toBeGreaterThanOrEqual(500);
      expect(fleet.calls()).toBe(3);
      expect(reply.headers.get('x-matey-attempts')).toBe('3');
      expect(reply.headers.get('x-matey-backend')).toBe('a');
    },
  );

  it.each([false, true])(
    'a single adapter behind the Bridge (no Router), retried to the end: x-matey-attempts 3 (stream %s)',
    async (stream) => {
      const fleet = await startFleet({ replies: [OVERLOADED], plain: true });
      const reply = await chat(fleet.url, 'claude-sonnet-4-5', stream);
      expect(reply.status).toBeGreaterThanOrEqual(500);
      expect(fleet.calls()).toBe(3);
      expect(reply.headers.get('x-matey-attempts')).toBe('3');
      expect(reply.headers.get('x-matey-provider')).toBe('anthropic');
    },
  );

  it('the WebSocket error frame carries the same count', async () => {
    const fleet = await startFleet({ replies: [OVERLOADED, OVERLOADED, OVERLOADED] });
    const client = await openChatSocket(fleet.wsUrl);
    const frame = (await client.chat({ content: 'hello', model: 'claude-sonnet-4-5' })) as Extract<
      ServerMessage,
      { type: 'error' }
    >;
    client.close();
    expect(frame.type).toBe('error');
    expect(fleet.calls()).toBe(3);
    expect(frame.error).toMatchObject({ attempts: 3, backend: 'c', provider: 'anthropic', status: 529 });
  });
});

describe('an open circuit fails fast', () => {
  const breaker = { failureThreshold: 1, cooldownMs: 4_000 };

  it.each(['openai', 'anthropic'] as const)(
    'a pinned provider with an open circuit answers 503 with retry-after at once (%s format), not after the cool-down',
    async (format) => {
      const fleet = await startFleet({ replies: [OVERLOADED], circuitBreaker: breaker });
      // The first call fails upstream and opens the circuit; its retry meets the open circuit.
      const first = await chat(fleet.url, 'a/claude-sonnet-4-5', false, format);
      expect(first.ms).toBeLessThan(1_500);
      expect(fleet.calls()).toBe(1);
      const second = await chat(fleet.url, 'a/claude-sonnet-4-5', true, format);
      expect(second.ms).toBeLessThan(1_500);
      expect(second.status).toBe(503);
      const retryAfter = Number(second.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(3);
      expect(retryAfter).toBeLessThanOrEqual(4);
      if (format === 'openai')
        expect(JSON.parse(second.text)).toMatchObject({ error: { code: 'circuit_open' } });
      else expect(JSON.parse(second.text)).toMatchObject({ type: 'error', error: { type: 'api_error' } });
      expect(fleet.calls()).toBe(1);
    },
  );

  it('with a fallback, an open circuit means falling back now', async () => {
    const fleet = await startFleet({ replies: [OVERLOADED, { text: 'from b' }], circuitBreaker: breaker });
    const opening = await chat(fleet.url, 'a/claude-sonnet-4-5'); // opens a's circuit
    expect(opening.ms).toBeLessThan(1_500);
    const callsBefore = fleet.calls();
    const reply = await chat(fleet.url, 'claude-sonnet-4-5');
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('from b');
    expect(reply.ms).toBeLessThan(1_500);
    expect(fleet.calls() - callsBefore).toBe(1); // a was skipped, not called
    expect(reply.headers.get('x-matey-backend')).toBe('b');
  });
});
