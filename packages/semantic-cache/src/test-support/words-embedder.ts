import type { Backend, BackendMetadata, EmbedRequest, EmbedResponse } from 'ai.matey.core';

const DIMENSIONS = 256;

/**
 * A backend that embeds a text as its bag of words (lower-cased, punctuation dropped), each word
 * hashed to one of 256 dimensions: texts with the same words get the same vector, texts sharing
 * most words a close one. A stand-in embedding model for tests, with a log of its calls.
 */
export class WordsEmbedder implements Backend {
  readonly metadata: BackendMetadata = {
    name: 'words',
    provider: 'words',
    capabilities: { streaming: false, tools: false, vision: false, reasoning: false, jsonSchema: false },
    defaultModel: 'bag-of-words',
  };
  readonly calls: EmbedRequest[] = [];
  /** Fails every call while set (an embedding provider that is down). */
  failing = false;

  execute(): never {
    throw new Error('WordsEmbedder serves no chat');
  }

  stream(): never {
    throw new Error('WordsEmbedder serves no chat');
  }

  async embed(request: EmbedRequest): Promise<EmbedResponse> {
    this.calls.push(request);
    if (this.failing) throw new Error('the embedding provider is down');
    return {
      model: request.model ?? 'bag-of-words',
      provider: 'words',
      embeddings: request.inputs.map((input) =>
        wordsVector(typeof input === 'string' ? input : input.join(' ')),
      ),
      usage: { inputTokens: 1, outputTokens: 0, totalTokens: 1 },
      warnings: [],
    };
  }
}

/** The bag-of-words vector of a text (see `WordsEmbedder`). */
export function wordsVector(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let hash = 2166136261;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 16777619);
    const slot = (hash >>> 0) % DIMENSIONS;
    vector[slot] = (vector[slot] ?? 0) + 1;
  }
  return vector;
}
