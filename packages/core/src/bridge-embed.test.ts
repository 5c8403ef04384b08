import { describe, expect, it } from 'vitest';
import type { Backend, BackendMetadata } from './backend.ts';
import { Bridge } from './bridge.ts';
import { AiMateyError } from './errors/ai-matey-error.ts';
import { RateLimitError } from './errors/rate-limit-error.ts';
import { type EmbedNextFunction, Middleware } from './middleware/middleware.ts';
import { Router } from './router/router.ts';
import type { EmbedRequest, EmbedResponse } from './spec/embed.ts';
import { MockBackend } from './test-support/mock-backend.ts';

/** A backend that embeds each input as [its length, its position], and records what it got. */
class Embedder implements Backend {
  readonly metadata: BackendMetadata;
  readonly calls: EmbedRequest[] = [];
  failures: number;
  constructor(name: string, failures = 0, chat?: false) {
    this.metadata = {
      name,
      provider: name,
      capabilities: {
        streaming: true,
        tools: false,
        vision: false,
        reasoning: false,
        jsonSchema: false,
        ...(chat === false ? { chat } : {}),
      },
    };
    this.failures = failures;
  }
  execute(): never {
    throw new Error('chat is not served here');
  }
  stream(): never {
    throw new Error('chat is not served here');
  }
  async embed(request: EmbedRequest): Promise<EmbedResponse> {
    this.calls.push(request);
    if (this.failures-- > 0) throw new RateLimitError({ message: 'slow down', retryAfterMs: 0 });
    return {
      model: request.model ?? 'default-embed',
      provider: this.metadata.provider,
      embeddings: request.inputs.map((input, index) => [input.length, index]),
      usage: { inputTokens: request.inputs.length, outputTokens: 0, totalTokens: request.inputs.length },
      warnings: [],
    };
  }
}

const inputs = (...texts: string[]): EmbedRequest => ({ inputs: texts });

describe('Bridge.embed', () => {
  it('runs the middleware that have an embed hook, in order, and passes chat-only ones by', async () => {
    const seen: string[] = [];
    const chatOnly: Middleware = {
      name: 'chat-only',
      execute: () => {
        throw new Error('a chat-only middleware must not see an embedding call');
      },
    };
    const stamp: Middleware = {
      name: 'stamp',
      execute: (request, next) => next(request),
      embed: async (request, next, context) => {
        seen.push(`${context.mode}:${request.inputs.length}`);
        const response = await next({ ...request, model: 'changed-by-middleware' });
        return { ...response, metadata: { stamped: true } };
      },
    };
    const backend = new Embedder('solo');
    const bridge = new Bridge({ backend, middleware: [chatOnly, stamp, chatOnly] });
    const response = await bridge.embed(inputs('a', 'bb'));
    expect(seen).toEqual(['embed:2']);
    expect(response.embeddings).toEqual([
      [1, 0],
      [2, 1],
    ]);
    expect(response.metadata).toEqual({ stamped: true });
    expect(backend.calls[0]?.model).toBe('changed-by-middleware');
  });

  it('refuses an empty batch, an empty string and a malformed token array before any call', async () => {
    const backend = new Embedder('solo');
    const bridge = new Bridge({ backend });
    for (const bad of [[], [''], [[1.5, 2]], [[]]] as unknown as EmbedRequest['inputs'][]) {
      const error = await bridge.embed({ inputs: bad }).catch((thrown: unknown) => thrown);
      expect(AiMateyError.isInstance(error) && error.kind).toBe('invalid-request');
    }
    await expect(bridge.embed({ inputs: ['x'], dimensions: 0 })).rejects.toMatchObject({
      param: 'dimensions',
    });
    expect(backend.calls).toHaveLength(0);
  });

  it('says clearly that a backend without embed serves no embeddings', async () => {
    const bridge = new Bridge({ backend: new MockBackend({ name: 'chat', reply: { text: 'hi' } }) });
    await expect(bridge.embed(inputs('x'))).rejects.toMatchObject({
      kind: 'unsupported-feature',
      code: 'embeddings_not_supported',
    });
  });
});

describe('Router.embed', () => {
  it('never picks a backend without embed: not as default, not by strategy, not as fallback', async () => {
    const embedder = new Embedder('voyage');
    const router = new Router({ routingStrategy: 'round-robin', fallbackChain: ['chat', 'voyage'] })
      .register('chat', new MockBackend({ name: 'chat', reply: { text: 'hi' } }))
      .register('voyage', embedder);
    for (let i = 0; i < 3; i++) {
      const response = await new Bridge({ backend: router }).embed(inputs('x'));
      expect(response.routing?.backend).toBe('voyage');
    }
    expect(embedder.calls).toHaveLength(3);
  });

  it('routes by model prefix and strips it, and falls back among embedders after a failure', async () => {
    const first = new Embedder('openai', 1);
    const second = new Embedder('cohere');
    const router = new Router({ fallbackChain: ['cohere/embed-v4.0'] })
      .register('openai', first)
      .register('cohere', second);
    const response = await router.embed(inputs('x'));
    expect(response.routing).toMatchObject({ backend: 'cohere', attempts: 2 });
    expect(second.calls[0]?.model).toBe('embed-v4.0');
    await router.embed({ inputs: ['y'], model: 'openai/text-embedding-3-small' });
    expect(first.calls.at(-1)?.model).toBe('text-embedding-3-small');
  });

  it('fails clearly when no backend embeds, or the named one does not', async () => {
    const chatOnly = new Router().register('chat', new MockBackend({ name: 'chat', reply: { text: 'hi' } }));
    await expect(chatOnly.embed(inputs('x'))).rejects.toMatchObject({
      kind: 'unsupported-feature',
      message: "No backend of router 'router' serves embeddings",
    });
    const mixed = new Router()
      .register('chat', new MockBackend({ name: 'chat', reply: { text: 'hi' } }))
      .register('voyage', new Embedder('voyage'));
    await expect(mixed.embed({ inputs: ['x'], model: 'chat/some-model' })).rejects.toMatchObject({
      kind: 'unsupported-feature',
      message: "Backend 'chat' does not serve embeddings",
      param: 'model',
    });
  });

  it('never sends a chat call to an embeddings-only backend: not as default, not by strategy', async () => {
    const voyage = new Embedder('voyage', 0, false);
    const chat = new MockBackend({ name: 'chat', reply: { text: 'hi' } });
    for (const routingStrategy of ['explicit', 'round-robin'] as const) {
      const router = new Router({ routingStrategy }).register('voyage', voyage).register('chat', chat);
      for (let i = 0; i < 3; i++) {
        const reply = await router.execute({ messages: [{ role: 'user', content: 'x' }] });
        expect(reply.routing?.backend).toBe('chat');
      }
      expect((await router.embed(inputs('x'))).routing?.backend).toBe('voyage');
    }
  });
});

describe('a class middleware', () => {
  it('takes embedding calls with an embed method, and is chat-only without one', async () => {
    class Counting extends Middleware {
      embeds = 0;
      execute(request: Parameters<Middleware['execute']>[0], next: Parameters<Middleware['execute']>[1]) {
        return next(request);
      }
      override async embed(request: EmbedRequest, next: EmbedNextFunction) {
        this.embeds++;
        return next(request);
      }
    }
    class ChatOnly extends Middleware {
      execute(): never {
        throw new Error('not for embeddings');
      }
    }
    const counting = new Counting();
    await new Bridge({ backend: new Embedder('solo'), middleware: [new ChatOnly(), counting] }).embed(
      inputs('x'),
    );
    expect(counting.embeds).toBe(1);
  });
});
