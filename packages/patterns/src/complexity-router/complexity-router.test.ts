import { Bridge, type ChatRequest, Router } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { createComplexityRouter } from './create-complexity-router.ts';
import { analyzeComplexity, explainComplexity } from './explain-complexity.ts';

const ask = (content: string): ChatRequest => ({ messages: [{ role: 'user', content }] });

const SIMPLE = 'Hi there';
const MODERATE = 'Explain TCP congestion control';
const COMPLEX = 'Compare the REST and GraphQL API designs for a mobile app and evaluate 12 * 7';
const LONG_EVERYTHING = `Analyze ${'word '.repeat(70)} with SQL and 3 + 4`;

function fleet() {
  return {
    groq: new MockBackend({ name: 'groq', reply: { text: 'from groq' } }),
    deepseek: new MockBackend({ name: 'deepseek', reply: { text: 'from deepseek' } }),
    openai: new MockBackend({ name: 'openai', reply: { text: 'from openai' } }),
    anthropic: new MockBackend({ name: 'anthropic', reply: { text: 'from anthropic' } }),
  };
}

describe('explainComplexity', () => {
  it('scores exactly as the seed analyzer and lists why', () => {
    expect(analyzeComplexity(SIMPLE)).toBe(1);
    const moderate = explainComplexity(MODERATE);
    expect(moderate.score).toBe(32);
    expect(moderate.parts).toEqual([
      { factor: 'length', points: 2, reason: '4 words' },
      { factor: 'keyword', points: 20, reason: "contains 'explain'" },
      { factor: 'math', points: 0, reason: 'no formula' },
      { factor: 'acronym', points: 10, reason: "acronym 'TCP'" },
    ]);
    expect(explainComplexity(COMPLEX).score).toBe(8 + 20 + 15 + 10);
    expect(explainComplexity(COMPLEX).parts.find((p) => p.factor === 'math')?.reason).toBe(
      "formula '12 * 7'",
    );
  });

  it('tops out at 75: the seed analyzer can never reach its own 80+ tier', () => {
    expect(analyzeComplexity(LONG_EVERYTHING)).toBe(75);
  });
});

describe("the seed's pattern 1 snippet", () => {
  it('routes queries of different complexity to different backends', async () => {
    const backends = fleet();
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
    router.register('groq', backends.groq);
    router.register('deepseek', backends.deepseek);
    router.register('openai', backends.openai);
    router.register('anthropic', backends.anthropic);
    const bridge = new Bridge({ backend: router });

    expect((await bridge.execute(ask(SIMPLE))).routing?.backend).toBe('groq');
    expect((await bridge.execute(ask(MODERATE))).routing?.backend).toBe('deepseek');
    expect((await bridge.execute(ask(COMPLEX))).routing?.backend).toBe('openai');
    expect((await bridge.execute(ask(LONG_EVERYTHING))).routing?.backend).toBe('openai');
    expect(backends.groq.calls).toHaveLength(1);
    expect(backends.deepseek.calls).toHaveLength(1);
    expect(backends.openai.calls).toHaveLength(2);
    expect(backends.anthropic.calls).toHaveLength(0);
  });
});

describe('createComplexityRouter', () => {
  it('serves each tier from its backend and records the decision on the reply', async () => {
    const backends = fleet();
    const backend = createComplexityRouter({
      tiers: [
        { maxScore: 25, backend: backends.groq },
        { maxScore: 50, backend: backends.deepseek },
        { maxScore: 80, backend: backends.openai },
        { backend: backends.anthropic },
      ],
    });
    const bridge = new Bridge({ backend });
    const moderate = await bridge.execute(ask(MODERATE));
    expect(moderate.routing?.backend).toBe('deepseek');
    expect(moderate.metadata?.complexity).toEqual({ ...explainComplexity(MODERATE), tier: 'deepseek' });
    expect((await bridge.execute(ask(SIMPLE))).metadata?.complexity).toMatchObject({
      score: 1,
      tier: 'groq',
    });
    expect((await bridge.execute(ask(COMPLEX))).routing?.backend).toBe('openai');
    expect(backends.anthropic.calls).toHaveLength(0);
  });

  it('takes a custom analyzer and names backends from a map; streams say why in routing', async () => {
    const backends = fleet();
    const backend = createComplexityRouter({
      backends,
      tiers: [{ maxScore: 50, backend: 'groq' }, { backend: 'anthropic' }],
      analyzer: (query) => (query.includes('proof') ? 90 : 10),
    });
    const bridge = new Bridge({ backend });
    const reply = await bridge.execute(ask('Write a proof'));
    expect(reply.metadata?.complexity).toEqual({ score: 90, parts: [], tier: 'anthropic' });

    let reason = '';
    for await (const event of bridge.stream(ask('hello'))) {
      if (event.type === 'start') reason = event.routing?.reason ?? '';
    }
    expect(reason).toContain('complexity 10 → groq');
    expect(backends.groq.calls).toHaveLength(1);
  });

  it('rejects a tier naming an unknown backend', () => {
    expect(() => createComplexityRouter({ tiers: [{ backend: 'nope' }] })).toThrow(/not in `backends`/);
  });
});
