/**
 * `POST /v1/embeddings` to a Cohere upstream (`/v2/embed`), judged by the official `openai`
 * client: the recorded Cohere reply's vectors come back in order as floats and base64, a
 * 500-input batch is split to Cohere's 96 a call and put back whole, and OpenAI-shaped
 * `input_type` values reach Cohere as its own (`search_query`, `search_document`).
 */
import { defaultCatalog, HttpBackend, PROVIDER_PROFILES } from 'ai.matey.backend';
import { Bridge, Router } from 'ai.matey.core';
import { deterministicVector, type MockUpstream, readFixture, startMockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGateway } from './create-gateway.ts';
import { type RunningGateway, serveGateway } from './serve-gateway.ts';

const UPSTREAM_KEY = 'upstream-secret-cohere-embed-4f1a';
const GATEWAY_KEY = 'gw-key-cohere-embed-8b2c';
const recorded = readFixture('embeddings', 'cohere-embedding').json as {
  texts: string[];
  embeddings: { float: number[][] };
};

let upstream: MockUpstream;
let running: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startMockUpstream({
    apiKeys: [UPSTREAM_KEY],
    // The recorded reply answers the recorded texts; any other batch gets deterministic vectors.
    embedReply: (request) =>
      JSON.stringify(request.inputs) === JSON.stringify(recorded.texts)
        ? { fixture: 'cohere-embedding' }
        : {},
  });
  const cohere = new HttpBackend(PROVIDER_PROFILES.cohere, { apiKey: UPSTREAM_KEY, baseURL: upstream.url });
  const router = new Router({ routingStrategy: 'model-based', circuitBreaker: false }).register(
    'cohere',
    cohere,
    { models: ['embed-*', 'command-*'] },
  );
  const gateway = createGateway({
    bridge: new Bridge({ backend: router }),
    router,
    keys: [{ id: 'main', key: GATEWAY_KEY }],
    catalog: defaultCatalog,
    knownModels: defaultCatalog.list().map((model) => model.id),
  });
  running = await serveGateway(gateway, { port: 0, shutdownGraceMs: 1_000 });
  client = new OpenAI({ apiKey: GATEWAY_KEY, baseURL: `${running.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await running.close();
  await upstream.close();
});
beforeEach(() => upstream.reset());

describe('embeddings.create through the gateway, cohere upstream', () => {
  it('returns the recorded vectors in order as floats, from a /v2/embed call', async () => {
    const { data, response } = await client.embeddings
      .create({ model: 'embed-v4.0', input: recorded.texts, encoding_format: 'float' })
      .withResponse();
    expect(data.data.map((item) => item.embedding)).toEqual(recorded.embeddings.float);
    expect(data.data.map((item) => item.index)).toEqual([0, 1]);
    expect(data.usage).toEqual({ prompt_tokens: 10, total_tokens: 10 });
    expect(response.headers.get('x-matey-provider')).toBe('cohere');
    const [call] = upstream.requests;
    expect(call?.path).toBe('/v2/embed');
    expect(call?.body).toEqual({
      model: 'embed-v4.0',
      texts: recorded.texts,
      input_type: 'search_query',
      embedding_types: ['float'],
    });
  });

  it('returns the same vectors as base64, which the client decodes to their float32 values', async () => {
    const reply = await client.embeddings.create({ model: 'embed-v4.0', input: recorded.texts });
    expect(reply.data.map((item) => item.embedding)).toEqual(
      recorded.embeddings.float.map((vector) => vector.map((value) => Math.fround(value))),
    );
    const raw = await client.embeddings.create({
      model: 'embed-v4.0',
      input: recorded.texts,
      encoding_format: 'base64',
    });
    const bytes = Buffer.from(raw.data[1]?.embedding as unknown as string, 'base64');
    const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    expect([...floats]).toEqual(recorded.embeddings.float[1]?.map((value) => Math.fround(value)));
  });

  it('a 500-input batch goes to Cohere 96 texts a call and comes back whole and ordered', async () => {
    const many = Array.from({ length: 500 }, (_, index) => `document ${index}`);
    const reply = await client.embeddings.create({
      model: 'embed-v4.0',
      input: many,
      dimensions: 4,
      encoding_format: 'float',
    });
    expect(reply.data.map((item) => item.embedding)).toEqual(
      many.map((input) => deterministicVector(input, 4)),
    );
    expect(reply.data.map((item) => item.index)).toEqual(many.map((_, index) => index));
    const sizes = upstream.requests.map((request) => (request.body as { texts: unknown[] }).texts.length);
    expect(sizes.sort((a, b) => b - a)).toEqual([96, 96, 96, 96, 96, 20]);
    expect(upstream.requests.every((request) => request.path === '/v2/embed')).toBe(true);
    expect(upstream.requests[0]?.body).toMatchObject({ output_dimension: 4 });
  });

  it.each([
    ['query', 'search_query'],
    ['document', 'search_document'],
  ])('input_type %s reaches Cohere as %s', async (inputType, cohereType) => {
    const params = { model: 'embed-v4.0', input: ['a question'], input_type: inputType };
    const reply = await client.embeddings.create(params as OpenAI.EmbeddingCreateParams);
    expect(reply.data).toHaveLength(1);
    expect(upstream.requests[0]?.body).toMatchObject({ input_type: cohereType });
  });
});
