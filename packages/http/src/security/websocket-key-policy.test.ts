/**
 * Key policy on every front-end: a key's rate limit, budget and allowed models hold over the
 * WebSocket exactly as over HTTP, because both pass the same policy point (and share its counters).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../test-gateway.ts';
import { openChatSocket } from './security-clients.ts';

const LIMITED = 'gw-limited-3a8f61c0d2';
const BROKE = 'gw-broke-92e4b7a155';
const RICH = 'gw-rich-0f5c3d7e81';
const NARROW = 'gw-narrow-6d2a90b4e7';

let fleet: TestFleet;
beforeAll(async () => {
  fleet = await startTestFleet({
    gateway: {
      keys: [
        { id: 'limited', key: LIMITED, requestsPerMinute: 3 },
        // Less than any call's estimate: refused before it is made.
        { id: 'broke', key: BROKE, budgetUsdPerDay: 0.000_001 },
        { id: 'rich', key: RICH, budgetUsdPerDay: 100 },
        { id: 'narrow', key: NARROW, allowedModels: ['openai/gpt-4o-mini'] },
      ],
    },
  });
});
afterAll(() => fleet.close());

function http(key: string, model: string) {
  return fetch(`${fleet.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

describe('key policy over the WebSocket', () => {
  it('gives a key limited to 3 a minute 3 chats, then 429, and counts HTTP calls in the same limit', async () => {
    const client = await openChatSocket(fleet.wsUrl, { headers: { authorization: `Bearer ${LIMITED}` } });
    const before = fleet.upstreams.openai.requests.length;
    const frames = [];
    for (let i = 0; i < 5; i++)
      frames.push(await client.chat({ content: `call ${i}`, model: 'gpt-4o-mini' }));
    expect(frames.map((frame) => frame.type)).toEqual(['done', 'done', 'done', 'error', 'error']);
    expect(frames[3]).toMatchObject({
      error: { kind: 'rate-limited', status: 429, code: 'rate_limit_exceeded' },
    });
    expect(fleet.upstreams.openai.requests.length - before).toBe(3);
    expect((await http(LIMITED, 'gpt-4o-mini')).status).toBe(429);
    client.close();
  });

  it('refuses an over-budget key over the WebSocket as over HTTP, and serves a key with budget left', async () => {
    const before = fleet.upstreams.openai.requests.length;
    const broke = await openChatSocket(fleet.wsUrl, { headers: { authorization: `Bearer ${BROKE}` } });
    const refused = await broke.chat({ content: 'hi', model: 'openai/gpt-4o' });
    expect(refused).toMatchObject({ type: 'error', error: { kind: 'budget-exceeded' } });
    const overHttp = await http(BROKE, 'openai/gpt-4o');
    expect(overHttp.status).toBe((refused as { error: { status: number } }).error.status);
    expect(fleet.upstreams.openai.requests.length).toBe(before);

    const rich = await openChatSocket(fleet.wsUrl, { headers: { authorization: `Bearer ${RICH}` } });
    expect(await rich.chat({ content: 'hi', model: 'openai/gpt-4o' })).toMatchObject({ type: 'done' });
    broke.close();
    rich.close();
  });

  it('refuses over the WebSocket a model the key is refused over HTTP', async () => {
    const before = fleet.upstreams.openai.requests.length;
    expect((await http(NARROW, 'openai/gpt-4o')).status).toBe(403);
    const client = await openChatSocket(fleet.wsUrl, { headers: { authorization: `Bearer ${NARROW}` } });
    expect(await client.chat({ content: 'hi', model: 'openai/gpt-4o' })).toMatchObject({
      type: 'error',
      error: { kind: 'permission', status: 403, code: 'model_not_allowed' },
    });
    // By provider choice too: the model is checked under the provider it would go to.
    client.send({ type: 'switch_provider', provider: 'openai' });
    await client.next((message) => message.type === 'provider_switched');
    expect(await client.chat({ content: 'hi', model: 'gpt-4o' })).toMatchObject({
      type: 'error',
      error: { code: 'model_not_allowed' },
    });
    expect(fleet.upstreams.openai.requests.length).toBe(before);
    expect(await client.chat({ content: 'hi', model: 'gpt-4o-mini' })).toMatchObject({ type: 'done' });
    client.close();
  });
});
