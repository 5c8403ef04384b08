/**
 * Vertex AI embeddings (`:predict`) through the mock upstream: the recorded reply
 * (packages/fixtures/recorded/embeddings/google-vertex-embedding.json) decoded in order with its
 * token counts, batches split to 250 instances (one for `gemini-embedding-001`), the Bearer
 * token of a service-account key sent on each call.
 */
import {
  deterministicVector,
  generateServiceAccountKey,
  readFixture,
  startMockUpstream,
  startOAuthTokenServer,
} from 'ai.matey.testing';
import { registerWireProtocol } from 'ai.matey.wire';
import { describe, expect, it } from 'vitest';
import { VertexBackendAdapter } from './vertex-backend-adapter.ts';
import { vertexEmbeddings } from './vertex-embed.ts';
import { vertexEmbed } from './vertex-embed-codec.ts';

const TOKEN = 'ya29.vertex-embed-token-3d9a';
const recorded = readFixture('embeddings', 'google-vertex-embedding').json as {
  predictions: Array<{ embeddings: { values: number[] } }>;
};
const texts = ['sunny day at the beach', 'rainy day in the city'];
const PUBLISHER = '/v1/projects/matey-test-project/locations/us-central1/publishers/google/models';

async function vertexAt(url: string) {
  const tokens = await startOAuthTokenServer({ accessToken: TOKEN, key: () => key });
  const key = generateServiceAccountKey(tokens.tokenUri);
  return { tokens, vertex: new VertexBackendAdapter({ credentials: key, baseURL: url }) };
}

describe('Vertex AI embeddings', () => {
  it('encodes instances with task_type and outputDimensionality, and reads them back', () => {
    const { body } = vertexEmbeddings.encodeRequest(
      { inputs: texts, inputType: 'document', dimensions: 256 },
      { model: 'text-embedding-005' },
    );
    expect(body).toEqual({
      instances: texts.map((content) => ({ content, task_type: 'RETRIEVAL_DOCUMENT' })),
      parameters: { outputDimensionality: 256 },
    });
    expect(vertexEmbeddings.decodeCall(body, { model: 'text-embedding-005' }).request).toEqual({
      model: 'text-embedding-005',
      inputs: texts,
      inputType: 'document',
      dimensions: 256,
    });
    expect(() =>
      vertexEmbeddings.encodeRequest({ inputs: [[1, 2]] }, { model: 'text-embedding-005' }),
    ).toThrow(/text only/);
  });

  it('embeds through :predict with the Bearer token: the recorded vectors in order, token counts as usage', async () => {
    registerWireProtocol(vertexEmbed);
    await using upstream = await startMockUpstream({
      apiKeys: [TOKEN],
      embedReply: { fixture: 'google-vertex-embedding' },
    });
    const { tokens, vertex } = await vertexAt(upstream.url);
    try {
      const reply = await vertex.embed({ model: 'text-embedding-005', inputs: texts, inputType: 'query' });
      expect(reply.embeddings).toEqual(recorded.predictions.map((item) => item.embeddings.values));
      expect(reply.usage).toEqual({ inputTokens: 11, outputTokens: 0, totalTokens: 11 });
      expect(reply.provider).toBe('vertex');
      const [call] = upstream.requests;
      expect(call?.path).toBe(`${PUBLISHER}/text-embedding-005:predict`);
      // The mock takes only TOKEN (`apiKeys`): a 200 says the Bearer token went with the call.
      expect(call?.status).toBe(200);
      expect(call?.body).toEqual({
        instances: texts.map((content) => ({ content, task_type: 'RETRIEVAL_QUERY' })),
      });
    } finally {
      await tokens.close();
    }
  });

  it.each([
    ['text-embedding-005', 600, [250, 250, 100]],
    ['gemini-embedding-001', 5, [1, 1, 1, 1, 1]],
  ])('%s: %i texts go in calls of %j and come back whole and ordered', async (model, count, sizes) => {
    registerWireProtocol(vertexEmbed);
    await using upstream = await startMockUpstream({ apiKeys: [TOKEN] });
    const { tokens, vertex } = await vertexAt(upstream.url);
    try {
      const inputs = Array.from({ length: count }, (_, index) => `passage ${index}`);
      const reply = await vertex.embed({ model, inputs, dimensions: 3 });
      expect(reply.embeddings).toEqual(inputs.map((input) => deterministicVector(input, 3)));
      const sent = upstream.requests.map(
        (request) => (request.body as { instances: unknown[] }).instances.length,
      );
      expect(sent.sort((a, b) => b - a)).toEqual(sizes);
      expect(upstream.requests.every((request) => request.status === 200)).toBe(true);
    } finally {
      await tokens.close();
    }
  });
});
