import { GoogleGenAI } from '@google/genai';
import { readFixture } from 'ai.matey.fixtures';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from './mock-upstream.ts';
import { deterministicVector } from './serve-embed.ts';

let upstream: MockUpstream;
beforeAll(async () => {
  upstream = await startMockUpstream();
});
afterAll(() => upstream.close());
beforeEach(() => upstream.reset());

const openai = () => new OpenAI({ apiKey: 'test', baseURL: `${upstream.url}/v1`, maxRetries: 0 });

describe('mock upstream embeddings', () => {
  it('replays a recorded OpenAI reply to the official client', async () => {
    upstream.enqueue({ fixture: 'openai-embedding' });
    const recorded = readFixture('embeddings', 'openai-embedding').json as {
      data: Array<{ embedding: number[] }>;
    };
    const reply = await openai().embeddings.create({
      model: 'text-embedding-3-small',
      input: ['a', 'b'],
      encoding_format: 'float',
    });
    expect(reply.data.map((item) => item.embedding)).toEqual(recorded.data.map((item) => item.embedding));
    expect(upstream.requests[0]).toMatchObject({
      path: '/v1/embeddings',
      protocol: 'openai-chat',
      model: 'text-embedding-3-small',
    });
  });

  it('answers with deterministic vectors per input, as floats or base64, of the asked dimensions', async () => {
    const client = openai();
    const base64 = await client.embeddings.create({ model: 'm', input: ['x', 'y'], dimensions: 4 });
    const floats = await client.embeddings.create({
      model: 'm',
      input: ['y'],
      dimensions: 4,
      encoding_format: 'float',
    });
    expect(base64.data.map((item) => item.embedding)).toEqual([
      deterministicVector('x', 4),
      deterministicVector('y', 4),
    ]);
    expect(floats.data[0]?.embedding).toEqual(deterministicVector('y', 4));
    expect(deterministicVector('x', 4)).not.toEqual(deterministicVector('y', 4));
  });

  it('injects faults into embedding calls: the provider error body and status', async () => {
    upstream.enqueue({ error: 'rate-limited', retryAfter: 2 });
    const error = await openai()
      .embeddings.create({ model: 'm', input: 'x' })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('2');
    const bad = await openai()
      .embeddings.create({ model: 'm', input: [] })
      .catch((thrown: unknown) => thrown);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('serves Gemini :embedContent and :batchEmbedContents to the official Google client', async () => {
    const client = new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: upstream.url } });
    const batch = await client.models.embedContent({
      model: 'gemini-embedding-001',
      contents: ['first', 'second'],
      config: { outputDimensionality: 3, taskType: 'RETRIEVAL_DOCUMENT' },
    });
    expect(batch.embeddings?.map((item) => item.values)).toEqual([
      deterministicVector('first', 3),
      deterministicVector('second', 3),
    ]);
    expect(upstream.requests[0]?.path).toMatch(/\/models\/gemini-embedding-001:batchEmbedContents$/);
  });
});
