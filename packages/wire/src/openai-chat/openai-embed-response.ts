import type { EmbedRequest, EmbedResponse } from 'ai.matey.core';
import type { EmbedReplyOptions } from '../codec.ts';
import { base64FromFloats, floatsFromBase64 } from '../shared/float32-base64.ts';
import { asRecord, malformedReply } from '../shared/malformed-reply.ts';

/**
 * The vectors of an OpenAI-shaped `/v1/embeddings` reply (OpenAI, Voyage, Mistral, Ollama, …), put
 * in input order by their `index`, as floats whether they came as JSON numbers or base64. Usage
 * is `prompt_tokens`, else `total_tokens` (Voyage reports only that).
 */
export function decodeOpenAIEmbedResponse(
  body: unknown,
  context: { provider: string; request: EmbedRequest },
): EmbedResponse {
  const record = asRecord(body);
  if (!Array.isArray(record.data))
    throw malformedReply(context.provider, 'embeddings reply', 'the body has no data list');
  const embeddings: number[][] = new Array(record.data.length);
  for (const [position, item] of record.data.entries()) {
    const entry = asRecord(item);
    const index = typeof entry.index === 'number' ? entry.index : position;
    const vector = entry.embedding;
    if (typeof vector === 'string') embeddings[index] = floatsFromBase64(vector);
    else if (Array.isArray(vector) && vector.every((value) => typeof value === 'number'))
      embeddings[index] = vector as number[];
    else
      throw malformedReply(
        context.provider,
        'embeddings reply',
        `embedding ${position} is neither numbers nor base64`,
      );
  }
  const expected = context.request.inputs.length;
  if (embeddings.length !== expected || embeddings.some((vector) => vector === undefined)) {
    throw malformedReply(
      context.provider,
      'embeddings reply',
      `${expected} inputs were sent and ${record.data.length} vectors came back`,
    );
  }
  const usage = asRecord(record.usage);
  const inputTokens = numberOr(usage.prompt_tokens, numberOr(usage.total_tokens, 0));
  return {
    model: typeof record.model === 'string' ? record.model : (context.request.model ?? ''),
    provider: context.provider,
    embeddings,
    usage: { inputTokens, outputTokens: 0, totalTokens: numberOr(usage.total_tokens, inputTokens) },
    warnings: [],
  };
}

/** An `EmbedResponse` as OpenAI's reply body, the vectors as numbers or (asked `base64`) float32 base64. */
export function encodeOpenAIEmbedResponse(
  response: EmbedResponse,
  options: EmbedReplyOptions,
): Record<string, unknown> {
  return {
    object: 'list',
    data: response.embeddings.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: options.encoding === 'base64' ? base64FromFloats(vector) : vector,
    })),
    model: response.model,
    usage: { prompt_tokens: response.usage.inputTokens, total_tokens: response.usage.totalTokens },
  };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
