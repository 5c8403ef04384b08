import { describe, expect, it } from 'vitest';
import { ChatStream } from './chat-stream.ts';
import type { StreamEvent } from './spec/stream.ts';
import { LazyStream, PrimedStream, StreamRelay } from './stream-relay.ts';

const delta = (text: string): StreamEvent => ({ type: 'text-delta', delta: text }) as StreamEvent;

/** A source that records how it was read and whether it was closed. */
function source(texts: string[], failAfter?: number) {
  const log: string[] = [];
  async function* events(): AsyncGenerator<StreamEvent> {
    try {
      for (const [index, text] of texts.entries()) {
        if (index === failAfter) throw new Error('upstream broke');
        log.push(`read ${text}`);
        yield delta(text);
      }
      log.push('end');
    } finally {
      log.push('closed');
    }
  }
  return { iterator: events(), log };
}

async function texts(stream: AsyncIterable<StreamEvent>): Promise<string[]> {
  const seen: string[] = [];
  for await (const event of stream) if (event.type === 'text-delta') seen.push(event.delta);
  return seen;
}

describe('StreamRelay', () => {
  it('passes events through a hook that maps, drops and splits them, then reports the end once', async () => {
    const { iterator } = source(['a', 'drop', 'split', 'b']);
    const calls: string[] = [];
    const relay = new StreamRelay(iterator, {
      event: (event) => {
        const text = event.type === 'text-delta' ? event.delta : '';
        if (text === 'drop') return undefined;
        if (text === 'split') return [delta('s1'), delta('s2')];
        return delta(text.toUpperCase());
      },
      end: () => calls.push('end'),
      cancel: () => calls.push('cancel'),
    });
    expect(await texts(relay)).toEqual(['A', 's1', 's2', 'B']);
    expect(calls).toEqual(['end']);
    expect(await relay.next()).toEqual({ done: true, value: undefined });
  });

  it('closes the source and calls cancel, not end, when the reader stops early', async () => {
    const { iterator, log } = source(['a', 'b', 'c']);
    const calls: string[] = [];
    const relay = new StreamRelay(iterator, {
      end: () => calls.push('end'),
      cancel: () => calls.push('cancel'),
    });
    for await (const _event of relay) break;
    expect(calls).toEqual(['cancel']);
    expect(log).toEqual(['read a', 'closed']);
  });

  it('gives the reader the error fail returns, and the source is not read again', async () => {
    const { iterator } = source(['a', 'b'], 1);
    const relay = new StreamRelay(iterator, {
      fail: (error) => new Error(`typed: ${(error as Error).message}`),
    });
    await expect(texts(relay)).rejects.toThrow('typed: upstream broke');
    expect(await relay.next()).toEqual({ done: true, value: undefined });
  });

  it('closes the source when a hook throws', async () => {
    const { iterator, log } = source(['a', 'b', 'c']);
    const relay = new StreamRelay(iterator, {
      event: () => {
        throw new Error('bad event');
      },
    });
    await expect(relay.next()).rejects.toThrow('bad event');
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['read a', 'closed']);
  });
});

describe('PrimedStream', () => {
  it('gives the result already read, then the rest, and closes the source when stopped before reading', async () => {
    const first = source(['a', 'b', 'c']);
    const head = await first.iterator.next();
    expect(await texts(new PrimedStream(head, first.iterator))).toEqual(['a', 'b', 'c']);

    const second = source(['a', 'b']);
    const primed = new PrimedStream(await second.iterator.next(), second.iterator);
    await primed.return();
    expect(second.log).toEqual(['read a', 'closed']);
  });
});

describe('LazyStream', () => {
  it('opens on the first read only, once, and a failed open ends the stream', async () => {
    let opened = 0;
    const lazy = new LazyStream(async () => {
      opened++;
      return source(['a', 'b']).iterator;
    });
    expect(opened).toBe(0);
    const [one, two] = await Promise.all([lazy.next(), lazy.next()]);
    expect([one.value, two.value]).toEqual([delta('a'), delta('b')]);
    expect(opened).toBe(1);

    const failing = new LazyStream(() => Promise.reject(new Error('no connection')));
    await expect(failing.next()).rejects.toThrow('no connection');
    expect(await failing.next()).toEqual({ done: true, value: undefined });
  });

  it('closes the opened stream when the reader stops while it opens', async () => {
    const { iterator, log } = source(['a', 'b']);
    let release: () => void = () => {};
    const lazy = new LazyStream(
      () => new Promise<AsyncIterator<StreamEvent>>((resolve) => (release = () => resolve(iterator))),
    );
    const reading = lazy.next();
    const stopping = lazy.return();
    release();
    await reading;
    await stopping;
    expect(log).toEqual(['read a', 'closed']);
  });

  it('backs ChatStream.map and onFinish, which see a cancelled stream as cancelled', async () => {
    const outcomes: string[] = [];
    const stream = ChatStream.from(new LazyStream(async () => source(['a', 'b']).iterator))
      .map((event) => (event.type === 'text-delta' ? delta(`${event.delta}!`) : event))
      .onFinish((outcome) => outcomes.push(outcome.status));
    for await (const event of stream) {
      expect(event).toEqual(delta('a!'));
      break;
    }
    expect(outcomes).toEqual(['cancelled']);
  });
});
