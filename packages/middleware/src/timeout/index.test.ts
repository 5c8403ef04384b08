import { Bridge, TimeoutError } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it, vi } from 'vitest';
import { call, hello, modes } from '../test-support/bridge-call.ts';
import { createTimeoutMiddleware } from './index.ts';

describe.each(modes)('createTimeoutMiddleware (%s)', (mode) => {
  it('fails a call that takes longer than totalMs with a TimeoutError', async () => {
    const backend = new MockBackend({ reply: { text: 'too late', latencyMs: 400 } });
    const bridge = new Bridge({ backend, middleware: [createTimeoutMiddleware({ totalMs: 30 })] });
    const error = await call(bridge, mode).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'total_timeout', message: 'The call took longer than 30 ms' });
  });

  it('lets a call within its limits through untouched', async () => {
    const backend = new MockBackend({ reply: { text: 'in time', chunkDelayMs: 1 } });
    const timeout = createTimeoutMiddleware({ totalMs: 5_000, firstEventMs: 2_000, idleMs: 2_000 });
    const response = await call(new Bridge({ backend, middleware: [timeout] }), mode);
    expect(response.content).toEqual([{ type: 'text', text: 'in time' }]);
    expect(backend.cancelledStreams).toBe(0);
  });
});

describe('createTimeoutMiddleware (streams)', () => {
  it('fails when the first event is late, and cancels the upstream stream', async () => {
    const backend = new MockBackend({ reply: { text: 'late start', latencyMs: 300 } });
    const bridge = new Bridge({ backend, middleware: [createTimeoutMiddleware({ firstEventMs: 30 })] });
    await expect(bridge.stream(hello).collect()).rejects.toMatchObject({
      kind: 'timeout',
      code: 'first_event_timeout',
    });
    await vi.waitFor(() => expect(backend.cancelledStreams).toBe(1), { timeout: 2_000 });
  });

  it('fails when the stream goes quiet for longer than idleMs, and cancels the upstream', async () => {
    const backend = new MockBackend({ reply: { text: 'one two three', chunkDelayMs: 300 } });
    const bridge = new Bridge({ backend, middleware: [createTimeoutMiddleware({ idleMs: 30 })] });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of bridge.stream(hello)) seen.push(event.type);
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'timeout', code: 'idle_timeout' });
    expect(seen).toEqual(['start']);
    await vi.waitFor(() => expect(backend.cancelledStreams).toBe(1), { timeout: 2_000 });
  });

  it('ends a stream that trickles past totalMs even though no single gap is too long', async () => {
    const text = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    const backend = new MockBackend({ reply: { text, chunkDelayMs: 15 } });
    const timeout = createTimeoutMiddleware({ totalMs: 120, idleMs: 1_000 });
    const bridge = new Bridge({ backend, middleware: [timeout] });
    let deltas = 0;
    const error = await (async () => {
      for await (const event of bridge.stream(hello)) if (event.type === 'text-delta') deltas++;
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'timeout', code: 'total_timeout' });
    expect(deltas).toBeGreaterThan(0);
    expect(deltas).toBeLessThan(40);
    await vi.waitFor(() => expect(backend.cancelledStreams).toBe(1), { timeout: 2_000 });
  });

  it('still cancels the upstream when the reader stops early', async () => {
    const backend = new MockBackend({ reply: { text: 'one two three four', chunkDelayMs: 1 } });
    const bridge = new Bridge({ backend, middleware: [createTimeoutMiddleware({ idleMs: 1_000 })] });
    for await (const event of bridge.stream(hello)) if (event.type === 'text-delta') break;
    expect(backend.cancelledStreams).toBe(1);
  });
});
