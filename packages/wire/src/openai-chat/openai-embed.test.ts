import { readFixture } from 'ai.matey.fixtures';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { base64FromFloats } from '../shared/float32-base64.ts';
import { openaiChat } from './index.ts';

const embeddings = openaiChat.embeddings;
if (!embeddings) throw new Error('openai-chat has embeddings');
const recorded = (name: string) => readFixture('embeddings', name).json as Record<string, unknown>;
const vectorsOf = (body: Record<string, unknown>) =>
  (body.data as Array<{ embedding: number[] }>).map((item) => item.embedding);

describe('openai-chat embeddings', () => {
  it('decodes the recorded OpenAI reply: vectors in input order, usage from prompt_tokens', () => {
    const body = recorded('openai-embedding');
    const response = embeddings.decodeResponse(body, {
      provider: 'openai',
      request: { inputs: ['sunny day at the beach', 'rainy day in the city'] },
    });
    expect(response.embeddings).toEqual(vectorsOf(body));
    expect(response).toMatchObject({
      model: 'text-embedding-3-small',
      usage: { inputTokens: 12, totalTokens: 12 },
    });
  });

  it('decodes the recorded Voyage reply (total_tokens only), and vectors sent out of order or as base64', () => {
    const body = recorded('voyage-embedding');
    const response = embeddings.decodeResponse(body, { provider: 'voyage', request: { inputs: ['a', 'b'] } });
    expect(response.usage).toMatchObject({ inputTokens: 12, totalTokens: 12 });
    const [first, second] = vectorsOf(body) as [number[], number[]];
    const shuffled = {
      data: [
        { index: 1, embedding: base64FromFloats(second) },
        { index: 0, embedding: first },
      ],
    };
    const decoded = embeddings.decodeResponse(shuffled, {
      provider: 'voyage',
      request: { inputs: ['a', 'b'] },
    });
    expect(decoded.embeddings[0]).toEqual(first);
    expect(decoded.embeddings[1]).toEqual(second.map(Math.fround));
  });

  it('says a reply with fewer vectors than inputs is malformed', () => {
    expect(() =>
      embeddings.decodeResponse(recorded('openai-embedding'), {
        provider: 'openai',
        request: { inputs: ['a'] },
      }),
    ).toThrow(/1 inputs were sent and 2 vectors came back/);
  });

  it('encodes dimensions, user and base64; Voyage field names through the profile; no input type for OpenAI', () => {
    const request = {
      inputs: ['x'],
      dimensions: 256,
      inputType: 'query' as const,
      encoding: 'base64' as const,
    };
    const openai = embeddings.encodeRequest(request, { model: 'text-embedding-3-small', provider: 'openai' });
    expect(openai.body).toEqual({
      model: 'text-embedding-3-small',
      input: ['x'],
      dimensions: 256,
      encoding_format: 'base64',
    });
    expect(openai.warnings).toEqual([expect.objectContaining({ setting: 'inputType' })]);
    const voyage = embeddings.encodeRequest(request, {
      model: 'voyage-3.5',
      provider: 'voyage',
      fields: {
        dimensions: 'output_dimension',
        inputType: { field: 'input_type', values: { query: 'query' } },
      },
    });
    expect(voyage.body).toEqual({
      model: 'voyage-3.5',
      input: ['x'],
      output_dimension: 256,
      input_type: 'query',
      encoding_format: 'base64',
    });
    expect(voyage.warnings).toEqual([]);
  });

  it('reads every input shape OpenAI takes and refuses empty or mistyped input', () => {
    const read = (input: unknown) => embeddings.decodeCall({ model: 'm', input }).request.inputs;
    expect(read('one')).toEqual(['one']);
    expect(read(['a', 'b'])).toEqual(['a', 'b']);
    expect(read([1, 2, 3])).toEqual([[1, 2, 3]]);
    expect(read([[1], [2, 3]])).toEqual([[1], [2, 3]]);
    for (const bad of ['', [], [''], [[]], 42, [{ text: 'x' }], ['a', 1]]) {
      expect(() => read(bad), JSON.stringify(bad)).toThrow(/input/);
    }
    expect(() => embeddings.decodeCall({ input: 'x' })).toThrow(/model/);
    expect(() => embeddings.decodeCall({ model: 'm', input: 'x', temperature: 1 })).toThrow(/temperature/);
    expect(() => embeddings.decodeCall({ model: 'm', input: 'x', encoding_format: 'int8' })).toThrow(
      /encoding_format/,
    );
  });

  it("writes a reply the official client decodes from base64 into the upstream's float32 values", async () => {
    const vectors = vectorsOf(recorded('openai-embedding'));
    const response = {
      model: 'm',
      provider: 'p',
      embeddings: vectors,
      usage: { inputTokens: 3, outputTokens: 0, totalTokens: 3 },
      warnings: [],
    };
    const fetch = async (_url: unknown, init?: { body?: unknown }) => {
      const call = embeddings.decodeCall(JSON.parse(String(init?.body)));
      const body = embeddings.encodeResponse(response, call.options);
      return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    };
    const client = new OpenAI({
      apiKey: 'k',
      baseURL: 'http://localhost/v1',
      fetch: fetch as typeof globalThis.fetch,
    });
    // The client asks for base64 when the caller names no format, and decodes it itself.
    const decoded = await client.embeddings.create({ model: 'm', input: ['a', 'b'] });
    expect(decoded.data.map((item) => item.embedding)).toEqual(
      vectors.map((vector) => vector.map(Math.fround)),
    );
    const floats = await client.embeddings.create({
      model: 'm',
      input: ['a', 'b'],
      encoding_format: 'float',
    });
    expect(floats.data.map((item) => item.embedding)).toEqual(vectors);
    expect(floats.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
  });
});
