import { describe, expect, it } from 'vitest';
import { ChatStream } from './chat-stream.ts';
import type { StreamEvent } from './spec/stream.ts';
import { type BatchResult, type BatchSource, readBatch } from './stream-batch.ts';
import { LazyStream, PrimedStream, StreamRelay } from './stream-relay.ts';

const delta = (text: string): StreamEvent => ({ type: 'text-delta', delta: text }) as StreamEvent;
const text = (event: StreamEvent) => (event.type === 'text-delta' ? event.delta : event.type);

/** A source that hands over its events in the given batches, and records how it was read. */
function batched(batches: string[][]): BatchSource & { log: string[] } {
  const log: string[] = [];
  const queue = batches.map((batch) => batch.map(delta));
  let pending: StreamEvent[] = [];
  return {
    log,
    next() {
      log.push('next');
      if (pending.length === 0) pending = queue.shift() ?? [];
      const event = pending.shift();
      return Promise.resolve(event ? { done: false, value: event } : { done: true, value: undefined });
    },
    nextBatch() {
      log.push('batch');
      const batch = pending.length > 0 ? pending : queue.shift();
      pending = [];
      return Promise.resolve(batch ? { done: false, value: batch } : { done: true, value: undefined });
    },
    return() {
      log.push('closed');
      return Promise.resolve({ done: true, value: undefined });
    },
  };
}

async function readAllBatches(source: BatchSource): Promise<string[][]> {
  const seen: string[][] = [];
  for (;;) {
    const result: BatchResult = await readBatch(source);
    if (result.done) return seen;
    seen.push(result.value.map(text));
  }
}

describe('batched reads', () => {
  it('pass a batch through relays, primed and lazy streams as one read per batch, hooks on each event', async () => {
    const source = batched([
      ['a', 'drop', 'split'],
      ['b', 'c'],
    ]);
    const seen: string[] = [];
    let ended = 0;
    const relay = new StreamRelay(source, {
      event: (event) => {
        seen.push(text(event));
        if (text(event) === 'drop') return undefined;
        if (text(event) === 'split') return [delta('s1'), delta('s2')];
        return event;
      },
      end: () => ended++,
    });
    const first = await relay.next();
    const lazy = new LazyStream(async () => new PrimedStream(first, relay));
    expect(await readAllBatches(lazy)).toEqual([['a'], ['s1', 's2'], ['b', 'c']]);
    expect(seen).toEqual(['a', 'drop', 'split', 'b', 'c']);
    expect(ended).toBe(1);
    // One read for the primed first event, then one per batch and one for the end.
    expect(source.log).toEqual(['next', 'batch', 'batch', 'batch']);
  });

  it('hands on the events before a hook that throws, then the error, and closes the source', async () => {
    const source = batched([['a', 'b', 'bad', 'c']]);
    const failures: unknown[] = [];
    const relay = new StreamRelay(source, {
      event: (event) => {
        if (text(event) === 'bad') throw new Error('refused');
        return event;
      },
      fail: (error) => {
        failures.push(error);
        return error;
      },
    });
    const firstBatch = await relay.nextBatch();
    expect(firstBatch.done ? [] : firstBatch.value.map(text)).toEqual(['a', 'b']);
    await expect(relay.nextBatch()).rejects.toThrow('refused');
    expect(await relay.next()).toEqual({ done: true, value: undefined });
    expect(failures).toHaveLength(1);
    expect(source.log).toContain('closed');
  });

  it('reads one event at a time from a source without batches, and mixes both kinds of read', async () => {
    async function* plain(): AsyncGenerator<StreamEvent> {
      yield delta('x');
      yield delta('y');
    }
    expect(
      await readAllBatches(
        ChatStream.from(plain())
          .tap(() => {})
          [Symbol.asyncIterator](),
      ),
    ).toEqual([['x'], ['y']]);
    const relay = new StreamRelay(batched([['a', 'b', 'c']]), { event: (event) => [event, delta('+')] });
    expect(text((await relay.next()).value as StreamEvent)).toBe('a');
    expect(await readAllBatches(relay)).toEqual([['+'], ['b', '+', 'c', '+']]);
  });
});
