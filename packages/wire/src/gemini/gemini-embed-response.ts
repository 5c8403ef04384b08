import type { EmbedRequest, EmbedResponse } from 'ai.matey.core';
import type { EmbedReplyOptions } from '../codec.ts';
import { asRecord, malformedReply } from '../shared/malformed-reply.ts';

/**
 * The vectors of a Gemini `:batchEmbedContents` (`embeddings`) or `:embedContent` (`embedding`)
 * reply, in request order. The Gemini API reports no tokens for embeddings: usage is its
 * `usageMetadata.promptTokenCount` where sent (Vertex), else 0.
 */
export function decodeGeminiEmbedResponse(
  body: unknown,
  context: { provider: string; request: EmbedRequest },
): EmbedResponse {
  const record = asRecord(body);
  const list = Array.isArray(record.embeddings)
    ? record.embeddings
    : record.embedding !== undefined
      ? [record.embedding]
      : undefined;
  if (!list) throw malformedReply(context.provider, 'embeddings reply', 'the body has no embeddings');
  const embeddings = list.map((item, index) => {
    const values = asRecord(item).values;
    if (!Array.isArray(values) || !values.every((value) => typeof value === 'number'))
      throw malformedReply(context.provider, 'embeddings reply', `embedding ${index} has no values`);
    return values as number[];
  });
  if (embeddings.length !== context.request.inputs.length) {
    throw malformedReply(
      context.provider,
      'embeddings reply',
      `${context.request.inputs.length} inputs were sent and ${embeddings.length} vectors came back`,
    );
  }
  const tokens = asRecord(record.usageMetadata).promptTokenCount;
  const inputTokens = typeof tokens === 'number' ? tokens : 0;
  return {
    model: context.request.model ?? '',
    provider: context.provider,
    embeddings,
    usage: { inputTokens, outputTokens: 0, totalTokens: inputTokens },
    warnings: [],
  };
}

/** An `EmbedResponse` as Gemini's reply: one `embedding` for `:embedContent`, else `embeddings`. */
export function encodeGeminiEmbedResponse(
  response: EmbedResponse,
  options: EmbedReplyOptions,
): Record<string, unknown> {
  const vectors = response.embeddings.map((values) => ({ values }));
  return options.single ? { embedding: vectors[0] } : { embeddings: vectors };
}
