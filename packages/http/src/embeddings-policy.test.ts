/**
 * `POST /v1/embeddings` holds calls to the gateway's policy: bad input, unknown or chat models, a
 * backend without embeddings, a key's models, rate limit and budget, each refused with an
 * OpenAI-format error the official `openai` client reads, and nothing sent upstream.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BUDGETED_KEY,
  type EmbeddingsGateway,
  GATEWAY_KEY,
  LIMITED_KEY,
  startEmbeddingsGateway,
  THROTTLED_KEY,
} from './test-support/embeddings-gateway.ts';

let gateway: EmbeddingsGateway;
let upstream: EmbeddingsGateway['upstream'];
let client: EmbeddingsGateway['client'];

beforeAll(async () => {
  gateway = await startEmbeddingsGateway();
  ({ upstream, client } = gateway);
});
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const inputs = ['sunny day at the beach', 'rainy day in the city'];

describe('embeddings.create: bad input gets an OpenAI-format 4xx', () => {
  const refusal = async (body: Record<string, unknown>, key = GATEWAY_KEY) => {
    const raw = await fetch(`${gateway.running.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    return { status: raw.status, error: ((await raw.json()) as { error: Record<string, unknown> }).error };
  };

  it('refuses empty and mistyped input naming the field', async () => {
    for (const input of ['', [], [''], 42, [{ text: 'x' }], ['a', 1]]) {
      const { status, error } = await refusal({ model: 'text-embedding-3-small', input });
      expect(status, JSON.stringify(input)).toBe(400);
      expect(error).toMatchObject({ type: 'invalid_request_error', param: expect.stringMatching(/^input/) });
    }
    expect((await refusal({ input: 'x' })).error).toMatchObject({ param: 'model' });
    expect((await refusal({ model: 'm', input: 'x', dimensions: -1 })).error).toMatchObject({
      param: 'dimensions',
    });
    expect(upstream.requests).toHaveLength(0);
  });

  it('an unknown model is a 404, a chat model or a backend without embeddings a 400', async () => {
    const unknown = await client.embeddings
      .create({ model: 'no-such-model', input: 'x' })
      .catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    const chatModel = await client.embeddings
      .create({ model: 'gpt-4o-mini', input: 'x' })
      .catch((error: unknown) => error);
    expect(chatModel).toBeInstanceOf(OpenAI.BadRequestError);
    expect((chatModel as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(
      /not an embedding model/,
    );
    const noEmbed = await client.embeddings
      .create({ model: 'claude-sonnet-4-5', input: 'x' })
      .catch((error: unknown) => error);
    expect(noEmbed).toBeInstanceOf(OpenAI.BadRequestError);
    expect((noEmbed as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(
      /does not serve embeddings/,
    );
    expect(upstream.requests).toHaveLength(0);
  });

  it('holds embeddings to the same key policy as chat: a wrong key, a model the key may not use', async () => {
    expect((await refusal({ model: 'text-embedding-3-small', input: 'x' }, 'wrong-key')).status).toBe(401);
    const denied = await refusal({ model: 'text-embedding-3-small', input: 'x' }, LIMITED_KEY);
    expect(denied).toMatchObject({ status: 403, error: { code: 'model_not_allowed' } });
    const allowed = await refusal({ model: 'gemini/gemini-embedding-001', input: 'x' }, LIMITED_KEY);
    expect(allowed.status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
  });

  it("counts embeddings against a key's rate limit and daily budget, as chat calls", async () => {
    const body = { model: 'text-embedding-3-small', input: inputs };
    expect((await refusal(body, THROTTLED_KEY)).status).toBe(200);
    expect(await refusal(body, THROTTLED_KEY)).toMatchObject({
      status: 429,
      error: { code: 'rate_limit_exceeded' },
    });
    // $0.000001 a day: the first batch (12 tokens, $0.00000024) fits; the second's worst case does not.
    expect((await refusal(body, BUDGETED_KEY)).status).toBe(200);
    const spent = await refusal(body, BUDGETED_KEY);
    expect(spent.status).toBe(429);
    expect(spent.error.message).toMatch(/budget of \$0\.000001 per 1 d for "budgeted" would be exceeded/);
    expect(upstream.requests).toHaveLength(2);
  });
});
