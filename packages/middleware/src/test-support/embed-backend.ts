import type { AiMateyError, Backend, BackendMetadata, EmbedRequest, EmbedResponse } from 'ai.matey.core';

/**
 * A backend that embeds each text as `[its length, its position]`, reports a token per input,
 * and fails its first calls with the errors it is given: a fake for embedding-call tests.
 */
export class EmbedBackend implements Backend {
  readonly metadata: BackendMetadata = {
    name: 'embedder',
    provider: 'embedder',
    capabilities: { streaming: false, tools: false, vision: false, reasoning: false, jsonSchema: false },
    defaultModel: 'embed-small',
  };
  readonly calls: EmbedRequest[] = [];
  readonly #failures: AiMateyError[];

  constructor(failures: AiMateyError[] = []) {
    this.#failures = [...failures];
  }

  execute(): never {
    throw new Error('EmbedBackend serves no chat');
  }

  stream(): never {
    throw new Error('EmbedBackend serves no chat');
  }

  async embed(request: EmbedRequest): Promise<EmbedResponse> {
    this.calls.push(request);
    const failure = this.#failures.shift();
    if (failure) throw failure;
    const tokens = request.inputs.length * 1000;
    return {
      model: request.model ?? 'embed-small',
      provider: 'embedder',
      embeddings: request.inputs.map((input, index) => [input.length, index]),
      usage: { inputTokens: tokens, outputTokens: 0, totalTokens: tokens },
      warnings: [],
    };
  }
}
