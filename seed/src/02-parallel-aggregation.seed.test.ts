import { afterEach, describe, expect, it, vi } from 'vitest';
import { useMockProviders } from './harness/mock-providers.ts';

const providers = useMockProviders();
afterEach(() => {
  vi.restoreAllMocks();
});

describe('guide pattern 2: parallel provider aggregation', () => {
  it('asks three providers at once and reports each, a failure included', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { aggregator, backends, results } = await import('./blocks/02-parallel-aggregation.ts');

    expect(results.map((r) => ['provider' in r ? r.provider : undefined, r.success])).toEqual([
      ['openai', true],
      ['anthropic', true],
      ['groq', true],
    ]);
    expect(results.map((r) => ('response' in r ? r.response?.content : undefined))).toEqual(
      Array(3).fill([{ type: 'text', text: 'Echo: What is AI?' }]),
    );
    expect([providers.calls('openai'), providers.calls('anthropic'), providers.calls('groq')]).toEqual([
      1, 1, 1,
    ]);
    // One 'response' event per provider. The guide prints `${response.content}`, written for a string;
    // a ChatResponse's content is a list of parts, so the line shows "[object Object]" there.
    expect(log.mock.calls.map(([line]) => String(line).split(':')[0]).sort()).toEqual([
      'anthropic',
      'groq',
      'openai',
    ]);

    // A provider failing: the guide's emit('error') has no listener, so it throws inside the catch;
    // Promise.allSettled still keeps the call from failing, and reports that provider as `{ success: false }`.
    providers.upstream.groq.enqueue({ error: 'invalid-request' });
    const again = await aggregator.executeParallel(
      { messages: [{ role: 'user', content: 'Again' }] },
      backends,
    );
    expect(again.map((r) => r.success)).toEqual([true, true, false]);
  });
});
