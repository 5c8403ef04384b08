/* biome-ignore-all lint/suspicious/noExplicitAny: the seed's code (shared/seeds/000_…) is kept as written, `any` included */
/**
 * The seed's code samples for patterns 1, 3 and 7, as written, run against core with
 * MockBackends standing in for the provider adapters. Edits are limited to what TypeScript's
 * strict mode demands (`error` is `unknown` in a catch clause) and are marked.
 */

import { Bridge, type Middleware, Router } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';

const quiet = { log: (..._args: unknown[]) => {} };

describe('seed pattern 1: complexity-based routing', () => {
  it('routes by the seed analyzer with a custom strategy', async () => {
    function analyzeComplexity(query: string): number {
      let score = 0;
      const wordCount = query.split(/\s+/).length;
      score += Math.min(wordCount / 2, 30);
      const complexKeywords = ['analyze', 'explain', 'compare', 'evaluate', 'synthesize'];
      const hasComplexKeyword = complexKeywords.some((kw) => query.toLowerCase().includes(kw));
      if (hasComplexKeyword) score += 20;
      if (/\d+\s*[+\-*/]\s*\d+/.test(query)) score += 15;
      if (/[A-Z]{2,}/.test(query)) score += 10;
      return Math.min(score, 100);
    }

    const groq = new MockBackend({ name: 'groq' });
    const deepseek = new MockBackend({ name: 'deepseek' });
    const openai = new MockBackend({ name: 'openai' });
    const anthropic = new MockBackend({ name: 'anthropic' });

    const router = new Router({
      routingStrategy: 'custom',
      customStrategy: (request) => {
        const query = request.messages[request.messages.length - 1]?.content || '';
        const complexity = analyzeComplexity(query.toString());

        if (complexity < 25) return 'groq';
        if (complexity < 50) return 'deepseek';
        if (complexity < 80) return 'openai';
        return 'anthropic';
      },
    });

    router.register('groq', groq);
    router.register('deepseek', deepseek);
    router.register('openai', openai);
    router.register('anthropic', anthropic);

    const bridge = new Bridge({ backend: router });
    const servedBy = async (content: string) =>
      (await bridge.execute({ messages: [{ role: 'user', content }] })).routing?.backend;

    expect(await servedBy('What is the capital of France?')).toBe('groq');
    expect(await servedBy('Explain how a hash map works in a few sentences please')).toBe('deepseek');
    expect(
      await servedBy(
        'Analyze and compare the CAP theorem trade-offs of three distributed databases, with 12 * 7 replicas across regions in the design',
      ),
    ).toBe('openai');
    // The seed's analyzer tops out at 30 + 20 + 15 + 10 = 75, so its `anthropic` tier (>= 80)
    // is unreachable as written: even the most complex query lands on openai.
    const long = `Evaluate and synthesize the NATO and EU approaches, computing 3 + 4 along the way. ${'word '.repeat(70)}`;
    expect(analyzeComplexity(long)).toBe(75);
    expect(await servedBy(long)).toBe('openai');
    expect(anthropic.calls).toHaveLength(0);
  });
});

