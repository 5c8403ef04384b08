import {
  type AiMateyError,
  AllBackendsFailedError,
  AuthenticationError,
  type Backend,
  Bridge,
  type ChatRequest,
  type ChatResponse,
  InvalidRequestError,
  NetworkError,
  OverloadedError,
  RateLimitError,
  Router,
  responseText,
  type StreamEvent,
  TimeoutError,
  UpstreamServerError,
} from 'ai.matey.core';
import { MockBackend, type MockBackendOptions } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import {
  createFailoverMiddleware,
  type FailoverOptions,
  type FailoverReport,
} from './create-failover-middleware.ts';

const CHAIN = ['openai', 'anthropic', 'groq', 'deepseek'];
const ask = (content = 'Tell me about foxes'): ChatRequest => ({ messages: [{ role: 'user', content }] });

function setup(
  mocks: Partial<Record<string, MockBackendOptions>> = {},
  options: Partial<FailoverOptions> = {},
) {
  const backends = Object.fromEntries(
    CHAIN.map((name) => [name, new MockBackend({ name, reply: { text: `from ${name}` }, ...mocks[name] })]),
  ) as Record<string, MockBackend>;
  const router = new Router({ defaultBackend: 'openai', circuitBreaker: false });
  for (const name of CHAIN) router.register(name, backends[name] as MockBackend);
  const failover = createFailoverMiddleware({ chain: CHAIN, ...options });
  // A chain of four may call all four: the request's budget of upstream calls says so.
  const bridge = new Bridge({ backend: router, maxAttempts: 4 }).use(failover);
  return { backends, router, failover, bridge, calls: (name: string) => backends[name]?.calls.length };
}

const faults: Array<[string, () => AiMateyError, string]> = [
  ['5xx', () => new UpstreamServerError({ message: 'Internal error', status: 500 }), 'upstream-server'],
  ['429', () => new RateLimitError({ message: 'Slow down', retryAfterMs: 1_000 }), 'rate-limited'],
  ['timeout', () => new TimeoutError({ message: 'Upstream timed out' }), 'timeout'],
  [
    'connection reset',
    () => new NetworkError({ message: 'ECONNRESET: socket hang up', code: 'ECONNRESET' }),
    'network',
  ],
  [
    'malformed reply',
    () => new UpstreamServerError({ message: 'Unparseable body', code: 'malformed_response', status: 502 }),
    'upstream-server',
  ],
  ['auth', () => new AuthenticationError({ message: 'Invalid API key', status: 401 }), 'authentication'],
  ['overloaded', () => new OverloadedError({ message: 'Overloaded', status: 529 }), 'overloaded'],
];

async function serve(bridge: Bridge, mode: 'execute' | 'stream', request = ask()) {
  if (mode === 'execute') {
    const response = await bridge.execute(request);
    return { response, report: response.metadata?.failover as FailoverReport };
  }
  const response = await bridge.stream(request).collect();
  return { response, report: response.providerMetadata?.failover as unknown as FailoverReport };
}

