/** Gateway API keys: who may call, which models a key may use, and that no secret is ever echoed. */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayKeyring, hashKey } from './gateway-keys.ts';
import { startTestFleet, type TestFleet, UPSTREAM_KEY } from './test-gateway.ts';

const FULL_KEY = 'gw-full-9d2c41aa7e';
const NARROW_KEY = 'gw-narrow-5be07f13c8';
const WRONG_KEY = 'gw-wrong-0a1b2c3d4e';

let fleet: TestFleet;
const upstreamAuth: string[] = [];
beforeAll(async () => {
  fleet = await startTestFleet({
    gateway: {
      keys: [
        { id: 'full', key: FULL_KEY },
        // Configured by hash: the secret never sits in the gateway's config.
        { id: 'narrow', sha256: hashKey(NARROW_KEY), allowedModels: ['openai/gpt-4o*'] },
      ],
    },
    openai: {
      reply: (_request, context) => {
        upstreamAuth.push(String(context.headers.authorization));
        return { text: 'ok' };
      },
    },
  });
});
afterAll(() => fleet.close());

async function chat(headers: Record<string, string>, model = 'openai/gpt-4o-mini') {
  const response = await fetch(`${fleet.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
  const text = await response.text();
  const headerText = JSON.stringify([...response.headers]);
  return { status: response.status, text, echoed: `${headerText}${text}` };
}

describe('gateway keys', () => {
  it('refuses a call with no key with 401', async () => {
    const reply = await chat({});
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.text)).toMatchObject({ error: { type: 'authentication_error' } });
    expect(reply.text).toMatch(/Missing API key/);
  });

  it('refuses a wrong key with 401 and never echoes it', async () => {
    const attempts: Array<Record<string, string>> = [
      { authorization: `Bearer ${WRONG_KEY}` },
      { 'x-api-key': WRONG_KEY },
    ];
    for (const headers of attempts) {
      const reply = await chat(headers);
      expect(reply.status).toBe(401);
      expect(reply.text).toMatch(/Invalid API key/);
      expect(reply.echoed).not.toContain(WRONG_KEY);
    }
  });

  it('accepts a key as Bearer and as x-api-key, and sends upstream only its own key', async () => {
    upstreamAuth.length = 0;
    const bearer = await chat({ authorization: `Bearer ${FULL_KEY}` });
    const apiKey = await chat({ 'x-api-key': FULL_KEY });
    expect([bearer.status, apiKey.status]).toEqual([200, 200]);
    expect(upstreamAuth).toEqual([`Bearer ${UPSTREAM_KEY}`, `Bearer ${UPSTREAM_KEY}`]);
    for (const reply of [bearer, apiKey]) {
      expect(reply.echoed).not.toContain(FULL_KEY);
      expect(reply.echoed).not.toContain(UPSTREAM_KEY);
    }
  });

  it('lets the official clients in with their usual key headers', async () => {
    const openai = new OpenAI({ apiKey: FULL_KEY, baseURL: `${fleet.url}/v1`, maxRetries: 0 });
    const completion = await openai.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0]?.message.content).toBe('ok');
    fleet.upstreams.anthropic.setReply({ text: 'ok too' });
    const anthropic = new Anthropic({ apiKey: FULL_KEY, baseURL: fleet.url, maxRetries: 0 });
    const message = await anthropic.messages.create({
      model: 'anthropic/claude-sonnet-4-5',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'ok too' });
  });

  it('refuses a model outside the key allowedModels with 403', async () => {
    const allowed = await chat({ authorization: `Bearer ${NARROW_KEY}` }, 'openai/gpt-4o-mini');
    expect(allowed.status).toBe(200);
    const refused = await chat({ authorization: `Bearer ${NARROW_KEY}` }, 'anthropic/claude-sonnet-4-5');
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toMatchObject({
      error: { type: 'permission_error', code: 'model_not_allowed', param: 'model' },
    });
    expect(refused.echoed).not.toContain(NARROW_KEY);

    const anthropic = new Anthropic({ apiKey: NARROW_KEY, baseURL: fleet.url, maxRetries: 0 });
    const error = await anthropic.messages
      .create({
        model: 'anthropic/claude-sonnet-4-5',
        max_tokens: 8,
        messages: [{ role: 'user', content: 'hi' }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.PermissionDeniedError);
  });

  it('guards the model list too, in the caller format', async () => {
    const open = await fetch(`${fleet.url}/v1/models`);
    expect(open.status).toBe(401);
    expect(await open.json()).toMatchObject({ error: { type: 'authentication_error' } });
    const anthropicStyle = await fetch(`${fleet.url}/v1/models`, {
      headers: { 'anthropic-version': '2023-06-01', 'x-api-key': WRONG_KEY },
    });
    expect(anthropicStyle.status).toBe(401);
    const text = await anthropicStyle.text();
    expect(JSON.parse(text)).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(text).not.toContain(WRONG_KEY);
    const allowed = await fetch(`${fleet.url}/v1/models`, {
      headers: { authorization: `Bearer ${FULL_KEY}` },
    });
    expect(allowed.status).toBe(200);
  });

  it('lists to a key only the models it may use', async () => {
    const list = async (key: string) => {
      const openai = new OpenAI({ apiKey: key, baseURL: `${fleet.url}/v1`, maxRetries: 0 });
      const ids: string[] = [];
      for await (const model of openai.models.list()) ids.push(model.id);
      return ids;
    };
    const full = await list(FULL_KEY);
    const narrow = await list(NARROW_KEY);
    expect(full.some((id) => id.includes('claude'))).toBe(true);
    expect(narrow.length).toBeGreaterThan(0);
    expect(narrow.length).toBeLessThan(full.length);
    for (const id of narrow) expect(id).toMatch(/gpt-4o/);
  });
});

describe('GatewayKeyring', () => {
  it('keeps no secret: neither in its keys nor when serialised', async () => {
    const keyring = new GatewayKeyring([{ id: 'a', key: FULL_KEY, allowedModels: ['x'] }]);
    const key = await keyring.authenticate(FULL_KEY);
    expect(key).toEqual({ id: 'a', allowedModels: ['x'] });
    expect(JSON.stringify(keyring)).not.toContain(FULL_KEY);
  });

  it('refuses a config with neither a key nor a valid hash', () => {
    expect(() => new GatewayKeyring([{ id: 'broken', sha256: 'not-hex' }])).toThrow(/broken/);
  });
});
