import { Bridge, type EmbedRequest, type EmbedResponse, type Middleware } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { perKeyMiddleware } from './per-key-middleware.ts';

class EmbeddingMock extends MockBackend {
  async embed(request: EmbedRequest): Promise<EmbedResponse> {
    return {
      model: 'embed',
      provider: 'mock',
      embeddings: request.inputs.map(() => [1]),
      usage: { inputTokens: 1, outputTokens: 0, totalTokens: 1 },
      warnings: [],
    };
  }
}

describe('perKeyMiddleware', () => {
  it("gives a key's chat and embedding calls the instance of its current version (an edited key's new limits)", async () => {
    let version = 'v1';
    const used: string[] = [];
    const tagged = (made: string): Middleware => ({
      name: `limits-${made}`,
      execute: (request, next) => {
        used.push(`chat:${made}`);
        return next(request);
      },
      embed: (request, next) => {
        used.push(`embed:${made}`);
        return next(request);
      },
    });
    const middleware = perKeyMiddleware(
      'limits',
      () => tagged(version),
      () => version,
    );
    const bridge = new Bridge({ backend: new EmbeddingMock(), middleware: [middleware] });
    const metadata = { apiKeyId: 'k' };
    await bridge.execute({ messages: [{ role: 'user', content: 'hi' }], metadata });
    await bridge.embed({ inputs: ['x'], metadata });
    version = 'v2';
    await bridge.embed({ inputs: ['x'], metadata });
    await bridge.execute({ messages: [{ role: 'user', content: 'hi' }], metadata });
    expect(used).toEqual(['chat:v1', 'embed:v1', 'embed:v2', 'chat:v2']);
  });
});