describe('seed pattern 3: automatic failover', () => {
  class FailoverMiddleware implements Middleware {
    private fallbackChain: string[];
    private healthStatus: Map<string, { healthy: boolean; failureCount: number }>;

    constructor(config: { chain: string[] }) {
      this.fallbackChain = config.chain;
      this.healthStatus = new Map();

      this.fallbackChain.forEach((provider) => {
        this.healthStatus.set(provider, { healthy: true, failureCount: 0 });
      });
    }

    async execute(request: any, next: any) {
      let lastError: Error | null = null;

      for (const provider of this.fallbackChain) {
        const health = this.healthStatus.get(provider);

        if (!health?.healthy) {
          quiet.log(`Skipping ${provider} (marked unhealthy)`);
          continue;
        }

        try {
          quiet.log(`Attempting with ${provider}...`);

          request.metadata = request.metadata || {};
          request.metadata.provider = provider;

          const response = await next(request);

          health.failureCount = 0;
          quiet.log(`Success with ${provider}`);

          return response;
        } catch (error) {
          lastError = error as Error;
          health.failureCount++;

          if (health.failureCount >= 3) {
            health.healthy = false;
            quiet.log(`${provider} marked as unhealthy (${health.failureCount} failures)`);
          }

          quiet.log(`Failed with ${provider}: ${(error as Error).message}`); // strict: `error` is unknown
        }
      }

      throw new Error(`All providers failed. Last error: ${lastError?.message}`);
    }
  }

  it('fails over along the chain through a Router and the Bridge', async () => {
    const { UpstreamServerError, RateLimitError } = await import('ai.matey.core');
    const openaiBackend = new MockBackend({
      name: 'openai',
      reply: { error: new UpstreamServerError({ message: 'openai 500' }) },
    });
    const anthropicBackend = new MockBackend({
      name: 'anthropic',
      reply: { error: new RateLimitError({ message: 'anthropic 429' }) },
    });
    const groqBackend = new MockBackend({ name: 'groq', reply: { text: 'groq answers' } });
    const deepseekBackend = new MockBackend({ name: 'deepseek' });

    const router = new Router({
      defaultBackend: 'openai',
    });

    router.register('openai', openaiBackend);
    router.register('anthropic', anthropicBackend);
    router.register('groq', groqBackend);
    router.register('deepseek', deepseekBackend);

    const bridge = new Bridge({ backend: router });

    bridge.use(
      new FailoverMiddleware({
        chain: ['openai', 'anthropic', 'groq', 'deepseek'],
      }),
    );

    const response = await bridge.execute({ messages: [{ role: 'user', content: 'Hello' }] });
    expect(response.routing?.backend).toBe('groq');
    expect(response.content).toEqual([{ type: 'text', text: 'groq answers' }]);
    expect(
      [openaiBackend, anthropicBackend, groqBackend, deepseekBackend].map((b) => b.calls.length),
    ).toEqual([1, 1, 1, 0]);

    // The same middleware serves streams: failover happens before the first event.
    const streamed = await bridge.stream({ messages: [{ role: 'user', content: 'Stream it' }] }).collect();
    expect(streamed.routing?.backend).toBe('groq');

    // After three failures the seed marks openai unhealthy and stops trying it.
    await bridge.execute({ messages: [{ role: 'user', content: 'Third' }] });
    await bridge.execute({ messages: [{ role: 'user', content: 'Fourth' }] });
    expect(openaiBackend.calls).toHaveLength(3);
  });
});

describe('seed pattern 7: middleware composition', () => {
  class ValidationMiddleware implements Middleware {
    async execute(request: any, next: any) {
      if (!request.model) {
        throw new Error('Missing required field: model');
      }
      if (!request.messages || request.messages.length === 0) {
        throw new Error('Missing required field: messages');
      }

      return next(request);
    }
  }

  class RateLimitMiddleware implements Middleware {
    private requests = new Map<string, number[]>();

    constructor(private maxPerMinute: number) {}

    async execute(request: any, next: any) {
      const userId = request.metadata?.userId || 'default';
      const now = Date.now();

      const userRequests = this.requests.get(userId) || [];
      const recentRequests = userRequests.filter((t) => now - t < 60000);

      if (recentRequests.length >= this.maxPerMinute) {
        throw new Error('Rate limit exceeded');
      }

      recentRequests.push(now);
      this.requests.set(userId, recentRequests);

      return next(request);
    }
  }

  class FormattingMiddleware implements Middleware {
    async execute(request: any, next: any) {
      const response = await next(request);

      return {
        ...response,
        metadata: {
          ...response.metadata,
          formatted: true,
          timestamp: new Date().toISOString(),
        },
      };
    }
  }

  it('validates, rate-limits and formats, short-circuiting on a validation failure', async () => {
    const openaiBackend = new MockBackend({ name: 'openai' });
    const bridge = new Bridge({ backend: openaiBackend });

    bridge.use(new ValidationMiddleware()).use(new RateLimitMiddleware(10)).use(new FormattingMiddleware());

    const response = await bridge.execute({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(response.metadata).toMatchObject({ formatted: true });
    expect(response.content).toEqual([{ type: 'text', text: 'Echo: Hi' }]);

    await expect(bridge.execute({ messages: [{ role: 'user', content: 'no model' }] })).rejects.toThrow(
      'Missing required field: model',
    );
    expect(openaiBackend.calls).toHaveLength(1);

    for (let i = 0; i < 9; i++)
      await bridge.execute({ model: 'm', messages: [{ role: 'user', content: `${i}` }] });
    await expect(
      bridge.execute({ model: 'm', messages: [{ role: 'user', content: 'eleventh' }] }),
    ).rejects.toThrow('Rate limit exceeded');

    // The formatting middleware spreads the reply; a stream survives it and still streams.
    const streamBridge = new Bridge({ backend: new MockBackend() }).use(new FormattingMiddleware());
    const streamed = await streamBridge
      .stream({ model: 'm', messages: [{ role: 'user', content: 'Hey' }] })
      .collect();
    expect(streamed.content).toEqual([{ type: 'text', text: 'Echo: Hey' }]);
  });
});
