import { describe, expect, it } from 'vitest';
import { Bridge } from '../bridge.ts';
import { ChatStream } from '../chat-stream.ts';
import { AiMateyError } from '../errors/ai-matey-error.ts';
import { BudgetExceededError } from '../errors/budget-exceeded-error.ts';
import { ContentFilterError } from '../errors/content-filter-error.ts';
import { OverloadedError } from '../errors/overloaded-error.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import type { ChatRequest } from '../spec/request.ts';
import { MockBackend, type MockReply } from '../test-support/mock-backend.ts';
import type { Middleware } from './middleware.ts';
import { type CallObserver, type CallOutcome, observeCall } from './observe-call.ts';

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hello there' }] };

/** A Bridge whose one middleware watches every call with `observeCall` and keeps the outcomes. */
function watched(reply: MockReply, observer: Partial<CallObserver> = {}) {
  const outcomes: CallOutcome[] = [];
  const firstEvents: number[] = [];
  const watcher: Middleware = {
    name: 'watcher',
    execute: (request, next) =>
      observeCall(next, request, {
        onFirstEvent: (ms) => firstEvents.push(ms),
        onEnd: (outcome) => {
          outcomes.push(outcome);
          observer.onEnd?.(outcome);
        },
        ...(observer.stampResponse ? { stampResponse: observer.stampResponse } : {}),
      }),
  };
  const backend = new MockBackend({ reply });
  return { bridge: new Bridge({ backend, middleware: [watcher] }), backend, outcomes, firstEvents };
}

async function run(bridge: Bridge, mode: 'execute' | 'stream'): Promise<string> {
  if (mode === 'execute') {
    const response = await bridge.execute(hello);
    return response.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  }
  let text = '';
  for await (const event of bridge.stream(hello)) if (event.type === 'text-delta') text += event.delta;
  return text;
}

describe.each(['execute', 'stream'] as const)('observeCall (%s)', (mode) => {
  it('reports ok once, with the response, its usage and the latency', async () => {
    const { bridge, outcomes } = watched({
      text: 'General Kenobi',
      usage: { inputTokens: 12, outputTokens: 4 },
      latencyMs: 30,
    });
    expect(await run(bridge, mode)).toBe('General Kenobi');
    expect(outcomes).toHaveLength(1);
    const [outcome] = outcomes;
    if (outcome?.status !== 'ok') throw new Error(`expected ok, got ${outcome?.status}`);
    expect(outcome.streamed).toBe(mode === 'stream');
    expect(outcome.usage).toMatchObject({ inputTokens: 12, outputTokens: 4 });
    expect(outcome.response.content).toEqual([{ type: 'text', text: 'General Kenobi' }]);
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(25);
  });

  it('reports a call that failed before any reply as failed, with the error, and rethrows it', async () => {
    const error = new RateLimitError({ message: 'slow down', provider: 'mock', retryAfterMs: 10 });
    const { bridge, outcomes } = watched({ error });
    await expect(run(bridge, mode)).rejects.toMatchObject({ kind: 'rate-limited', message: 'slow down' });
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ status: 'failed', error, streamed: false });
    expect(outcomes[0]?.usage).toBeUndefined();
  });

  it('never fails the call when the observer throws', async () => {
    const { bridge, outcomes } = watched(
      { text: 'still served' },
      {
        onEnd: () => {
          throw new Error('observer bug');
        },
      },
    );
    expect(await run(bridge, mode)).toBe('still served');
    expect(outcomes).toHaveLength(1);
  });
});

