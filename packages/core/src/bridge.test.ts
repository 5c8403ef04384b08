import { describe, expect, it } from 'vitest';
import { Bridge } from './bridge.ts';
import { ChatStream, isChatStream } from './chat-stream.ts';
import { AiMateyError } from './errors/ai-matey-error.ts';
import { CancelledError } from './errors/cancelled-error.ts';
import { RateLimitError } from './errors/rate-limit-error.ts';
import type { Middleware, NextFunction } from './middleware/middleware.ts';
import type { ChatRequest } from './spec/request.ts';
import type { StreamEvent } from './spec/stream.ts';
import { MockBackend } from './test-support/mock-backend.ts';

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hello there' }] };

describe('Bridge', () => {
  it('executes a request against its backend', async () => {
    const backend = new MockBackend({ reply: { text: 'General Kenobi' } });
    const response = await new Bridge({ backend }).execute(hello);
    expect(response.content).toEqual([{ type: 'text', text: 'General Kenobi' }]);
    expect(response.finishReason).toBe('stop');
    expect(backend.calls).toHaveLength(1);
  });

  it('streams events that collect into the same response as execute', async () => {
    const reply = {
      reasoning: 'Think first.',
      reasoningSignature: 'sig-1',
      text: 'The answer is forty two.',
      toolCalls: [
        { id: 'call_a', name: 'lookup', arguments: { q: 'a' } },
        { id: 'call_b', name: 'lookup', arguments: { q: 'b' } },
      ],
      usage: { inputTokens: 11, outputTokens: 7 },
    };
    const bridge = new Bridge({ backend: new MockBackend({ reply }) });
    const executed = await bridge.execute(hello);
    const events: StreamEvent[] = [];
    for await (const event of bridge.stream(hello)) events.push(event);
    expect(events.filter((e) => e.type === 'text-delta').length).toBeGreaterThan(1);
    const collected = await ChatStream.from(events).collect();
    expect({ ...collected, id: '' }).toEqual({ ...executed, id: '' });
    expect(collected.content.map((part) => part.type)).toEqual([
      'reasoning',
      'text',
      'tool-call',
      'tool-call',
    ]);
  });

  it('lets a middleware change the request, and the backend sees the change', async () => {
    const backend = new MockBackend();
    const bridge = new Bridge({ backend }).use(async (request, next) =>
      next({ ...request, model: 'rewritten-model', metadata: { tag: 'x' } }),
    );
    await bridge.execute(hello);
    for await (const _ of bridge.stream(hello)) {
      // drain
    }
    expect(backend.calls.map((call) => call.model)).toEqual(['rewritten-model', 'rewritten-model']);
  });

  it('lets a middleware short-circuit, in both call modes', async () => {
    const backend = new MockBackend();
    const canned = (await new MockBackend({ reply: { text: 'cached' } }).execute(hello)) as never;
    const bridge = new Bridge({ backend }).use(async () => canned);
    expect((await bridge.execute(hello)).content).toEqual([{ type: 'text', text: 'cached' }]);
    expect((await bridge.stream(hello).collect()).content).toEqual([{ type: 'text', text: 'cached' }]);
    expect(backend.calls).toHaveLength(0);
  });

  it('runs the downstream chain again when a middleware retries by calling next twice', async () => {
    const backend = new MockBackend({
      replies: [{ error: new RateLimitError({ message: 'slow down', retryAfterMs: 1 }) }, { text: 'ok' }],
    });
    const seenByInner: number[] = [];
    let count = 0;
    const retryOnce: Middleware = {
      async execute(request, next: NextFunction) {
        try {
          return await next(request);
        } catch (error) {
          if (AiMateyError.isInstance(error) && error.isRetryable) return next(request);
          throw error;
        }
      },
    };
    const bridge = new Bridge({ backend }).use(retryOnce).use(async (request, next) => {
      seenByInner.push(++count);
      return next(request);
    });
    const response = await bridge.execute(hello);
    expect(response.content).toEqual([{ type: 'text', text: 'ok' }]);
    expect(seenByInner).toEqual([1, 2]);
    expect(backend.calls).toHaveLength(2);
  });

  it('retries a stream that fails before its first event, through the same middleware', async () => {
    const backend = new MockBackend({
      replies: [{ error: new RateLimitError({ message: 'busy' }) }, { text: 'streamed fine' }],
    });
    const bridge = new Bridge({ backend }).use(async (request, next) => {
      try {
        return await next(request);
      } catch {
        return next(request);
      }
    });
    const response = await bridge.stream(hello).collect();
    expect(response.content).toEqual([{ type: 'text', text: 'streamed fine' }]);
  });

  it('wraps a stream event by event rather than collecting it', async () => {
    const bridge = new Bridge({
      backend: new MockBackend({ reply: { text: 'one two three', chunkDelayMs: 5 } }),
    }).use(async (request, next, context) => {
      const reply = await next(request);
      expect(context.mode).toBe('stream');
      if (!isChatStream(reply)) throw new Error('expected a stream');
      return ChatStream.from(reply).map((event) =>
        event.type === 'text-delta' ? { ...event, delta: event.delta.toUpperCase() } : event,
      );
    });
    const seen: string[] = [];
    for await (const event of bridge.stream(hello)) if (event.type === 'text-delta') seen.push(event.delta);
    expect(seen.join('')).toBe('ONE TWO THREE');
    expect(seen.length).toBe(3);
  });

  it('emits request and stream events', async () => {
    const bridge = new Bridge({ backend: new MockBackend({ name: 'alpha' }) });
    const seen: string[] = [];
    for (const name of [
      'request:start',
      'request:end',
      'request:error',
      'stream:chunk',
      'backend:selected',
    ] as const) {
      bridge.on(name, () => seen.push(name));
    }
    await bridge.execute(hello);
    await bridge.stream(hello).collect();
    expect(seen).toContain('request:start');
    expect(seen).toContain('request:end');
    expect(seen).toContain('stream:chunk');
    expect(seen).toContain('backend:selected');
    const failing = new Bridge({
      backend: new MockBackend({ reply: { error: new RateLimitError({ message: 'no' }) } }),
    });
    const errors: string[] = [];
    failing.on('request:error', ({ error }) => errors.push(error.kind));
    await expect(failing.execute(hello)).rejects.toThrow('no');
    expect(errors).toEqual(['rate-limited']);
  });

  it('cancels the backend when the caller aborts, and when the reader stops early', async () => {
    const backend = new MockBackend({ reply: { text: 'a b c d e f g h', chunkDelayMs: 20 } });
    const bridge = new Bridge({ backend });
    const controller = new AbortController();
    const reading = (async () => {
      for await (const _ of bridge.stream(hello, { signal: controller.signal })) controller.abort();
    })();
    await expect(reading).rejects.toSatisfy((error: unknown) => CancelledError.isInstance(error));
    for await (const _ of bridge.stream(hello)) break;
    expect(backend.cancelledStreams).toBe(2);
  });

  it('times a call out with a TimeoutError', async () => {
    const bridge = new Bridge({ backend: new MockBackend({ reply: { text: 'late', latencyMs: 200 } }) });
    await expect(bridge.execute(hello, { timeoutMs: 20 })).rejects.toMatchObject({ kind: 'timeout' });
  });
});
