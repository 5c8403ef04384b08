import { costOfUsage } from 'ai.matey.core';
import { readFixture } from 'ai.matey.fixtures';
import { describe, expect, it } from 'vitest';
import { cohereEmbeddings, cohereEmbedPath, parseCohereEmbedPath } from './cohere-embed.ts';

const recorded = readFixture('embeddings', 'cohere-embedding').json as {
  texts: string[];
  embeddings: { float: number[][] };
};

describe('cohere embeddings', () => {
  it('decodes the recorded v2 reply: float vectors in order, billed input tokens as usage', () => {
    const response = cohereEmbeddings.decodeResponse(recorded, {
      provider: 'cohere',
      request: { model: 'embed-v4.0', inputs: recorded.texts },
    });
    expect(response.embeddings).toEqual(recorded.embeddings.float);
    expect(response).toMatchObject({ model: 'embed-v4.0', usage: { inputTokens: 10, totalTokens: 10 } });
    expect(response.usage.billed).toEqual({ inputTokens: 10, outputTokens: 0 });
  });

  it('prices on billed_units where meta also counts the tokens read', () => {
    const reply = { ...recorded, meta: { billed_units: { input_tokens: 10 }, tokens: { input_tokens: 14 } } };
    const { usage } = cohereEmbeddings.decodeResponse(reply, {
      provider: 'cohere',
      request: { model: 'embed-v4.0', inputs: recorded.texts },
    });
    expect(usage).toEqual({
      inputTokens: 14,
      outputTokens: 0,
      totalTokens: 14,
      billed: { inputTokens: 10, outputTokens: 0 },
    });
    expect(costOfUsage({ inputPerMTok: 0.12, outputPerMTok: 0 }, usage)).toBeCloseTo(0.0000012, 12);
  });

  it('encodes texts with an input type (search_query by default) and output_dimension', () => {
    const plain = cohereEmbeddings.encodeRequest(
      { inputs: ['a'] },
      { model: 'embed-v4.0', provider: 'cohere' },
    );
    expect(plain.body).toEqual({
      model: 'embed-v4.0',
      texts: ['a'],
      input_type: 'search_query',
      embedding_types: ['float'],
    });
    const tuned = cohereEmbeddings.encodeRequest(
      { inputs: ['a'], inputType: 'document', dimensions: 512 },
      { model: 'embed-v4.0', provider: 'cohere' },
    );
    expect(tuned.body).toMatchObject({ input_type: 'search_document', output_dimension: 512 });
    const similarity = cohereEmbeddings.encodeRequest(
      { inputs: ['a'], inputType: 'similarity' },
      { model: 'm' },
    );
    expect(similarity.warnings).toEqual([expect.objectContaining({ setting: 'inputType' })]);
  });

  it('round-trips through its server half, and knows its path', () => {
    const { body } = cohereEmbeddings.encodeRequest(
      { inputs: ['a', 'b'], inputType: 'document' },
      { model: 'embed-v4.0' },
    );
    const call = cohereEmbeddings.decodeCall(body);
    expect(call.request).toEqual({ model: 'embed-v4.0', inputs: ['a', 'b'], inputType: 'document' });
    const reply = cohereEmbeddings.encodeResponse(
      {
        model: 'embed-v4.0',
        provider: 'cohere',
        embeddings: [[1], [2]],
        usage: { inputTokens: 4, outputTokens: 0, totalTokens: 4 },
        warnings: [],
      },
      {},
    );
    expect(
      cohereEmbeddings.decodeResponse(reply, { provider: 'cohere', request: call.request }).embeddings,
    ).toEqual([[1], [2]]);
    expect(cohereEmbedPath('/v2')).toBe('/v2/embed');
    expect(parseCohereEmbedPath('/v2/embed')).toEqual({});
    expect(() => cohereEmbeddings.decodeCall({ texts: Array(97).fill('x') })).toThrow(/texts/);
  });
});