describe('observeCall on a stream', () => {
  it('passes the first event on before the backend has sent the rest (the stream is not collected)', async () => {
    const { bridge, outcomes, firstEvents } = watched({ text: 'one two three four five', chunkDelayMs: 40 });
    const stream = bridge.stream(hello);
    const started = performance.now();
    const iterator = stream[Symbol.asyncIterator]();
    let first = await iterator.next();
    while (!first.done && first.value.type !== 'text-delta') first = await iterator.next();
    const firstTextMs = performance.now() - started;
    expect(firstEvents).toHaveLength(1);
    expect(outcomes).toHaveLength(0);
    while (!(await iterator.next()).done) {}
    const wholeMs = performance.now() - started;
    expect(firstTextMs).toBeLessThan(wholeMs - 60);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.timeToFirstEventMs).toBe(firstEvents[0]);
    expect(outcomes[0]?.timeToFirstEventMs).toBeLessThan(outcomes[0]?.latencyMs ?? 0);
  });

  it('reports a reader that stops early as cancelled, with what had arrived, and cancels upstream', async () => {
    const { bridge, backend, outcomes } = watched({
      text: 'alpha beta gamma delta epsilon',
      chunkDelayMs: 5,
    });
    let text = '';
    for await (const event of bridge.stream(hello)) {
      if (event.type === 'text-delta') text += event.delta;
      if (text.length > 0) break;
    }
    expect(outcomes).toHaveLength(1);
    const [outcome] = outcomes;
    if (outcome?.status !== 'cancelled') throw new Error(`expected cancelled, got ${outcome?.status}`);
    expect(outcome.partial.content).toEqual([{ type: 'text', text }]);
    expect(backend.cancelledStreams).toBe(1);
  });

  it('reports a stream that fails mid-way as failed, with the partial response', async () => {
    const { bridge, outcomes } = watched({ text: 'alpha beta gamma delta epsilon', failAfterEvents: 3 });
    await expect(run(bridge, 'stream')).rejects.toMatchObject({ kind: 'network' });
    expect(outcomes).toHaveLength(1);
    const [outcome] = outcomes;
    if (outcome?.status !== 'failed') throw new Error(`expected failed, got ${outcome?.status}`);
    expect(outcome.streamed).toBe(true);
    expect(outcome.partial?.content.length).toBeGreaterThan(0);
  });
});

describe('observeCall on a stream with an in-band error event', () => {
  it('reports failed, not cancelled, when the reader stops at the error event', async () => {
    const error = new OverloadedError({ message: 'overloaded mid-way', provider: 'mock' });
    const outcomes: CallOutcome[] = [];
    const reply = await observeCall(
      async () =>
        ChatStream.from([
          { type: 'start', id: 'r1', model: 'm', provider: 'mock' },
          { type: 'text-delta', index: 0, delta: 'Half an' },
          { type: 'error', error },
          { type: 'text-delta', index: 0, delta: ' answer' },
        ]),
      hello,
      {
        onEnd: (outcome) => {
          outcomes.push(outcome);
        },
      },
    );
    for await (const event of reply as ChatStream) if (event.type === 'error') break;
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ status: 'failed', error, streamed: true });
  });
});

describe('observeCall on a plain reply', () => {
  it('hands back what stampResponse makes of the response, after onEnd', async () => {
    const seen: string[] = [];
    const { bridge } = watched(
      { text: 'stamped' },
      {
        onEnd: () => {
          seen.push('end');
        },
        stampResponse: (response) => {
          seen.push('stamp');
          return { ...response, metadata: { ...response.metadata, stamped: true } };
        },
      },
    );
    const response = await bridge.execute(hello);
    expect(response.metadata?.stamped).toBe(true);
    expect(seen).toEqual(['end', 'stamp']);
  });
});

describe('AiMateyError.isRequestFault', () => {
  it('is true for the request’s own faults and false for the provider’s', () => {
    expect(new ContentFilterError({ message: 'no' }).isRequestFault).toBe(true);
    expect(new RateLimitError({ message: 'slow' }).isRequestFault).toBe(false);
    expect(new AiMateyError({ message: 'unknown' }).isRequestFault).toBe(false);
    // Our own budget refuses the request anywhere; a provider's billing error is its account's.
    expect(new BudgetExceededError({ message: 'over budget' }).isRequestFault).toBe(true);
    expect(new BudgetExceededError({ message: 'billing', provider: 'anthropic' }).isRequestFault).toBe(false);
  });
});