describe('createFailoverMiddleware: the seed’s fault kinds', () => {
  for (const mode of ['execute', 'stream'] as const) {
    it.each(faults)(`${mode}: %s fails over to the next provider`, async (_name, fault, kind) => {
      const { bridge, calls } = setup({ openai: { reply: { error: fault() } } });
      const { response, report } = await serve(bridge, mode);
      expect(responseText(response)).toBe('from anthropic');
      expect(report.provider).toBe('anthropic');
      expect(report.attempts.map((a) => [a.provider, a.outcome, a.errorKind])).toEqual([
        ['openai', 'failed', kind],
        ['anthropic', 'success', undefined],
      ]);
      expect(calls('openai')).toBe(1);
      expect(calls('groq')).toBe(0);
    });
  }

  it('stream cut before the first event fails over', async () => {
    const { bridge } = setup({ openai: { reply: { text: 'never seen', failAfterEvents: 0 } } });
    const { response, report } = await serve(bridge, 'stream');
    expect(responseText(response)).toBe('from anthropic');
    expect(report.attempts[0]).toMatchObject({ provider: 'openai', outcome: 'failed', errorKind: 'network' });
  });

  it('stream cut after the first event: no failover, the caller gets the error after the text', async () => {
    const { bridge, calls, failover } = setup({
      openai: { reply: { text: 'The quick brown fox', failAfterEvents: 3 } },
    });
    let text = '';
    const error = await (async () => {
      for await (const delta of bridge.stream(ask()).textStream()) text += delta;
    })().catch((e: unknown) => e);
    expect(text).toBe('The quick ');
    expect((error as AiMateyError).kind).toBe('network');
    expect(calls('anthropic')).toBe(0);
    expect(failover.auditTrail().at(-1)).toMatchObject({
      provider: 'openai',
      outcome: 'failed-mid-stream',
      charsSent: 10,
    });
  });

  it('stream cut after the first event with midStreamContinuation: spliced on the next provider', async () => {
    const { bridge, backends } = setup(
      {
        openai: { reply: { text: 'The quick brown fox', failAfterEvents: 3 } },
        anthropic: { reply: { text: ' brown fox jumps over the lazy dog.' } },
      },
      { midStreamContinuation: true },
    );
    const { response, report } = await serve(bridge, 'stream');
    expect(responseText(response)).toBe('The quick brown fox jumps over the lazy dog.');
    expect(response.content).toHaveLength(1);
    expect(report.splices).toEqual([{ at: 10, from: 'openai', to: 'anthropic' }]);
    expect(report.attempts.map((a) => a.outcome)).toEqual(['failed-mid-stream', 'success']);
    const continuation = backends.anthropic?.calls[0];
    expect(continuation?.messages.at(-1)).toEqual({ role: 'assistant', content: 'The quick' });
    expect(continuation?.metadata?.continuationOf).toEqual({ provider: 'openai', chars: 10 });
  });

  it('all providers down: AllBackendsFailedError carrying every attempt', async () => {
    const down = (error: AiMateyError) => ({ reply: { error } });
    const { bridge, failover } = setup({
      openai: down(new UpstreamServerError({ message: 'a', status: 500 })),
      anthropic: down(new OverloadedError({ message: 'b' })),
      groq: down(new RateLimitError({ message: 'c', retryAfterMs: 2_000 })),
      deepseek: down(new NetworkError({ message: 'd' })),
    });
    for (const mode of ['execute', 'stream'] as const) {
      const error = await serve(bridge, mode).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AllBackendsFailedError);
      const attempts = (error as AllBackendsFailedError).attempts;
      expect(attempts.map((a) => [a.backend, a.error.kind])).toEqual([
        ['openai', 'upstream-server'],
        ['anthropic', 'overloaded'],
        ['groq', 'rate-limited'],
        ['deepseek', 'network'],
      ]);
      expect((error as AllBackendsFailedError).retryAfterMs).toBe(2_000);
    }
    expect(failover.auditTrail()).toHaveLength(8);
  });
});

