/**
 * Fallback policy: every upstream attempt is checked against the key's allowed models, so a
 * fallback (or a retry) never serves a key with a model outside its list; the Router skips such
 * a fallback and says so when none remains.
 */
import type { Middleware } from 'ai.matey.core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../test-gateway.ts';
import { openChatSocket } from './security-clients.ts';

const CHEAP = 'gw-cheap-4e1b7a9c03';
const BOTH = 'gw-both-8d0f2c6e51';
const ALIASES = { cheap: 'gpt-4o-mini' };

// The alias middleware as the CLI builds it: `cheap` becomes its target before routing.
const aliases: Middleware = {
  name: 'model-aliases',
  execute: (request, next) => {
    const target = request.model ? ALIASES[request.model as keyof typeof ALIASES] : undefined;
    return next(target ? { ...request, model: target } : request);
  },
};

let fleet: TestFleet;
let openaiDown = true;
beforeAll(async () => {
  fleet = await startTestFleet({
    fallbackChain: ['anthropic/claude-haiku-4-5'],
    middleware: [aliases],
    gateway: {
      keys: [
        { id: 'cheap', key: CHEAP, allowedModels: ['cheap'] },
        { id: 'both', key: BOTH, allowedModels: ['cheap', 'anthropic/claude-haiku-4-5'] },
      ],
      modelAliases: ALIASES,
    },
    openai: { reply: () => (openaiDown ? { status: 503 } : { text: 'from openai' }) },
    anthropic: { reply: { text: 'from anthropic' } },
  });
});
afterAll(() => fleet.close());
beforeEach(() => {
  openaiDown = true;
  fleet.upstreams.openai.reset();
  fleet.upstreams.anthropic.reset();
});

function chat(key: string, model = 'cheap') {
  return fetch(`${fleet.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

describe('fallbacks under a key policy', () => {
  it('serves a key limited to cheap with its alias target while the primary is up', async () => {
    openaiDown = false;
    const reply = await chat(CHEAP);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-matey-backend')).toBe('openai');
  });

  it('never falls back to a model outside the key list, and says so', async () => {
    const reply = await chat(CHEAP);
    const body = (await reply.json()) as { error: { message: string } };
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(body.error.message).toMatch(/may not use model 'anthropic\/claude-haiku-4-5'/);
    expect(fleet.upstreams.openai.requests.length).toBe(1);
    expect(fleet.upstreams.anthropic.requests.length).toBe(0);
  });

  it('falls back for a key allowed the fallback model (the chain does work)', async () => {
    const reply = await chat(BOTH);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-matey-backend')).toBe('anthropic');
    expect(fleet.upstreams.anthropic.requests.at(-1)?.model).toBe('claude-haiku-4-5');
  });

  it('holds over the WebSocket too', async () => {
    const cheap = await openChatSocket(fleet.wsUrl, { headers: { 'x-api-key': CHEAP } });
    const refused = await cheap.chat({ content: 'hi', model: 'cheap' });
    expect(refused).toMatchObject({ type: 'error' });
    expect(JSON.stringify(refused)).toMatch(/may not use model 'anthropic\/claude-haiku-4-5'/);
    expect(fleet.upstreams.anthropic.requests.length).toBe(0);
    const both = await openChatSocket(fleet.wsUrl, { headers: { 'x-api-key': BOTH } });
    expect(await both.chat({ content: 'hi', model: 'cheap' })).toMatchObject({
      type: 'done',
      provider: 'anthropic',
    });
    cheap.close();
    both.close();
  });
});

describe('a call whose every fallback the key may not use', () => {
  it.each([
    ['/v1/chat/completions', 503, 'openai'],
    ['/v1/messages', 529, 'anthropic'],
  ] as const)(
    'answers with the primary upstream failure, not the refusal (%s)',
    async (path, status, format) => {
      const reply = await fetch(`${fleet.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${CHEAP}` },
        body: JSON.stringify({ model: 'cheap', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
      });
      const body = (await reply.json()) as { error: { message: string; type: string; code?: string } };
      // The primary was overloaded: that is what the caller may wait out and retry, not a 403.
      expect(reply.status).toBe(status);
      expect(body.error.type).toBe(format === 'anthropic' ? 'overloaded_error' : 'server_error');
      expect(body.error.message).toMatch(
        /not tried, not allowed: anthropic: .*may not use model 'anthropic\/claude-haiku-4-5'/,
      );
      expect(reply.headers.get('x-matey-backend')).toBe('openai');
      expect(reply.headers.get('x-matey-attempts')).toBe('1');
      expect(fleet.upstreams.openai.requests.length).toBe(1);
      expect(fleet.upstreams.anthropic.requests.length).toBe(0);
    },
  );

  it('says so over the WebSocket too, with the same status and count', async () => {
    const cheap = await openChatSocket(fleet.wsUrl, { headers: { 'x-api-key': CHEAP } });
    const frame = await cheap.chat({ content: 'hi', model: 'cheap' });
    cheap.close();
    expect(frame).toMatchObject({ type: 'error', error: { status: 503, attempts: 1, backend: 'openai' } });
  });

  it('a model refused before any upstream call reports 0 attempts', async () => {
    const reply = await chat(CHEAP, 'gpt-4o');
    expect(reply.status).toBe(403);
    expect(reply.headers.get('x-matey-attempts')).toBe('0');
    expect(fleet.upstreams.openai.requests.length).toBe(0);
  });
});
