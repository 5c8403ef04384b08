/**
 * The seed's pattern 3 class, copied as written, with types added only where TypeScript strict
 * (and the no-`any` lint) requires them. It must keep working over a Router.
 */
import {
  Bridge,
  type ChatRequest,
  type Middleware,
  type NextFunction,
  OverloadedError,
  Router,
  responseText,
} from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

class FailoverMiddleware implements Middleware {
  private fallbackChain: string[];
  private healthStatus: Map<string, { healthy: boolean; failureCount: number }>;

  constructor(config: { chain: string[] }) {
    this.fallbackChain = config.chain;
    this.healthStatus = new Map();

    // Initialize health tracking
    this.fallbackChain.forEach((provider) => {
      this.healthStatus.set(provider, { healthy: true, failureCount: 0 });
    });
  }

  async execute(request: ChatRequest, next: NextFunction) {
    let lastError: Error | null = null;

    for (const provider of this.fallbackChain) {
      const health = this.healthStatus.get(provider);

      // Skip unhealthy providers
      if (!health?.healthy) {
        console.log(`Skipping ${provider} (marked unhealthy)`);
        continue;
      }

      try {
        console.log(`Attempting with ${provider}...`);

        // Set provider for this request
        request.metadata = request.metadata || {};
        request.metadata.provider = provider;

        const response = await next(request);

        // Success! Reset failure count
        health.failureCount = 0;
        console.log(`Success with ${provider}`);

        return response;
      } catch (error) {
        lastError = error as Error;
        health.failureCount++;

        // Mark as unhealthy after 3 failures
        if (health.failureCount >= 3) {
          health.healthy = false;
          console.log(`${provider} marked as unhealthy (${health.failureCount} failures)`);
        }

        console.log(`Failed with ${provider}: ${(error as Error).message}`);
      }
    }

    throw new Error(`All providers failed. Last error: ${lastError?.message}`);
  }
}

describe("the seed's FailoverMiddleware class", () => {
  let log: string[];
  beforeEach(() => {
    log = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void log.push(line));
  });
  afterEach(() => vi.restoreAllMocks());

  function fleet() {
    const openaiBackend = new MockBackend({
      name: 'openai',
      reply: { error: new OverloadedError({ message: 'OpenAI is overloaded' }) },
    });
    const anthropicBackend = new MockBackend({ name: 'anthropic', reply: { text: 'Hello from Claude' } });
    const groqBackend = new MockBackend({ name: 'groq', reply: { text: 'Hello from Groq' } });
    const deepseekBackend = new MockBackend({ name: 'deepseek', reply: { text: 'Hello from DeepSeek' } });

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
    return { bridge, openaiBackend, anthropicBackend };
  }

  it('fails over from openai to anthropic through a Router', async () => {
    const { bridge, openaiBackend, anthropicBackend } = fleet();
    const response = await bridge.execute({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(responseText(response)).toBe('Hello from Claude');
    expect(response.routing?.backend).toBe('anthropic');
    expect(openaiBackend.calls).toHaveLength(1);
    expect(anthropicBackend.calls).toHaveLength(1);
    expect(log).toContain('Failed with openai: OpenAI is overloaded');
  });

  it('works for streams too, and stops calling openai after 3 failures', async () => {
    const { bridge, openaiBackend } = fleet();
    for (let i = 0; i < 4; i++) {
      const response = await bridge.stream({ messages: [{ role: 'user', content: 'Hi' }] }).collect();
      expect(responseText(response)).toBe('Hello from Claude');
    }
    expect(openaiBackend.calls).toHaveLength(3);
    expect(log).toContain('Skipping openai (marked unhealthy)');
  });
});
