/**
 * The official `openai` client's `embeddings.create` through a gateway with `type: bedrock` to a
 * mock upstream speaking Bedrock's InvokeModel (SigV4 checked on every call, deterministic
 * vectors): Titan one text a call and Cohere 96 a call, the vectors back whole and in order, as
 * floats and base64; a wrong secret gets Bedrock's 403.
 */
import type { RunningGateway } from 'ai.matey.http';
import { deterministicVector, type MockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type Closables,
  credentials,
  gatewayKey as key,
  startBedrockGateway,
  startBedrockUpstream,
} from './test-support/bedrock-gateway.ts';

const TITAN = 'amazon.titan-embed-text-v2:0';
const COHERE = 'cohere.embed-multilingual-v3';
const open: Closables = [];
let upstream: MockUpstream;
let server: RunningGateway;

beforeAll(async () => {
  upstream = await startBedrockUpstream(open);
  server = await startBedrockGateway(upstream, credentials.secretAccessKey, open);
});
afterAll(async () => {
  for (const item of open.reverse()) await item.close();
});
beforeEach(() => upstream.reset());

const openai = (url = server.url) => new OpenAI({ baseURL: `${url}/v1`, apiKey: key, maxRetries: 0 });
const texts = (count: number) => Array.from({ length: count }, (_, index) => `line ${index}`);

describe('OpenAI client embeddings.create → gateway → Bedrock InvokeModel', () => {
  it('Titan: one signed call per text, the vectors in order as floats and as base64', async () => {
    const inputs = texts(12);
    const { data, response } = await openai()
      .embeddings.create({ model: TITAN, input: inputs, dimensions: 256, encoding_format: 'float' })
      .withResponse();
    const expected = inputs.map((input) => deterministicVector(input, 256));
    expect(data.data.map((item) => item.embedding)).toEqual(expected);
    expect(data.data.map((item) => item.index)).toEqual(inputs.map((_, index) => index));
    expect(response.headers.get('x-matey-provider')).toBe('bedrock');
    expect(upstream.requests).toHaveLength(12);
    expect(upstream.requests.every((call) => call.status === 200)).toBe(true);
    expect(upstream.requests[0]?.path).toBe(`/model/${encodeURIComponent(TITAN)}/invoke`);
    expect(upstream.requests[0]?.body).toMatchObject({ dimensions: 256, normalize: true });
    const base64 = await openai().embeddings.create({
      model: TITAN,
      input: inputs.slice(0, 2),
      dimensions: 256,
    });
    expect(base64.data.map((item) => item.embedding)).toEqual(expected.slice(0, 2));
  });

  it('Cohere: a 500-input batch goes 96 a call and comes back whole and ordered', async () => {
    const inputs = texts(500);
    const params = { model: COHERE, input: inputs, encoding_format: 'float', input_type: 'document' };
    const reply = await openai().embeddings.create(params as OpenAI.EmbeddingCreateParams);
    expect(reply.data.map((item) => item.embedding)).toEqual(
      inputs.map((input) => deterministicVector(input, 8)),
    );
    const sizes = upstream.requests.map((call) => (call.body as { texts: string[] }).texts.length);
    expect(sizes.sort((a, b) => b - a)).toEqual([96, 96, 96, 96, 96, 20]);
    expect(
      upstream.requests.every((call) => call.path === `/model/${encodeURIComponent(COHERE)}/invoke`),
    ).toBe(true);
    expect(upstream.requests[0]?.body).toMatchObject({ input_type: 'search_document' });
  });

  it("a wrong secret: the mock answers Bedrock's 403, the client gets it in OpenAI's format", async () => {
    const wrong = await startBedrockGateway(upstream, 'not-the-secret', open);
    const error = await openai(wrong.url)
      .embeddings.create({ model: TITAN, input: 'x' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 403, type: 'authentication_error' });
    expect(upstream.requests[0]).toMatchObject({ status: 403 });
  });
});
