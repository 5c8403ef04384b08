import { describe, expect, it } from 'vitest';
import { gemini } from './index.ts';

const embeddings = gemini.embeddings;
const { embedPath, parseEmbedPath } = gemini.endpoints;
if (!embeddings || !embedPath || !parseEmbedPath) throw new Error('gemini has embeddings');

describe('gemini embeddings', () => {
  it('calls :embedContent for one input and :batchEmbedContents for more, and reads both paths back', () => {
    expect(embedPath('/v1beta', 'gemini-embedding-001', 1)).toBe(
      '/v1beta/models/gemini-embedding-001:embedContent',
    );
    expect(embedPath('/v1beta', 'models/text-embedding-004', 3)).toBe(
      '/v1beta/models/text-embedding-004:batchEmbedContents',
    );
    expect(parseEmbedPath('/v1beta/models/text-embedding-004:batchEmbedContents')).toEqual({
      model: 'text-embedding-004',
      single: false,
    });
    expect(parseEmbedPath('/v1beta/models/gemini-2.5-flash:generateContent')).toBeUndefined();
  });

  it('encodes taskType and outputDimensionality on every request of a batch, and round-trips through the server half', () => {
    const request = { inputs: ['a', 'b'], inputType: 'document' as const, dimensions: 768 };
    const { body } = embeddings.encodeRequest(request, { model: 'gemini-embedding-001' });
    expect(body).toEqual({
      requests: ['a', 'b'].map((text) => ({
        model: 'models/gemini-embedding-001',
        content: { parts: [{ text }] },
        taskType: 'RETRIEVAL_DOCUMENT',
        outputDimensionality: 768,
      })),
    });
    const call = embeddings.decodeCall(body, { model: 'gemini-embedding-001', single: false });
    expect(call.request).toEqual({ ...request, model: 'gemini-embedding-001' });
    const single = embeddings.encodeRequest({ inputs: ['only'] }, { model: 'gemini-embedding-001' });
    expect(single.body).toEqual({ content: { parts: [{ text: 'only' }] } });
  });

  it('decodes both reply forms in order, and refuses token arrays', () => {
    const vectors = [
      [0.1, 0.2],
      [0.3, 0.4],
    ];
    const batch = embeddings.encodeResponse(
      {
        model: 'm',
        provider: 'gemini',
        embeddings: vectors,
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
        warnings: [],
      },
      {},
    );
    expect(batch).toEqual({ embeddings: [{ values: [0.1, 0.2] }, { values: [0.3, 0.4] }] });
    const decoded = embeddings.decodeResponse(batch, { provider: 'gemini', request: { inputs: ['a', 'b'] } });
    expect(decoded.embeddings).toEqual(vectors);
    const one = embeddings.decodeResponse(
      { embedding: { values: [1, 2] } },
      { provider: 'gemini', request: { inputs: ['a'] } },
    );
    expect(one.embeddings).toEqual([[1, 2]]);
    expect(() => embeddings.encodeRequest({ inputs: [[1, 2]] }, { model: 'm' })).toThrow(/text only/);
  });
});
