import { describe, expect, it } from 'vitest';
import type { ModelCatalog } from '../../backend.ts';
import type { ChatRequest } from '../../spec/request.ts';
import { MockBackend } from '../../test-support/mock-backend.ts';
import { createRegistration, type Registration } from '../registration.ts';
import { createStrategy, type RoutingStrategy, type StrategyContext } from './index.ts';

const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'x' }],
  ...extra,
});

function registrations(
  ...specs: Array<{ name: string; weight?: number; models?: Array<string | RegExp>; defaultModel?: string }>
): Map<string, Registration> {
  return new Map(
    specs.map((spec) => [
      spec.name,
      createRegistration(
        spec.name,
        new MockBackend({ name: spec.name, defaultModel: spec.defaultModel }),
        spec,
        false,
      ),
    ]),
  );
}

function context(
  registered: Map<string, Registration>,
  extra: Partial<StrategyContext> = {},
): StrategyContext {
  return {
    pool: [...registered.values()],
    registrations: registered,
    defaultBackend: registered.keys().next().value,
    modelMapping: undefined,
    catalog: undefined,
    customStrategy: undefined,
    ...extra,
  };
}

function picks(
  name: RoutingStrategy,
  ctx: StrategyContext,
  count: number,
  request = ask(),
): Array<string | undefined> {
  const strategy = createStrategy(name);
  return Array.from({ length: count }, () => strategy(request, ctx).name);
}

describe('routing strategies, each on its own', () => {
  it('explicit always answers the default backend', () => {
    const ctx = context(registrations({ name: 'a' }, { name: 'b' }), { defaultBackend: 'b' });
    expect(picks('explicit', ctx, 3)).toEqual(['b', 'b', 'b']);
  });

  it('model-based: mapping (exact, then glob) before registered models and default models', () => {
    const registered = registrations(
      { name: 'openai', models: [/^gpt-/] },
      { name: 'anthropic', defaultModel: 'claude-haiku-4-5' },
    );
    const ctx = context(registered, { modelMapping: { 'gpt-4o': 'anthropic', 'claude-*': 'openai' } });
    const pick = (model?: string) => createStrategy('model-based')(ask(model ? { model } : {}), ctx).name;
    expect(pick('gpt-4o')).toBe('anthropic');
    expect(pick('claude-sonnet-4-5')).toBe('openai');
    expect(pick('gpt-4.1')).toBe('openai');
    expect(pick()).toBe('openai');
    expect(pick('llama-3.3')).toBeUndefined();
    const unmapped = context(registered);
    expect(createStrategy('model-based')(ask({ model: 'claude-haiku-4-5' }), unmapped).name).toBe(
      'anthropic',
    );
  });

  it('round-robin cycles through the pool, and each instance keeps its own turn', () => {
    const ctx = context(registrations({ name: 'a' }, { name: 'b' }, { name: 'c' }));
    expect(picks('round-robin', ctx, 4)).toEqual(['a', 'b', 'c', 'a']);
    expect(picks('round-robin', { ...ctx, pool: ctx.pool.slice(1) }, 3)).toEqual(['b', 'c', 'b']);
  });

  it('weighted spreads picks by weight over a window', () => {
    const ctx = context(registrations({ name: 'a', weight: 3 }, { name: 'b', weight: 1 }));
    const window = picks('weighted', ctx, 8);
    expect(window.filter((name) => name === 'a')).toHaveLength(6);
    expect(window.slice(0, 4).filter((name) => name === 'b')).toHaveLength(1);
  });

  it('least-latency tries unmeasured backends first, then the fastest', () => {
    const registered = registrations({ name: 'a' }, { name: 'b' });
    registered.get('a')!.latencyMs = 40;
    const ctx = context(registered);
    expect(picks('least-latency', ctx, 1)).toEqual(['b']);
    registered.get('b')!.latencyMs = 90;
    const pick = createStrategy('least-latency')(ask(), ctx);
    expect(pick).toEqual({ name: 'a', reason: 'least latency (40.0 ms)' });
  });

  it('least-busy picks the backend with the fewest calls in flight', () => {
    const registered = registrations({ name: 'a' }, { name: 'b' });
    registered.get('a')!.inFlight = 2;
    registered.get('b')!.inFlight = 1;
    expect(createStrategy('least-busy')(ask(), context(registered))).toEqual({
      name: 'b',
      reason: 'least busy (1 in flight)',
    });
  });

  it('cost picks the cheapest priced model, unpriced ones last', () => {
    const registered = registrations(
      { name: 'free', defaultModel: 'unknown-model' },
      { name: 'dear', defaultModel: 'big' },
      { name: 'cheap', defaultModel: 'small' },
    );
    const prices: Record<string, number> = { big: 10, small: 0.5 };
    const catalog: ModelCatalog = {
      find: (model, provider = '') => {
        const price = prices[model];
        return price === undefined
          ? undefined
          : { id: model, provider, pricing: { inputPerMTok: price, outputPerMTok: price } };
      },
    };
    expect(createStrategy('cost')(ask(), context(registered, { catalog }))).toEqual({
      name: 'cheap',
      reason: 'cheapest (1.000 USD per 1M tokens in+out)',
    });
  });

  it('custom asks the function with every registered name, and falls back to the default', () => {
    const seen: Array<readonly string[]> = [];
    const ctx = context(registrations({ name: 'a' }, { name: 'b' }), {
      customStrategy: (request, names) => {
        seen.push(names);
        return request.model === 'pick-b' ? 'b' : undefined;
      },
    });
    expect(createStrategy('custom')(ask({ model: 'pick-b' }), ctx).name).toBe('b');
    expect(createStrategy('custom')(ask(), ctx)).toEqual({ name: 'a', reason: 'default backend' });
    expect(seen).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
    expect(() => createStrategy('custom')(ask(), { ...ctx, customStrategy: undefined })).toThrow(
      /needs a customStrategy/,
    );
  });

  it('an unknown strategy name is refused when the strategy is created', () => {
    expect(() => createStrategy('fastest' as RoutingStrategy)).toThrow(/Unknown routingStrategy 'fastest'/);
  });
});
