/**
 * Bedrock embeddings through InvokeModel against the mock upstream speaking Bedrock
 * (`bedrockMockUpstream`: every call's SigV4 signature checked from the known credentials):
 * Titan one text a call, a few in flight, the vectors back in order; Cohere 96 texts a call.
 */
import { AiMateyError } from 'ai.matey.core';
import { deterministicVector, type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BedrockBackend } from '../bedrock-backend.ts';
import { bedrockMockUpstream } from '../bedrock-mock-upstream.ts';
import { bedrockEmbeddings } from './bedrock-embed.ts';

const credentials = { accessKeyId: 'AKIATESTEMBED', secretAccessKey: 'embed-secret-for-the-mock' };
const TITAN = 'amazon.titan-embed-text-v2:0';
const COHERE = 'cohere.embed-english-v3';
let upstream: MockUpstream;
let latencyMs = 0;

beforeAll(async () => {
  upstream = await startMockUpstream({
    ...bedrockMockUpstream({ credentials: [credentials] }),
    embedReply: () => ({ latencyMs }),
  });
});
afterAll(() => upstream.close());
beforeEach(() => {
  upstream.reset();
  latencyMs = 0;
});

const bedrock = (secretAccessKey = credentials.secretAccessKey) =>
  new BedrockBackend({
    region: 'us-east-1',
    baseURL: upstream.url,
    credentials: { ...credentials, secretAccessKey },
  });
const texts = (count: number) => Array.from({ length: count }, (_, index) => `text ${index}`);

describe('Bedrock embeddings (InvokeModel)', () => {
  it('encodes Titan and Cohere bodies, reads the token header, and refuses a model of neither family', () => {
    expect(
      bedrockEmbeddings.encodeRequest({ inputs: ['a'], dimensions: 256 }, { model: TITAN }).body,
    ).toEqual({
      inputText: 'a',
      dimensions: 256,
      normalize: true,
    });
    const cohere = bedrockEmbeddings.encodeRequest(
      { inputs: ['a', 'b'], inputType: 'document', dimensions: 8 },
      { model: COHERE },
    );
    expect(cohere.body).toEqual({ texts: ['a', 'b'], input_type: 'search_document' });
    expect(cohere.warnings).toEqual([expect.objectContaining({ setting: 'dimensions' })]);
    const decoded = bedrockEmbeddings.decodeResponse(
      { id: 'e', embeddings: [[0.5], [0.25]], response_type: 'embeddings_floats' },
      {
        provider: 'bedrock',
        request: { model: COHERE, inputs: ['a', 'b'] },
        headers: { 'x-amzn-bedrock-input-token-count': '7' },
      },
    );
    expect(decoded).toMatchObject({ embeddings: [[0.5], [0.25]], usage: { inputTokens: 7, totalTokens: 7 } });
    expect(() =>
      bedrockEmbeddings.encodeRequest({ inputs: ['a'] }, { model: 'amazon.nova-lite-v1:0' }),
    ).toThrow(/not an embedding model/);
  });

  it('Titan: one signed call per text, the vectors in input order, token counts added up', async () => {
    const inputs = texts(10);
    const reply = await bedrock().embed?.({ model: TITAN, inputs, dimensions: 256 });
    expect(reply?.embeddings).toEqual(inputs.map((input) => deterministicVector(input, 256)));
    expect(upstream.requests).toHaveLength(10);
    expect(upstream.requests.every((call) => call.status === 200)).toBe(true);
    expect(upstream.requests[0]?.path).toBe(`/model/${encodeURIComponent(TITAN)}/invoke`);
    expect(upstream.requests.map((call) => (call.body as { inputText: string }).inputText).sort()).toEqual(
      [...inputs].sort(),
    );
    expect(upstream.requests[0]?.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(reply?.usage.inputTokens).toBeGreaterThan(0);
  });

  it('Titan: calls fan out at most four at a time', async () => {
    latencyMs = 100;
    const started = performance.now();
    await bedrock().embed?.({ model: TITAN, inputs: texts(8) });
    // Eight calls of 100 ms, four at a time, take two rounds; all at once would take one.
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('Cohere: 200 texts go 96 a call with the input type, and come back whole and ordered', async () => {
    const inputs = texts(200);
    const reply = await bedrock().embed?.({ model: COHERE, inputs, inputType: 'query' });
    expect(reply?.embeddings).toEqual(inputs.map((input) => deterministicVector(input, 8)));
    const sizes = upstream.requests.map((call) => (call.body as { texts: string[] }).texts.length);
    expect(sizes.sort((a, b) => b - a)).toEqual([96, 96, 8]);
    expect(upstream.requests[0]?.body).toMatchObject({ input_type: 'search_query' });
    // Cohere on Bedrock states no tokens in the body: estimated, and said so.
    expect(reply?.warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'estimated-usage' })]),
    );
  });

  it("a wrong secret gets Bedrock's own 403, an authentication error", async () => {
    const error = await bedrock('not-the-secret')
      .embed?.({ model: TITAN, inputs: ['x'] })
      .catch((caught: unknown) => caught);
    expect(AiMateyError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'authentication', status: 403, code: 'InvalidSignatureException' });
    expect(upstream.requests[0]?.status).toBe(403);
  });
});
