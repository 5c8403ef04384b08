import { Bridge, RateLimitError } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createCostTrackingMiddleware } from '../cost-tracking/index.ts';
import { createLoggingMiddleware } from './index.ts';

/** A pino destination that keeps the raw lines, to parse and to search for leaks. */
function memoryDestination() {
  const raw: string[] = [];
  return {
    raw,
    lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>),
    write(message: string) {
      raw.push(message);
    },
  };
}

const user = (content: string) => ({ role: 'user' as const, content });
const prices = { 'mock-model': { inputPerMTok: 1, outputPerMTok: 2 } };
const API_KEY = 'sk-proj-ABCDEFGHIJKLMNOP1234567890';

describe('logging middleware', () => {
  it('logs one structured line per execute call, with tokens and the cost from the cost middleware', async () => {
    const destination = memoryDestination();
    const backend = new MockBackend({
      reply: { text: 'hi', usage: { inputTokens: 1000, outputTokens: 500 } },
    });
    const bridge = new Bridge({
      backend,
      middleware: [createLoggingMiddleware({ destination }), createCostTrackingMiddleware({ prices })],
    });

    await bridge.execute({ messages: [user('hello')] }, { requestId: 'req_test_1' });

    const lines = destination.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'chat call',
      requestId: 'req_test_1',
      mode: 'execute',
      outcome: 'ok',
      provider: 'mock',
      backend: 'mock',
      model: 'mock-model',
      finishReason: 'stop',
      inputTokens: 1000,
      outputTokens: 500,
      costUsd: 0.002,
      attempts: 1,
    });
    expect(lines[0]?.latencyMs).toEqual(expect.any(Number));
    expect(lines[0]).not.toHaveProperty('request');
    expect(destination.raw[0]).not.toContain('hello');
  });

  it('logs a stream once, when it ends, with the time to its first event', async () => {
    const destination = memoryDestination();
    const backend = new MockBackend({
      reply: { text: 'one two three', usage: { inputTokens: 7, outputTokens: 3 } },
    });
    const bridge = new Bridge({ backend, middleware: [createLoggingMiddleware({ destination })] });

    const stream = bridge.stream({ messages: [user('count')] });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    expect(destination.raw).toHaveLength(0);
    while (!(await iterator.next()).done) {}

    const [line] = destination.lines();
    expect(destination.raw).toHaveLength(1);
    expect(line).toMatchObject({ mode: 'stream', outcome: 'ok', inputTokens: 7, outputTokens: 3 });
    expect(line?.timeToFirstEventMs).toEqual(expect.any(Number));
    expect(line?.timeToFirstEventMs as number).toBeLessThanOrEqual(line?.latencyMs as number);
  });

  it('logs failures by kind, and a stream the reader abandoned as cancelled', async () => {
    const destination = memoryDestination();
    const backend = new MockBackend();
    const bridge = new Bridge({ backend, middleware: [createLoggingMiddleware({ destination })] });

    backend.enqueue({
      error: new RateLimitError({ message: 'slow down', provider: 'mock', retryAfterMs: 1000 }),
    });
    await expect(bridge.execute({ messages: [user('a')] })).rejects.toThrow('slow down');
    backend.enqueue({ text: 'many words in this reply' });
    for await (const event of bridge.stream({ messages: [user('b')] }))
      if (event.type === 'text-delta') break;

    const [failed, cancelled] = destination.lines();
    expect(failed).toMatchObject({
      level: 40,
      outcome: 'rate-limited',
      error: { kind: 'rate-limited', status: 429, message: 'slow down' },
    });
    expect(cancelled).toMatchObject({ mode: 'stream', outcome: 'cancelled' });
  });

  it('never logs API keys, even in bodies, metadata or error messages', async () => {
    const destination = memoryDestination();
    const backend = new MockBackend();
    const bridge = new Bridge({
      backend,
      middleware: [
        createLoggingMiddleware({ destination, logBodies: true, redactBodies: false }),
        async (request, next) => {
          if (request.metadata?.fail) throw new Error(`upstream refused key ${API_KEY}`);
          return next(request);
        },
      ],
    });
    const request = {
      messages: [user(`my key is ${API_KEY}, Authorization: Bearer ${API_KEY}`)],
      metadata: { apiKey: API_KEY },
      providerOptions: { openai: { apiKey: API_KEY } },
    };

    await bridge.execute(request);
    await bridge.execute({ ...request, metadata: { ...request.metadata, fail: true } }).catch(() => {});

    expect(destination.raw).toHaveLength(2);
    for (const raw of destination.raw) expect(raw).not.toContain('ABCDEFGHIJKLMNOP');
    expect(JSON.stringify(destination.lines()[0]?.request)).toContain('my key is [redacted]');
  });

  it('logs bodies only when asked, with personal data redacted by default', async () => {
    const destination = memoryDestination();
    const backend = new MockBackend();
    const bridge = new Bridge({
      backend,
      middleware: [createLoggingMiddleware({ destination, logBodies: true })],
    });

    await bridge.execute({ messages: [user('I am ann@example.com, card 4111 1111 1111 1111')] });

    const [line] = destination.lines();
    expect(line?.request).toEqual({ messages: [user('I am [EMAIL], card [CARD]')] });
    expect(line?.response).toEqual({ content: [{ type: 'text', text: 'Echo: I am [EMAIL], card [CARD]' }] });
    expect(destination.raw[0]).not.toContain('ann@example.com');
  });

  it('writes through a pino logger it is given, keeping its bindings', async () => {
    const destination = memoryDestination();
    const logger = pino({ base: { service: 'gateway' } }, destination);
    const bridge = new Bridge({
      backend: new MockBackend(),
      middleware: [createLoggingMiddleware({ logger })],
    });
    await bridge.execute({ messages: [user('x')] });
    expect(destination.lines()[0]).toMatchObject({ service: 'gateway', outcome: 'ok' });
  });
});
