import { Bridge, type Message, NetworkError } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.ts';
import { createHistoryMiddleware } from './index.ts';
import { trimHistory } from './trim-history.ts';

const user = (content: string): Message => ({ role: 'user', content });
const session = (id: string) => ({ sessionId: id });

describe('history middleware', () => {
  it('prepends the stored conversation and stores each turn with its reply (execute)', async () => {
    const backend = new MockBackend();
    const history = createHistoryMiddleware();
    const bridge = new Bridge({ backend, middleware: [history] });

    await bridge.execute({
      messages: [{ role: 'system', content: 'Be brief.' }, user('My name is Ada.')],
      metadata: session('s1'),
    });
    await bridge.execute({ messages: [user('What is my name?')], metadata: session('s1') });

    expect(backend.calls[1]?.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      user('My name is Ada.'),
      { role: 'assistant', content: [{ type: 'text', text: 'Echo: My name is Ada.' }] },
      user('What is my name?'),
    ]);
    expect(await history.getHistory('s1')).toHaveLength(5);
    // Another session and a request without a session are untouched.
    await bridge.execute({ messages: [user('hi')], metadata: session('s2') });
    await bridge.execute({ messages: [user('stateless')] });
    expect(backend.calls[2]?.messages).toEqual([user('hi')]);
    expect(backend.calls[3]?.messages).toEqual([user('stateless')]);
  });

  it('records a stream once it completes, and not a failed or cancelled one', async () => {
    const backend = new MockBackend();
    const history = createHistoryMiddleware();
    const bridge = new Bridge({ backend, middleware: [history] });

    await bridge.stream({ messages: [user('first turn')], metadata: session('s') }).collect();
    expect(await history.getHistory('s')).toEqual([
      user('first turn'),
      { role: 'assistant', content: [{ type: 'text', text: 'Echo: first turn' }] },
    ]);

    backend.enqueue({ text: 'a long answer that breaks', failAfterEvents: 2 });
    await expect(
      bridge.stream({ messages: [user('failing turn')], metadata: session('s') }).collect(),
    ).rejects.toBeInstanceOf(NetworkError);

    backend.enqueue({ text: 'one two three four five six' });
    for await (const event of bridge.stream({ messages: [user('cancelled turn')], metadata: session('s') })) {
      if (event.type === 'text-delta') break;
    }

    expect(await history.getHistory('s')).toHaveLength(2);
    await bridge.execute({ messages: [user('next')], metadata: session('s') });
    expect(backend.calls.at(-1)?.messages.map((message) => message.content)).toEqual([
      'first turn',
      [{ type: 'text', text: 'Echo: first turn' }],
      'next',
    ]);
  });

  it('drops the oldest turns to stay within maxMessages, keeping the system message', async () => {
    const backend = new MockBackend();
    const history = createHistoryMiddleware({ maxMessages: 5 });
    const bridge = new Bridge({ backend, middleware: [history] });
    await bridge.execute({
      messages: [{ role: 'system', content: 'sys' }, user('one')],
      metadata: session('m'),
    });
    await bridge.execute({ messages: [user('two')], metadata: session('m') });
    await bridge.execute({ messages: [user('three')], metadata: session('m') });

    // system + "two" turn (2) + "three" (pinned): the "one" turn was dropped to fit 5.
    expect(backend.calls[2]?.messages.map((message) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
      'user',
    ]);
    expect(backend.calls[2]?.messages[1]).toEqual(user('two'));
    const stored = await history.getHistory('m');
    expect(stored).toHaveLength(5);
    expect(stored[0]).toEqual({ role: 'system', content: 'sys' });
    expect(stored[1]).toEqual(user('two'));
  });

  it('forgets a conversation after its TTL', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now });
    const backend = new MockBackend();
    const bridge = new Bridge({ backend, middleware: [createHistoryMiddleware({ store, ttlMs: 60_000 })] });
    await bridge.execute({ messages: [user('remember me')], metadata: session('t') });
    now += 59_000;
    await bridge.execute({ messages: [user('still there?')], metadata: session('t') });
    expect(backend.calls[1]?.messages).toHaveLength(3);
    now += 61_000;
    await bridge.execute({ messages: [user('and now?')], metadata: session('t') });
    expect(backend.calls[2]?.messages).toEqual([user('and now?')]);
  });
});

describe('trimHistory', () => {
  const toolTurn: Message[] = [
    user('weather in Paris?'),
    {
      role: 'assistant',
      content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'weather', arguments: '{"city":"Paris"}' }],
    },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', content: '18°C' }] },
    { role: 'assistant', content: 'It is 18°C.' },
  ];
  const countTokens = (message: Message) => JSON.stringify(message.content).length;

  it('never splits a tool call from its result', () => {
    const history = [...toolTurn, user('thanks'), { role: 'assistant' as const, content: 'welcome' }];
    // 5 messages would fit if the turn could be cut in the middle; it cannot, so it goes whole.
    const kept = trimHistory(undefined, history, { maxMessages: 5, countTokens });
    expect(kept).toEqual([user('thanks'), { role: 'assistant', content: 'welcome' }]);
    expect(trimHistory(undefined, history, { maxMessages: 6, countTokens })).toEqual(history);
  });

  it('drops the oldest turns to fit maxTokens, counting the system message and the pinned turn', () => {
    const system: Message = { role: 'system', content: 'sys' };
    const history = [user('aaaaaaaaaa'), { role: 'assistant' as const, content: 'bbbbbbbbbb' }, user('cc')];
    const pinned = [user('dd')];
    // system 5 + "aaaa…" 12 + "bbbb…" 12 + "cc" 4 + "dd" 4 = 37 tokens
    expect(trimHistory(system, history, { maxTokens: 37, countTokens }, pinned)).toHaveLength(4);
    expect(trimHistory(system, history, { maxTokens: 36, countTokens }, pinned)).toEqual([
      system,
      user('cc'),
    ]);
  });
});
