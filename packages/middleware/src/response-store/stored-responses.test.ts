import { Bridge, InvalidRequestError } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.ts';
import { createResponseStoreMiddleware } from './index.ts';
import { StoredResponses } from './stored-responses.ts';

describe('StoredResponses', () => {
  it('keeps a reply for the key that made it, under its id hash, and for no other key', async () => {
    const store = new MemoryStore();
    const replies = new StoredResponses({ store });
    const bridge = new Bridge({
      backend: new MockBackend({ reply: { text: 'mine' } }),
      middleware: [createResponseStoreMiddleware(replies)],
    });
    const echo = { instructions: 'Be brief.' };
    const reply = await bridge.execute({
      messages: [{ role: 'user', content: 'hi' }],
      metadata: { storeResponse: true, apiKeyId: 'team-a', replyEcho: echo },
    });
    const stored = await replies.get(reply.id, 'team-a');
    expect(stored?.response?.content).toEqual(reply.content);
    expect(stored?.echo).toEqual(echo);
    // The key's id is not in the store, only its hash.
    expect(JSON.stringify(await store.get(`responses:${reply.id}`))).not.toContain('team-a');
    expect(await replies.get(reply.id, 'team-b')).toBeUndefined();
    expect(await replies.get(reply.id, undefined)).toBeUndefined();
    expect(await replies.delete(reply.id, 'team-b')).toBe(false);

    // Another key cannot continue it either: the same 404 as an unknown id.
    const continued = bridge.execute({
      messages: [{ role: 'user', content: 'more' }],
      metadata: { previousResponseId: reply.id, apiKeyId: 'team-b' },
    });
    await expect(continued).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(continued).rejects.toMatchObject({ status: 404, code: 'previous_response_not_found' });

    expect(await replies.delete(reply.id, 'team-a')).toBe(true);
    expect(await replies.get(reply.id, 'team-a')).toBeUndefined();
  });

  it('reads a record stored before replies had owners (a bare conversation) for any key', async () => {
    const store = new MemoryStore();
    await store.set('responses:resp_old', [{ role: 'user', content: 'hi' }]);
    const stored = await new StoredResponses({ store }).get('resp_old', 'team-a');
    expect(stored).toEqual({ messages: [{ role: 'user', content: 'hi' }] });
  });
});
