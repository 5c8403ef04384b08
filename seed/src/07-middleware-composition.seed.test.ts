import { describe, expect, it } from 'vitest';
import { useMockProviders } from './harness/mock-providers.ts';

const providers = useMockProviders();

describe('guide pattern 7: middleware composition', () => {
  it('validates, rate-limits and formats, short-circuiting before the provider', async () => {
    const { bridge } = await import('./blocks/07-middleware-composition.ts');

    const reply = await bridge.execute({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    expect(reply.metadata).toMatchObject({ formatted: true, timestamp: expect.any(String) });
    expect(reply.content).toEqual([{ type: 'text', text: 'Echo: Hi' }]);
    expect(providers.calls('openai')).toBe(1);

    // Validation refuses a request with no model; the provider never sees it.
    await expect(bridge.execute({ messages: [{ role: 'user', content: 'no model' }] })).rejects.toThrow(
      'Missing required field: model',
    );
    expect(providers.calls('openai')).toBe(1);

    // 10 a minute per user: the 11th is refused, and not sent.
    for (let i = 0; i < 9; i++)
      await bridge.execute({ model: 'm', messages: [{ role: 'user', content: `${i}` }] });
    await expect(
      bridge.execute({ model: 'm', messages: [{ role: 'user', content: 'eleventh' }] }),
    ).rejects.toThrow('Rate limit exceeded');
    expect(providers.calls('openai')).toBe(10);
    // Another user has a budget of their own.
    const other = await bridge.execute({
      model: 'm',
      messages: [{ role: 'user', content: 'mine' }],
      metadata: { userId: 'ada' },
    });
    expect(other.metadata).toMatchObject({ formatted: true });
  });

  it("a stream goes through the guide's formatting middleware and still streams", async () => {
    const { Bridge } = await import('ai.matey.core');
    const { FormattingMiddleware } = await import('./blocks/07-middleware-composition.ts');
    const { openaiBackend } = await import('./harness/guide-backends.ts');
    const bridge = new Bridge({ backend: openaiBackend }).use(new FormattingMiddleware());
    const events: string[] = [];
    for await (const event of bridge.stream({ model: 'm', messages: [{ role: 'user', content: 'Hey' }] })) {
      events.push(event.type);
    }
    expect(events[0]).toBe('start');
    expect(events).toContain('text-delta');
    expect(events.at(-1)).toBe('finish');
    expect(providers.upstream.openai.requests.filter((r) => r.stream)).toHaveLength(1);
  });
});
