import { Bridge } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { useMockProviders } from './harness/mock-providers.ts';

const providers = useMockProviders();

describe('guide pattern 1: complexity-based routing', () => {
  it("routes each query by the guide's analyzer to the adapter of its tier, over HTTP", async () => {
    const { router, analyzeComplexity } = await import('./blocks/01-complexity-routing.ts');
    const bridge = new Bridge({ backend: router });
    const servedBy = async (content: string) => {
      const reply = await bridge.execute({ messages: [{ role: 'user', content }] });
      return `${reply.routing?.backend}/${reply.provider}`;
    };

    expect(await servedBy('What is the capital of France?')).toBe('groq/groq');
    expect(await servedBy('Explain how a hash map works in a few sentences please')).toBe(
      'deepseek/deepseek',
    );
    const complex =
      'Analyze and compare the CAP theorem trade-offs of three distributed databases, with 12 * 7 replicas across regions in the design';
    expect(await servedBy(complex)).toBe('openai/openai');
    expect([providers.calls('groq'), providers.calls('deepseek'), providers.calls('openai')]).toEqual([
      1, 1, 1,
    ]);

    // The analyzer tops out at 30 + 20 + 15 + 10 = 75, so the anthropic tier (>= 80) is unreachable
    // as written: the most complex query there is still lands on openai.
    const long = `Evaluate and synthesize the NATO and EU approaches, computing 3 + 4 along the way. ${'word '.repeat(70)}`;
    expect(analyzeComplexity(long)).toBe(75);
    expect(await servedBy(long)).toBe('openai/openai');
    expect(providers.calls('anthropic')).toBe(0);
  });
});