describe('createFailoverMiddleware: behaviour', () => {
  it('sets the provider on a copy: the caller’s request is not changed', async () => {
    const { bridge, backends } = setup({ openai: { reply: { error: new NetworkError({ message: 'x' }) } } });
    const request = ask();
    await bridge.execute(request);
    expect(request.metadata).toBeUndefined();
    expect(backends.anthropic?.calls[0]?.metadata?.provider).toBe('anthropic');
  });

  it('marks a provider unhealthy after N failures, skips it, and probes it after the cool-down', async () => {
    let now = 1_000_000;
    const { bridge, backends, failover, calls } = setup(
      { openai: { replies: [1, 2].map(() => ({ error: new OverloadedError({ message: 'busy' }) })) } },
      { unhealthyAfter: 2, recoverAfterMs: 5_000, now: () => now },
    );
    await bridge.execute(ask());
    await bridge.execute(ask());
    expect(failover.healthStatus().openai?.status).toBe('unhealthy');

    const skipped = await bridge.execute(ask());
    expect(calls('openai')).toBe(2);
    expect((skipped.metadata?.failover as FailoverReport | undefined)?.attempts[0]).toMatchObject({
      provider: 'openai',
      outcome: 'skipped',
      errorKind: 'upstream-server',
    });

    now += 5_000;
    const probed = await bridge.execute(ask());
    expect(calls('openai')).toBe(3);
    expect(responseText(probed)).toBe('from openai');
    expect(failover.healthStatus().openai).toEqual({ status: 'healthy', consecutiveFailures: 0 });
    expect(backends.anthropic?.calls).toHaveLength(3);
  });

  it('a failed probe restarts the cool-down', async () => {
    let now = 0;
    const { bridge, calls } = setup(
      { openai: { reply: { error: new OverloadedError({ message: 'busy' }) } } },
      { unhealthyAfter: 1, recoverAfterMs: 1_000, now: () => now },
    );
    await bridge.execute(ask());
    now = 1_000;
    await bridge.execute(ask());
    expect(calls('openai')).toBe(2);
    now = 1_500;
    await bridge.execute(ask());
    expect(calls('openai')).toBe(2);
  });

  it('does not fail over on the request’s own fault', async () => {
    const { bridge, calls } = setup({
      openai: {
        reply: { error: new InvalidRequestError({ message: 'bad temperature', param: 'temperature' }) },
      },
    });
    await expect(bridge.execute(ask())).rejects.toMatchObject({ kind: 'invalid-request' });
    expect(calls('anthropic')).toBe(0);
  });

  it('does not fail over once the caller cancelled', async () => {
    const { bridge, calls } = setup({ openai: { reply: { text: 'slow', latencyMs: 5_000 } } });
    const controller = new AbortController();
    const pending = bridge.execute(ask(), { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
    expect(calls('anthropic')).toBe(0);
  });

  it('continues only on providers whose capabilities allow it (asking the Router)', async () => {
    const { router, backends } = setup({
      openai: { reply: { text: 'Once upon a time there', failAfterEvents: 5 } },
      anthropic: { capabilities: { continuation: false } },
      groq: { reply: { text: 'there was a fox.' } },
    });
    const failover = createFailoverMiddleware({
      chain: CHAIN,
      midStreamContinuation: true,
      capabilities: router,
    });
    const spliced = new Bridge({ backend: router }).use(failover);
    const response: ChatResponse = await spliced.stream(ask()).collect();
    expect(responseText(response)).toBe('Once upon a time there was a fox.');
    const report = response.providerMetadata?.failover as unknown as FailoverReport;
    expect(report.splices).toEqual([{ at: 17, from: 'openai', to: 'groq' }]);
    expect(report.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual([
      'openai:failed-mid-stream',
      'anthropic:skipped',
      'groq:success',
    ]);
    expect(backends.anthropic?.calls).toHaveLength(0);
  });

  it('sums usage across a splice', async () => {
    const { router } = setup({
      anthropic: { reply: { text: 'three', usage: { inputTokens: 7, outputTokens: 1 } } },
    });
    const cut: Backend = {
      metadata: { name: 'cut', provider: 'cut', capabilities: { ...router.metadata.capabilities } },
      execute: () => Promise.reject(new Error('not used')),
      async *stream(): AsyncGenerator<StreamEvent> {
        yield { type: 'start', id: 'cut-1', model: 'm', provider: 'cut' };
        yield { type: 'usage', usage: { inputTokens: 5, outputTokens: 3, totalTokens: 8 } };
        yield { type: 'text-delta', index: 0, delta: 'one two ' };
        throw new NetworkError({ message: 'reset' });
      },
    };
    router.register('openai', cut);
    const failover = createFailoverMiddleware({ chain: CHAIN, midStreamContinuation: true });
    const response = await new Bridge({ backend: router }).use(failover).stream(ask()).collect();
    expect(responseText(response)).toBe('one two three');
    expect(response.usage).toMatchObject({ inputTokens: 12, outputTokens: 4, totalTokens: 16 });
  });

  it('judges a stream that reports an in-band error event as failed mid-stream, and splices after it', async () => {
    const { router } = setup({ anthropic: { reply: { text: ' fox.' } } });
    const inBand: Backend = {
      metadata: { name: 'in-band', provider: 'in-band', capabilities: { ...router.metadata.capabilities } },
      execute: () => Promise.reject(new Error('not used')),
      async *stream(): AsyncGenerator<StreamEvent> {
        yield { type: 'start', id: 'in-band-1', model: 'm', provider: 'in-band' };
        yield { type: 'text-delta', index: 0, delta: 'A quick' };
        yield { type: 'error', error: new OverloadedError({ message: 'overloaded mid-way' }) };
      },
    };
    router.register('openai', inBand);
    const failover = createFailoverMiddleware({ chain: CHAIN, midStreamContinuation: true });
    const response = await new Bridge({ backend: router }).use(failover).stream(ask()).collect();
    expect(responseText(response)).toBe('A quick fox.');
    const report = response.providerMetadata?.failover as unknown as FailoverReport;
    expect(report.attempts.map((a) => `${a.provider}:${a.outcome}:${a.charsSent ?? ''}`)).toEqual([
      'openai:failed-mid-stream:7',
      'anthropic:success:',
    ]);
    expect(failover.healthStatus().openai?.consecutiveFailures).toBe(1);
  });

  it('gives no verdict on a provider whose stream the reader stopped early', async () => {
    const { bridge, failover } = setup({ openai: { reply: { text: 'one two three four five six' } } });
    for await (const delta of bridge.stream(ask()).textStream()) if (delta) break;
    expect(failover.auditTrail()).toEqual([]);
    expect(failover.healthStatus().openai).toMatchObject({ status: 'healthy', consecutiveFailures: 0 });
  });
});
