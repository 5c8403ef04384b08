/**
 * Unknown and cost-changing request fields: a field the codecs do not model is not sent upstream
 * unless the provider allows pass-through; a known field that multiplies the cost or steers the
 * route (`n`, `service_tier`, OpenRouter's `models`/`route`, Anthropic's `mcp_servers`) is
 * refused for a key with limits and carried for the others.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../test-gateway.ts';

const LIMITED = 'gw-limited-fields-51c8e0';
const OPEN = 'gw-open-fields-a93d27';
const KEYS = [
  { id: 'limited', key: LIMITED, allowedModels: ['openai/gpt-4o-mini', 'anthropic/claude-haiku-4-5'] },
  { id: 'open', key: OPEN },
];

let fleet: TestFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

async function openai(key: string, extra: Record<string, unknown>) {
  const response = await fetch(`${fleet?.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      ...extra,
    }),
  });
  return { status: response.status, body: (await response.json()) as { error?: Record<string, unknown> } };
}

async function anthropic(key: string, extra: Record<string, unknown>) {
  const response = await fetch(`${fleet?.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({
      model: 'anthropic/claude-haiku-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
      ...extra,
    }),
  });
  return { status: response.status, body: (await response.json()) as { error?: Record<string, unknown> } };
}

function upstreamBody(lane: 'openai' | 'anthropic'): Record<string, unknown> | undefined {
  return fleet?.upstreams[lane].requests.at(-1)?.body as Record<string, unknown> | undefined;
}

describe('extra request fields', () => {
  it.each([
    { n: 50 },
    { service_tier: 'priority' },
    { models: ['openai/gpt-4o', 'anthropic/claude-opus-4-1'] },
    { route: 'fallback' },
  ])('refuses %j for a key with limits, before any upstream call', async (extra) => {
    fleet = await startTestFleet({ gateway: { keys: KEYS } });
    const reply = await openai(LIMITED, extra);
    expect(reply.status).toBe(403);
    expect(reply.body.error).toMatchObject({ code: 'parameter_not_allowed', param: Object.keys(extra)[0] });
    expect(fleet.upstreams.openai.requests.length).toBe(0);
  });

  it("refuses Anthropic's mcp_servers for a key with limits, in Anthropic's format", async () => {
    fleet = await startTestFleet({ gateway: { keys: KEYS } });
    const reply = await anthropic(LIMITED, {
      mcp_servers: [{ type: 'url', url: 'https://mcp.evil.example' }],
    });
    expect(reply.status).toBe(403);
    expect(reply.body).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
    expect(fleet.upstreams.anthropic.requests.length).toBe(0);
  });

  it('carries the default values of those fields for a key with limits, and any value for others', async () => {
    fleet = await startTestFleet({ gateway: { keys: KEYS } });
    expect((await openai(LIMITED, { n: 1, service_tier: 'auto', logprobs: true })).status).toBe(200);
    expect(upstreamBody('openai')).toMatchObject({ n: 1, service_tier: 'auto', logprobs: true });
    expect((await openai(OPEN, { n: 2 })).status).toBe(200);
    expect(upstreamBody('openai')).toMatchObject({ n: 2 });
  });

  it('refuses a field no codec knows (400) for every key, and sends nothing upstream', async () => {
    fleet = await startTestFleet({ gateway: { keys: KEYS } });
    const reply = await openai(OPEN, { frobnicate: true });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: 'unknown_parameter', param: 'frobnicate' });
    expect(fleet.upstreams.openai.requests.length).toBe(0);
  });

  it('passes an unknown field only to a provider configured for pass-through', async () => {
    fleet = await startTestFleet({ gateway: { keys: KEYS, passThroughProviders: ['openai'] } });
    expect((await openai(OPEN, { frobnicate: true })).status).toBe(200);
    expect(upstreamBody('openai')).toMatchObject({ frobnicate: true });
    const toAnthropic = await anthropic(OPEN, { frobnicate: true });
    expect(toAnthropic.status).toBe(400);
    expect(JSON.stringify(toAnthropic.body)).toMatch(/provider 'anthropic' does not take/);
    expect(fleet.upstreams.anthropic.requests.length).toBe(0);
  });
});
