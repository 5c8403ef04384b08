/**
 * `POST /v1/embeddings` judged by the official `openai` client's `embeddings.create`: for each
 * upstream (OpenAI and Voyage replayed from recordings, Gemini, Mistral, Together and Ollama with
 * the mock's deterministic vectors), the vectors the upstream sent come back in order, as floats and as base64.
 */
import { deterministicVector, readFixture } from 'ai.matey.testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type EmbeddingsGateway,
  GATEWAY_KEY,
  startEmbeddingsGateway,
  UPSTREAM_KEY,
} from './test-support/embeddings-gateway.ts';

let gateway: EmbeddingsGateway;
let upstream: EmbeddingsGateway['upstream'];
let client: EmbeddingsGateway['client'];
let logLines: EmbeddingsGateway['logLines'];

beforeAll(async () => {
  gateway = await startEmbeddingsGateway();
  ({ upstream, client, logLines } = gateway);
});
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const recorded = (name: string) =>
  (readFixture('embeddings', name).json as { data: Array<{ embedding: number[] }> }).data.map(
    (item) => item.embedding,
  );
const inputs = ['sunny day at the beach', 'rainy day in the city'];

const UPSTREAMS = [
  { upstream: 'openai', model: 'text-embedding-3-small', expected: () => recorded('openai-embedding') },
  { upstream: 'voyage', model: 'voyage-3.5', expected: () => recorded('voyage-embedding') },
  {
    upstream: 'gemini',
    model: 'gemini-embedding-001',
    expected: () => inputs.map((input) => deterministicVector(input, 8)),
  },
  ...(['mistral', 'together', 'ollama'] as const).map((name) => ({
    upstream: name,
    model: { mistral: 'mistral-embed', together: 'BAAI/bge-large-en-v1.5', ollama: 'nomic-embed-text' }[name],
    expected: () => inputs.map((input) => deterministicVector(input, 8)),
  })),
];

describe.each(UPSTREAMS)(
  'embeddings.create through the gateway, $upstream upstream',
  ({ upstream: name, model, expected }) => {
    it('returns the vectors the upstream sent, in order, as floats', async () => {
      const { data, response } = await client.embeddings
        .create({ model, input: inputs, encoding_format: 'float' })
        .withResponse();
      expect(data.data.map((item) => item.embedding)).toEqual(expected());
      expect(data.data.map((item) => item.index)).toEqual([0, 1]);
      expect(response.headers.get('x-matey-provider')).toBe(name);
      expect(response.headers.get('x-matey-backend')).toBe(name);
    });

    it('returns the same vectors as base64, which the client decodes to their float32 values', async () => {
      const reply = await client.embeddings.create({ model, input: inputs });
      expect(reply.data.map((item) => item.embedding)).toEqual(
        expected().map((vector) => vector.map((value) => Math.fround(value))),
      );
      const raw = await client.embeddings.create({ model, input: inputs, encoding_format: 'base64' });
      expect(typeof raw.data[0]?.embedding).toBe('string');
    });
  },
);

describe('embeddings.create: batches, retries, cost', () => {
  it('a 500-input batch to a provider taking 96 a call comes back whole and ordered', async () => {
    const many = Array.from({ length: 500 }, (_, index) => `document ${index}`);
    const reply = await client.embeddings.create({
      model: 'embed-small',
      input: many,
      dimensions: 5,
      encoding_format: 'float',
    });
    expect(reply.data).toHaveLength(500);
    expect(reply.data.map((item) => item.embedding)).toEqual(
      many.map((input) => deterministicVector(input, 5)),
    );
    const sizes = upstream.requests.map((request) => (request.body as { input: unknown[] }).input.length);
    expect(sizes.sort((a, b) => b - a)).toEqual([96, 96, 96, 96, 96, 20]);
    const tokens = many.reduce((sum, input) => sum + Math.ceil(input.length / 4), 0);
    expect(reply.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens });
  });

  it('retries only the sub-batch that got a 429, and returns the batch whole', async () => {
    gateway.failCall(3);
    const many = Array.from({ length: 300 }, (_, index) => `passage ${index}`);
    const { data, response } = await client.embeddings
      .create({ model: 'embed-small', input: many, dimensions: 3, encoding_format: 'float' })
      .withResponse();
    expect(data.data.map((item) => item.embedding)).toEqual(
      many.map((input) => deterministicVector(input, 3)),
    );
    expect(Number(response.headers.get('x-matey-attempts'))).toBe(2);
    // 96 + 96 + 96 + 12: four sub-batches, then the failed one again, not the other three.
    const sent = upstream.requests.map((request) => (request.body as { input: string[] }).input);
    expect(sent).toHaveLength(5);
    const failed = upstream.requests.findIndex((request) => request.status === 429);
    expect(upstream.requests.filter((request) => request.status === 429)).toHaveLength(1);
    expect(sent.slice(4)).toEqual([sent[failed]]);
    const tokens = many.reduce((sum, input) => sum + Math.ceil(input.length / 4), 0);
    expect(data.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens });
  });

  it('puts the cost of a batch in /metrics, the x-matey-cost-usd header and the log line, as for a chat call', async () => {
    const before = await metricValues();
    const { response } = await client.embeddings
      .create({ model: 'text-embedding-3-small', input: inputs })
      .withResponse();
    // 12 tokens at $0.02 per million.
    expect(Number(response.headers.get('x-matey-cost-usd'))).toBeCloseTo(0.00000024, 12);
    const after = await metricValues();
    const labels = 'provider="openai",model="text-embedding-3-small"';
    expect(
      (after[`matey_cost_usd_total{${labels}}`] ?? 0) - (before[`matey_cost_usd_total{${labels}}`] ?? 0),
    ).toBeCloseTo(0.00000024, 12);
    const tokens = `matey_tokens_total{${labels},type="input"}`;
    expect((after[tokens] ?? 0) - (before[tokens] ?? 0)).toBe(12);
    const served = `matey_requests_total{endpoint="openai-embeddings",${labels},status="200"}`;
    expect((after[served] ?? 0) - (before[served] ?? 0)).toBe(1);
    const line = logLines.find((entry) => entry.mode === 'embed');
    expect(line).toMatchObject({
      outcome: 'ok',
      provider: 'openai',
      model: 'text-embedding-3-small',
      inputs: 2,
      inputTokens: 12,
      costUsd: 0.00000024,
    });
    expect(JSON.stringify(logLines)).not.toContain(UPSTREAM_KEY);
  });
});

/** Every sample of /metrics, by its name and labels. */
async function metricValues(): Promise<Record<string, number>> {
  const headers = { authorization: `Bearer ${GATEWAY_KEY}` };
  const text = await (await fetch(`${gateway.running.url}/metrics`, { headers })).text();
  const samples: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^(\S+) (\S+)$/.exec(line);
    if (match?.[1] && !line.startsWith('#')) samples[match[1]] = Number(match[2]);
  }
  return samples;
}
