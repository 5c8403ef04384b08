import { describe, expect, it } from 'vitest';
import type { ModelCatalog } from '../backend.ts';
import { Bridge } from '../bridge.ts';
import { AllBackendsFailedError } from '../errors/all-backends-failed-error.ts';
import { AuthenticationError } from '../errors/authentication-error.ts';
import { InvalidRequestError } from '../errors/invalid-request-error.ts';
import { UpstreamServerError } from '../errors/upstream-server-error.ts';
import type { ChatRequest } from '../spec/request.ts';
import { MockBackend } from '../test-support/mock-backend.ts';
import { Router } from './router.ts';

const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: text }],
  ...extra,
});

function fleet(...names: string[]) {
  return Object.fromEntries(names.map((name) => [name, new MockBackend({ name, reply: { text: name } })]));
}

async function servedBy(router: Router, request: ChatRequest): Promise<string | undefined> {
  return (await router.execute(request)).routing?.backend;
}

describe('Router strategies', () => {
  it('explicit: metadata.provider wins, else the default backend', async () => {
    const b = fleet('a', 'b');
    const router = new Router({ defaultBackend: 'b' }).register('a', b.a!).register('b', b.b!);
    expect(await servedBy(router, ask('x'))).toBe('b');
    expect(await servedBy(router, ask('x', { metadata: { provider: 'a' } }))).toBe('a');
  });

  it('always honours a provider/model prefix and strips it before the backend sees it', async () => {
    const b = fleet('openai', 'groq');
    const router = new Router({ routingStrategy: 'round-robin' })
      .register('openai', b.openai!)
      .register('groq', b.groq!);
    for (let i = 0; i < 3; i++)
      expect(await servedBy(router, ask('x', { model: 'groq/llama-3.3' }))).toBe('groq');
    expect(b.groq!.calls.map((c) => c.model)).toEqual(['llama-3.3', 'llama-3.3', 'llama-3.3']);
    // A slash that is not a registered name is part of the model id (OpenRouter style).
    const response = await router.execute(ask('x', { model: 'meta-llama/llama-3' }));
    expect(response.model).toBe('meta-llama/llama-3');
  });

  it('model-based: exact ids, glob patterns and registered model lists', async () => {
    const b = fleet('openai', 'anthropic', 'gemini');
    const router = new Router({
      routingStrategy: 'model-based',
      modelMapping: { 'gpt-4o': 'openai', 'claude-*': 'anthropic' },
    })
      .register('openai', b.openai!)
      .register('anthropic', b.anthropic!)
      .register('gemini', b.gemini!, { models: [/^gemini-/] });
    expect(await servedBy(router, ask('x', { model: 'gpt-4o' }))).toBe('openai');
    expect(await servedBy(router, ask('x', { model: 'claude-sonnet-4-5' }))).toBe('anthropic');
    expect(await servedBy(router, ask('x', { model: 'gemini-2.5-flash' }))).toBe('gemini');
    await expect(router.execute(ask('x', { model: 'nope-1' }))).rejects.toMatchObject({
      kind: 'model-not-found',
    });
  });

  it('round-robin cycles through the backends', async () => {
    const b = fleet('a', 'b', 'c');
    const router = new Router({ routingStrategy: 'round-robin' });
    for (const name of ['a', 'b', 'c']) router.register(name, b[name]!);
    const served = [];
    for (let i = 0; i < 6; i++) served.push(await servedBy(router, ask('x')));
    expect(served).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('weighted: exact proportions over many calls, smooth, and independent of registration order', async () => {
    const sequence = async (order: string[]) => {
      const b = fleet('a', 'b', 'c');
      const weights: Record<string, number> = { a: 5, b: 3, c: 2 };
      const router = new Router({ routingStrategy: 'weighted' });
      for (const name of order) router.register(name, b[name]!, { weight: weights[name]! });
      const served: string[] = [];
      for (let i = 0; i < 1000; i++) served.push((await servedBy(router, ask('x')))!);
      return served;
    };
    const forward = await sequence(['a', 'b', 'c']);
    const backward = await sequence(['c', 'b', 'a']);
    expect(forward).toEqual(backward);
    const counts = (list: string[]) =>
      Object.fromEntries(['a', 'b', 'c'].map((n) => [n, list.filter((s) => s === n).length]));
    expect(counts(forward)).toEqual({ a: 500, b: 300, c: 200 });
    // Smooth: in every window of 10 consecutive picks, each backend appears exactly weight times.
    for (let start = 0; start < 1000; start += 10) {
      expect(counts(forward.slice(start, start + 10))).toEqual({ a: 5, b: 3, c: 2 });
    }
  });

  it('least-latency prefers the fastest backend once measured', async () => {
    const router = new Router({ routingStrategy: 'least-latency' })
      .register('slow', new MockBackend({ name: 'slow', reply: { text: 's', latencyMs: 40 } }))
      .register('fast', new MockBackend({ name: 'fast', reply: { text: 'f', latencyMs: 2 } }));
    await router.execute(ask('x'));
    await router.execute(ask('x'));
    const served = [];
    for (let i = 0; i < 5; i++) served.push(await servedBy(router, ask('x')));
    expect(served).toEqual(['fast', 'fast', 'fast', 'fast', 'fast']);
    expect(router.stats().slow?.latencyMs).toBeGreaterThan(router.stats().fast?.latencyMs ?? 0);
  });

  it('least-busy sends new calls to the backend with fewer in flight', async () => {
    const router = new Router({ routingStrategy: 'least-busy' })
      .register('a', new MockBackend({ name: 'a', reply: { text: 'a', latencyMs: 50 } }))
      .register('b', new MockBackend({ name: 'b', reply: { text: 'b', latencyMs: 50 } }));
    const served = await Promise.all([1, 2, 3, 4].map(() => servedBy(router, ask('x'))));
    expect(served.sort()).toEqual(['a', 'a', 'b', 'b']);
  });

  it('cost picks the cheapest backend for the model from the catalog', async () => {
    const prices: Record<string, number> = { pricey: 10, cheap: 0.5, middling: 2 };
    const catalog: ModelCatalog = {
      find: (model, provider) =>
        provider && prices[provider] !== undefined
          ? {
              id: model,
              provider,
              pricing: { inputPerMTok: prices[provider]!, outputPerMTok: prices[provider]! },
            }
          : undefined,
    };
    const router = new Router({ routingStrategy: 'cost', catalog });
    for (const name of ['pricey', 'cheap', 'middling']) router.register(name, new MockBackend({ name }));
    const response = await router.execute(ask('x'));
    expect(response.routing?.backend).toBe('cheap');
    expect(response.routing?.reason).toMatch(/cheapest/);
  });

  it('custom calls the strategy function with the request', async () => {
    const b = fleet('short', 'long');
    const router = new Router({
      routingStrategy: 'custom',
      customStrategy: (request) => (JSON.stringify(request.messages).length > 60 ? 'long' : 'short'),
    })
      .register('short', b.short!)
      .register('long', b.long!);
    expect(await servedBy(router, ask('hi'))).toBe('short');
    expect(await servedBy(router, ask('a much longer question that needs the bigger model'))).toBe('long');
  });
});

describe('Router fallback and circuit breaking', () => {
  it('falls back along the chain and says so on the response', async () => {
    const router = new Router({ defaultBackend: 'a', fallbackChain: ['a', 'b', 'c'], circuitBreaker: false })
      .register(
        'a',
        new MockBackend({ name: 'a', reply: { error: new UpstreamServerError({ message: 'a is down' }) } }),
      )
      .register(
        'b',
        new MockBackend({ name: 'b', reply: { error: new AuthenticationError({ message: 'bad key' }) } }),
      )
      .register('c', new MockBackend({ name: 'c', reply: { text: 'from c' } }));
    const response = await router.execute(ask('x'));
    expect(response.routing).toMatchObject({ backend: 'c', attempts: 3 });
    expect(response.routing?.failures?.map((f) => f.backend)).toEqual(['a', 'b']);
  });

  it('swaps the model for a backend/model fallback entry', async () => {
    const anthropic = new MockBackend({ name: 'anthropic', reply: { text: 'claude here' } });
    const router = new Router({
      routingStrategy: 'model-based',
      modelMapping: { 'gpt-4o': 'openai' },
      fallbackChain: ['anthropic/claude-haiku-4-5'],
    })
      .register(
        'openai',
        new MockBackend({ name: 'openai', reply: { error: new UpstreamServerError({ message: 'down' }) } }),
      )
      .register('anthropic', anthropic);
    const response = await router.execute(ask('x', { model: 'gpt-4o' }));
    expect(response.routing).toMatchObject({ backend: 'anthropic', attempts: 2 });
    expect(anthropic.calls[0]?.model).toBe('claude-haiku-4-5');
  });

  it('does not fall back on an invalid request, and reports every attempt when all fail', async () => {
    const invalid = new Router({ fallbackChain: ['a', 'b'] })
      .register(
        'a',
        new MockBackend({ name: 'a', reply: { error: new InvalidRequestError({ message: 'bad field' }) } }),
      )
      .register('b', new MockBackend({ name: 'b' }));
    await expect(invalid.execute(ask('x'))).rejects.toMatchObject({ kind: 'invalid-request' });
    const down = new UpstreamServerError({ message: 'down' });
    const dead = new Router({ fallbackChain: ['a', 'b'] })
      .register('a', new MockBackend({ name: 'a', reply: { error: down } }))
      .register('b', new MockBackend({ name: 'b', reply: { error: down } }));
    const error = await dead.execute(ask('x')).catch((e: unknown) => e);
    expect(AllBackendsFailedError.isInstance(error)).toBe(true);
    expect((error as AllBackendsFailedError).attempts.map((a) => a.backend)).toEqual(['a', 'b']);
  });

  it('falls back for a stream that fails before its first event, and tags the start event', async () => {
    const a = new MockBackend({ name: 'a', reply: { error: new UpstreamServerError({ message: 'down' }) } });
    const router = new Router({ fallbackChain: ['a', 'b'] })
      .register('a', a)
      .register('b', new MockBackend({ name: 'b', reply: { text: 'hello from b' } }));
    const bridge = new Bridge({ backend: router });
    const failovers: string[] = [];
    bridge.on('backend:failover', ({ from, to }) => failovers.push(`${from}->${to}`));
    const response = await bridge.stream(ask('x')).collect();
    expect(response.content).toEqual([{ type: 'text', text: 'hello from b' }]);
    expect(response.routing).toMatchObject({ backend: 'b', attempts: 2 });
    expect(failovers).toEqual(['a->b']);
  });

  it('does not fall back once a stream has sent its first event', async () => {
    const a = new MockBackend({ name: 'a', reply: { text: 'one two three four', failAfterEvents: 2 } });
    const b = new MockBackend({ name: 'b' });
    const router = new Router({ fallbackChain: ['a', 'b'] }).register('a', a).register('b', b);
    await expect(new Bridge({ backend: router }).stream(ask('x')).collect()).rejects.toMatchObject({
      kind: 'network',
    });
    expect(b.calls).toHaveLength(0);
  });

  it('opens a circuit after real failures, fails fast while open, and closes after a good probe', async () => {
    let now = 1_000;
    const flaky = new MockBackend({ name: 'flaky' });
    const router = new Router({
      circuitBreaker: { failureThreshold: 2, cooldownMs: 5_000, now: () => now },
    }).register('flaky', flaky);
    flaky.enqueue(
      { error: new UpstreamServerError({ message: '500' }) },
      { error: new UpstreamServerError({ message: '500' }) },
    );
    await expect(router.execute(ask('x'))).rejects.toThrow('500');
    await expect(router.execute(ask('x'))).rejects.toThrow('500');
    expect(router.circuitStates().flaky?.state).toBe('open');
    await expect(router.execute(ask('x'))).rejects.toMatchObject({ code: 'circuit_open' });
    expect(flaky.calls).toHaveLength(2);
    now += 5_000;
    expect(router.circuitStates().flaky?.state).toBe('half-open');
    expect((await router.execute(ask('x'))).content).toHaveLength(1);
    expect(router.circuitStates().flaky?.state).toBe('closed');
  });

  it('refuses a backend that lacks a capability the request needs, precisely', async () => {
    const router = new Router().register(
      'plain',
      new MockBackend({ name: 'plain', capabilities: { tools: false } }),
    );
    const request = ask('x', { tools: [{ name: 'lookup', inputSchema: { type: 'object' } }] });
    await expect(router.execute(request)).rejects.toMatchObject({
      kind: 'unsupported-feature',
      message: expect.stringMatching(/tools/),
    });
  });

  it('skips an unregistered backend and keeps routing after unregister', async () => {
    const b = fleet('a', 'b');
    const router = new Router({ routingStrategy: 'round-robin' }).register('a', b.a!).register('b', b.b!);
    router.unregister('a');
    expect(await servedBy(router, ask('x'))).toBe('b');
    expect(router.defaultBackend).toBe('b');
  });
});
