/**
 * The official `openai` client's `embeddings.create` through a gateway built from a config with
 * `type: vertex`, to Vertex AI's `:predict` replayed from the recording
 * (packages/fixtures/recorded/embeddings/google-vertex-embedding.json) or with the mock's
 * deterministic vectors: the vectors come back in order as floats and base64, batches whole.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vertexEmbed } from 'ai.matey.backend.vertex';
import { serveGateway } from 'ai.matey.http';
import {
  deterministicVector,
  generateServiceAccountKey,
  type MockUpstream,
  readFixture,
  startMockUpstream,
  startOAuthTokenServer,
} from 'ai.matey.testing';
import { registerWireProtocol } from 'ai.matey.wire';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGatewayFromConfig } from './create-gateway-from-config.ts';

const TOKEN = 'ya29.gateway-vertex-embed-81f0';
const texts = ['sunny day at the beach', 'rainy day in the city'];
const recorded = (
  readFixture('embeddings', 'google-vertex-embedding').json as {
    predictions: Array<{ embeddings: { values: number[] } }>;
  }
).predictions.map((item) => item.embeddings.values);

const open: Array<{ close(): Promise<void> }> = [];
let upstream: MockUpstream;
let openai: OpenAI;

beforeAll(async () => {
  // The mock upstream serves the protocols registered when it starts: Vertex's :predict too.
  registerWireProtocol(vertexEmbed);
  upstream = await startMockUpstream({
    apiKeys: [TOKEN],
    embedReply: (request) =>
      JSON.stringify(request.inputs) === JSON.stringify(texts) ? { fixture: 'google-vertex-embedding' } : {},
  });
  open.push(upstream);
  let key: ReturnType<typeof generateServiceAccountKey> | undefined;
  const tokens = await startOAuthTokenServer({ accessToken: TOKEN, key: () => key });
  open.push(tokens);
  key = generateServiceAccountKey(tokens.tokenUri, 'matey-gateway-test');
  const keyFile = join(tmpdir(), `matey-gateway-vertex-embed-${process.pid}.json`);
  writeFileSync(keyFile, JSON.stringify(key));
  const built = await createGatewayFromConfig(
    {
      providers: { vertex: { type: 'vertex', baseURL: upstream.url, keyFile, location: 'us-central1' } },
      middleware: { logging: false, retry: false },
    },
    { env: {} },
  );
  open.push(built);
  const server = await serveGateway(built.gateway, { port: 0 });
  open.push(server);
  openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
afterAll(async () => {
  for (const item of open.reverse()) await item.close();
});
beforeEach(() => upstream.reset());

const PREDICT = '/v1/projects/matey-gateway-test/locations/us-central1/publishers/google/models';

describe('OpenAI client embeddings.create → gateway → Vertex AI :predict', () => {
  it('returns the recorded vectors in order as floats, with the recorded token counts', async () => {
    const { data, response } = await openai.embeddings
      .create({ model: 'vertex/text-embedding-005', input: texts, encoding_format: 'float' })
      .withResponse();
    expect(data.data.map((item) => item.embedding)).toEqual(recorded);
    expect(data.usage).toEqual({ prompt_tokens: 11, total_tokens: 11 });
    expect(response.headers.get('x-matey-provider')).toBe('vertex');
    expect(upstream.requests.map((request) => request.path)).toEqual([
      `${PREDICT}/text-embedding-005:predict`,
    ]);
  });

  it('returns the same vectors as base64, which the client decodes to their float32 values', async () => {
    const reply = await openai.embeddings.create({ model: 'vertex/text-embedding-005', input: texts });
    expect(reply.data.map((item) => item.embedding)).toEqual(
      recorded.map((vector) => vector.map((value) => Math.fround(value))),
    );
  });

  it('a 500-input batch goes 250 instances a call and comes back whole and ordered', async () => {
    const many = Array.from({ length: 500 }, (_, index) => `chunk ${index}`);
    const reply = await openai.embeddings.create({
      model: 'vertex/text-multilingual-embedding-002',
      input: many,
      dimensions: 4,
      encoding_format: 'float',
    });
    expect(reply.data.map((item) => item.embedding)).toEqual(
      many.map((input) => deterministicVector(input, 4)),
    );
    const sizes = upstream.requests.map(
      (request) => (request.body as { instances: unknown[] }).instances.length,
    );
    expect(sizes).toEqual([250, 250]);
  });

  it('gemini-embedding-001 on Vertex goes one text a call, the vectors in order', async () => {
    const reply = await openai.embeddings.create({
      model: 'vertex/gemini-embedding-001',
      input: ['one', 'two', 'three'],
      encoding_format: 'float',
    });
    expect(reply.data.map((item) => item.embedding)).toEqual(
      ['one', 'two', 'three'].map((input) => deterministicVector(input, 8)),
    );
    expect(upstream.requests).toHaveLength(3);
    expect(
      upstream.requests.every((request) => request.path === `${PREDICT}/gemini-embedding-001:predict`),
    ).toBe(true);
  });
});
