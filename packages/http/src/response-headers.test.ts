/** What the gateway tells a caller in headers: request id, who served, attempts, cost, warnings. */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogCost, startTestFleet, type TestFleet } from './test-gateway.ts';

let fleet: TestFleet;
let client: OpenAI;
beforeAll(async () => {
  fleet = await startTestFleet();
  client = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
});
afterAll(() => fleet.close());

const usage = { inputTokens: 1_000, outputTokens: 500 };

describe('response headers', () => {
  it('names the provider, model, backend and attempts, and prices the reply', async () => {
    fleet.upstreams.openai.setReply({ text: 'ok', usage });
    const { response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(response.headers.get('x-matey-provider')).toBe('openai');
    expect(response.headers.get('x-matey-model')).toBe('gpt-4o-mini');
    expect(response.headers.get('x-matey-backend')).toBe('openai');
    expect(response.headers.get('x-matey-attempts')).toBe('1');
    const expected = catalogCost({
      id: '',
      model: 'gpt-4o-mini',
      provider: 'openai',
      content: [],
      finishReason: 'stop',
      usage: { ...usage, totalTokens: 1_500 },
      warnings: [],
    });
    expect(expected).toBeGreaterThan(0);
    expect(Number(response.headers.get('x-matey-cost-usd'))).toBeCloseTo(expected ?? Number.NaN, 8);
    expect(response.headers.get('x-matey-warnings')).toBeNull();
  });

  it('echoes a well-formed x-request-id and mints one otherwise, errors included', async () => {
    fleet.upstreams.openai.setReply({ text: 'ok' });
    const given = await client.chat.completions
      .create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-request-id': 'trace-42.a:b' } },
      )
      .withResponse();
    expect(given.response.headers.get('x-request-id')).toBe('trace-42.a:b');

    const minted = await fetch(`${fleet.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'bad id <script>' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const mintedId = minted.headers.get('x-request-id');
    expect(mintedId).toMatch(/^[\w.:-]+$/);
    expect(mintedId).not.toContain('script');

    const failed = await fetch(`${fleet.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-err' },
      body: '{"messages":',
    });
    expect(failed.status).toBe(400);
    expect(failed.headers.get('x-request-id')).toBe('trace-err');
  });

  it('says what the target could not express in x-matey-warnings, plain and streamed', async () => {
    fleet.upstreams.anthropic.setReply({ text: 'ok' });
    const params = {
      model: 'claude-sonnet-4-5',
      seed: 7,
      messages: [{ role: 'user' as const, content: 'hi' }],
    };
    const plain = await client.chat.completions.create(params).withResponse();
    expect(plain.response.headers.get('x-matey-warnings')).toMatch(/Anthropic has no seed setting/);

    const streamed = await client.chat.completions.create({ ...params, stream: true }).withResponse();
    expect(streamed.response.headers.get('x-matey-warnings')).toMatch(/seed/);
    expect(streamed.response.headers.get('x-matey-provider')).toBe('anthropic');
    expect(streamed.response.headers.get('x-matey-model')).toBe('claude-sonnet-4-5');
    expect(streamed.response.headers.get('x-matey-attempts')).toBe('1');
    expect(streamed.response.headers.get('x-request-id')).toBeTruthy();
    for await (const _chunk of streamed.data) {
      // drain
    }
  });
});
