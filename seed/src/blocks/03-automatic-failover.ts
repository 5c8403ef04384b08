import { Middleware } from 'ai.matey.core';

class FailoverMiddleware implements Middleware {
  private fallbackChain: string[];
  private healthStatus: Map<string, { healthy: boolean; failureCount: number }>;

  constructor(config: { chain: string[] }) {
    this.fallbackChain = config.chain;
    this.healthStatus = new Map();

    // Initialize health tracking
    this.fallbackChain.forEach(provider => {
      this.healthStatus.set(provider, { healthy: true, failureCount: 0 });
    });
  }

  async execute(request: any, next: any) {
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

        console.log(`Failed with ${provider}: ${(error as Error).message}`); // seed edit: strict mode types a catch variable `unknown`
      }
    }

    throw new Error(`All providers failed. Last error: ${lastError?.message}`);
  }
}

// Usage with Router
import { Router } from 'ai.matey.core';
// seed edit: the guide uses these without importing or defining them (see harness/guide-backends.ts)
import { Bridge } from 'ai.matey.core';
import { anthropicBackend, deepseekBackend, groqBackend, openaiBackend } from '../harness/guide-backends.ts';

const router = new Router({
  defaultBackend: 'openai'
});

router.register('openai', openaiBackend);
router.register('anthropic', anthropicBackend);
router.register('groq', groqBackend);
router.register('deepseek', deepseekBackend);

const bridge = new Bridge({ backend: router });

bridge.use(new FailoverMiddleware({
  chain: ['openai', 'anthropic', 'groq', 'deepseek']
}));

// seed edit: exported for the test
export { bridge, FailoverMiddleware, router };
