import { describe, expect, it } from 'vitest';
import { useMockProviders } from './harness/mock-providers.ts';

const providers = useMockProviders();

describe('guide combination: cost-optimized batch processing', () => {
  it('sends each request to the cheapest medium-tier provider, all at once (20 a minute allows it)', async () => {
    const started = performance.now();
    const { optimizedRequests } = await import('./blocks/10-cost-optimized-batch.ts');
    const elapsed = performance.now() - started;
    expect(optimizedRequests.map((r) => r.provider)).toEqual(['deepseek', 'deepseek', 'deepseek']);
    expect(providers.calls('deepseek')).toBe(3);
    expect(providers.calls('groq') + providers.calls('openai') + providers.calls('anthropic')).toBe(0);
    expect(providers.upstream.deepseek.requests.map((r) => r.request?.messages[0]?.content).sort()).toEqual([
      'Is 17 prime?',
      'Spell necessary.',
      'What is the capital of France?',
    ]);
    // 3 requests under a limit of 20 a minute: no wait.
    expect(elapsed).toBeLessThan(2_000);
  });
});
