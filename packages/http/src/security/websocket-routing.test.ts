/**
 * WebSocket routing: a chat routes exactly as an HTTP call does (`provider/model`, bare model
 * ids, aliases, fallbacks); nothing pins it to the default provider unless the client chose one.
 */
import type { Middleware } from 'ai.matey.core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../test-gateway.ts';
import { type ChatSocket, openChatSocket } from './security-clients.ts';

const aliases: Middleware = {
  name: 'model-aliases',
  execute: (request, next) =>
    next(request.model === 'fast' ? { ...request, model: 'anthropic/claude-haiku-4-5' } : request),
};

let fleet: TestFleet;
let client: ChatSocket;
let openaiDown = false;
beforeAll(async () => {
  fleet = await startTestFleet({
    fallbackChain: ['anthropic/claude-haiku-4-5'],
    middleware: [aliases],
    openai: { reply: () => (openaiDown ? { status: 503 } : { text: 'from openai' }) },
    anthropic: { reply: { text: 'from anthropic' } },
  });
  client = await openChatSocket(fleet.wsUrl);
});
afterAll(async () => {
  client.close();
  await fleet.close();
});
beforeEach(() => {
  openaiDown = false;
  fleet.upstreams.openai.reset();
  fleet.upstreams.anthropic.reset();
});

describe('WebSocket routing', () => {
  it.each([
    { model: 'anthropic/claude-sonnet-4-5', lane: 'anthropic', upstreamModel: 'claude-sonnet-4-5' },
    { model: 'claude-sonnet-4-5', lane: 'anthropic', upstreamModel: 'claude-sonnet-4-5' },
    { model: 'fast', lane: 'anthropic', upstreamModel: 'claude-haiku-4-5' },
    { model: 'openai/gpt-4o-mini', lane: 'openai', upstreamModel: 'gpt-4o-mini' },
  ] as const)('sends $model to $lane as $upstreamModel', async ({ model, lane, upstreamModel }) => {
    expect(await client.chat({ content: 'hi', model })).toMatchObject({ type: 'done', provider: lane });
    expect(fleet.upstreams[lane].requests.map((request) => request.model)).toEqual([upstreamModel]);
    const other = lane === 'openai' ? 'anthropic' : 'openai';
    expect(fleet.upstreams[other].requests.length).toBe(0);
  });

  it('falls back as HTTP does when the chosen provider fails', async () => {
    openaiDown = true;
    const done = await client.chat({ content: 'hi', model: 'gpt-4o-mini' });
    expect(done).toMatchObject({ type: 'done', provider: 'anthropic', text: 'from anthropic' });
    const overHttp = await fetch(`${fleet.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(overHttp.headers.get('x-matey-backend')).toBe('anthropic');
  });

  it('still honours a provider the client chose with switch_provider', async () => {
    const chooser = await openChatSocket(fleet.wsUrl);
    chooser.send({ type: 'switch_provider', provider: 'anthropic' });
    await chooser.next((message) => message.type === 'provider_switched');
    expect(await chooser.chat({ content: 'hi', model: 'claude-haiku-4-5' })).toMatchObject({
      provider: 'anthropic',
    });
    chooser.close();
  });
});
