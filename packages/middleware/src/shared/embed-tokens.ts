import type { EmbedRequest } from 'ai.matey.core';

/**
 * A quick estimate of an embedding batch's input tokens before any provider counted them: a
 * token per four characters of each text, and a token array's own length.
 *
 * @example
 * estimateEmbedTokens({ inputs: ['sunny day at the beach', [1, 2, 3]] }); // 9
 */
export function estimateEmbedTokens(request: EmbedRequest): number {
  let tokens = 0;
  for (const input of request.inputs)
    tokens += typeof input === 'string' ? Math.ceil(input.length / 4) : input.length;
  return tokens;
}
