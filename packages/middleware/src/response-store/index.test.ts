import { Bridge, InvalidRequestError, type Message, NetworkError } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.ts';
import type { KeyValueStore } from '../store/store.ts';
import { createResponseStoreMiddleware } from './index.ts';

const user = (content: string): Message => ({ role: 'user', content });
const stored = { storeResponse: true };

describe('response store middleware', () => {
  it('continues a stored reply by its id, without the first call’s instructions', async () => {
    const backend = new MockBackend();
    const bridge = new Bridge({ backend, middleware: [createResponseStoreMiddleware()] });
    const first = await bridge.execute({
      messages: [{ role: 'system', content: 'Talk like a pirate.' }, user('My name is Ada.')],
      metadata: { ...stored, instructionMessages: 1 },
    });
    await bridge.execute({
      messages: [{ role: 'system', content: 'Be brief.' }, user('My name?')],
      metadata: { ...stored, instructionMessages: 1, previousResponseId: first.id },
    });
    expect(backend.calls[1]?.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      user('My name is Ada.'),
      { role: 'assistant', content: [{ type: 'text', text: 'Echo: My name is Ada.' }] },
      user('My name?'),
    ]);
  });

  it('answers an unknown id with a 404, and leaves requests that ask for nothing untouched', async () => {
    const store = new MemoryStore();
    const backend = new MockBackend();
    const bridge = new Bridge({ backend, middleware: [createResponseStoreMiddleware({ store })] });
    const missing = await bridge
      .execute({ messages: [user('hi')], metadata: { previousResponseId: 'resp_gone' } })
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(InvalidRequestError);
    expect(missing).toMatchObject({
      status: 404,
      code: 'previous_response_not_found',
      param: 'previous_response_id',
    });
    const plain = await bridge.execute({ messages: [user('stateless')] });
    expect(await store.get(`responses:${plain.id}`)).toBeUndefined();
    expect(backend.calls.at(-1)?.messages).toEqual([user('stateless')]);
  });

  it('stores a stream once it completes, not a failed one, and never fails a reply for the store', async () => {
    const backend = new MockBackend();
    const bridge = new Bridge({ backend, middleware: [createResponseStoreMiddleware()] });
    const first = await bridge.stream({ messages: [user('first')], metadata: stored }).collect();
    backend.enqueue({ text: 'a long answer that breaks', failAfterEvents: 2 });
    let brokenId = '';
    await expect(
      (async () => {
        for await (const event of bridge.stream({ messages: [user('broken')], metadata: stored }))
          if (event.type === 'start') brokenId = event.id;
      })(),
    ).rejects.toBeInstanceOf(NetworkError);
    await bridge.execute({ messages: [user('next')], metadata: { ...stored, previousResponseId: first.id } });
    expect(backend.calls.at(-1)?.messages.map((message) => message.content)).toEqual([
      'first',
      [{ type: 'text', text: 'Echo: first' }],
      'next',
    ]);
    await expect(
      bridge.execute({ messages: [user('x')], metadata: { previousResponseId: brokenId } }),
    ).rejects.toMatchObject({ status: 404 });

    const failing: KeyValueStore = {
      get: async () => undefined,
      set: async () => Promise.reject(new Error('store down')),
      delete: async () => {},
      increment: async () => 0,
    };
    const unlucky = new Bridge({ backend, middleware: [createResponseStoreMiddleware({ store: failing })] });
    expect((await unlucky.execute({ messages: [user('still answered')], metadata: stored })).content).toEqual(
      [{ type: 'text', text: 'Echo: still answered' }],
    );
  });
});
