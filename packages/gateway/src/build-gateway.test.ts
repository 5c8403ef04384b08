import { BudgetExceededError } from 'ai.matey.core';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type BuildOptions, type BuiltGateway, buildGateway } from './build-gateway.ts';
import { type GatewayConfigInput, gatewayConfigSchema } from './config-schema.ts';
import { type StartedGateway, startGateway } from './start-gateway.ts';

const quiet: BuildOptions = { fleetTimeScale: 0, fleetFailureRate: 0, logDestination: { write() {} } };
const open: Array<{ close(): Promise<void> }> = [];

async function build(input: GatewayConfigInput, options: BuildOptions = {}): Promise<BuiltGateway> {
  const built = await buildGateway(gatewayConfigSchema.parse(input), { ...quiet, env: {}, ...options });
  open.push(built);
  return built;
}

async function upstream(options: Parameters<typeof startMockUpstream>[0] = {}): Promise<MockUpstream> {
  const started = await startMockUpstream(options);
  open.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

const hello = { messages: [{ role: 'user' as const, content: 'hello matey' }] };

describe('buildGateway', () => {
  it('serves the simulated fleet when no provider is configured and no key is set', async () => {
    const built = await build({});
    expect(built.fleet).toBeDefined();
    expect(built.providers.map((p) => p.name)).toEqual(['openai', 'anthropic', 'groq', 'deepseek']);
    expect(built.providers.every((p) => p.simulated)).toBe(true);
    const deltas: string[] = [];
    for await (const event of built.bridge.stream({ ...hello, model: 'claude-haiku-4-5' })) {
      if (event.type === 'text-delta') deltas.push(event.delta);
    }
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toContain('claude-haiku-4-5 on the simulated anthropic upstream');
    expect(deltas.join('')).toContain('You said: "hello matey"');
  });

  it('enables a provider whose key is in the environment, at its *_BASE_URL, not simulated', async () => {
    const groq = await upstream({ apiKeys: ['gsk_from_env_123'], reply: { text: 'real groq here' } });
    const built = await build(
      {},
      { env: { GROQ_API_KEY: 'gsk_from_env_123', GROQ_BASE_URL: `${groq.url}/v1` } },
    );
    expect(built.fleet).toBeUndefined();
    expect(built.providers).toEqual([
      expect.objectContaining({ name: 'groq', simulated: false, baseURL: `${groq.url}/v1` }),
    ]);
    const reply = await built.bridge.stream(hello).collect();
    expect(reply.content).toEqual([{ type: 'text', text: 'real groq here' }]);
    expect(reply.provider).toBe('groq');
    // The mock demands the key: the call got through, so the env key was sent.
    expect(groq.requests.at(-1)?.status).toBe(200);
  });

  it('uses the providers of the config alone when it lists any, openai-compatible ones included', async () => {
    const local = await upstream({ reply: { text: 'from the local server' } });
    const built = await build(
      {
        providers: {
          mine: {
            type: 'openai-compatible',
            baseURL: `${local.url}/v1`,
            defaultModel: 'tiny-1',
            models: ['tiny-2'],
          },
          off: { type: 'groq', apiKey: 'unused-key', enabled: false },
        },
      },
      { env: { OPENAI_API_KEY: 'sk-ignored-because-config-lists-providers' } },
    );
    expect(built.providers.map((p) => [p.name, p.type, p.models, p.simulated])).toEqual([
      ['mine', 'openai-compatible', ['tiny-2', 'tiny-1'], false],
    ]);
    const reply = await built.bridge.execute({ ...hello, model: 'tiny-2' });
    expect(reply.content).toEqual([{ type: 'text', text: 'from the local server' }]);
    expect(local.requests.at(-1)?.model).toBe('tiny-2');
    await expect(build({ providers: { nope: { type: 'no-such-preset' } } })).rejects.toThrow(
      /providers\.nope\.type: unknown type 'no-such-preset': not a built-in one \(openai, anthropic, .*, openai-compatible\) and no package of that name is installed/,
    );
  });

  it('refuses names of providers the environment did not enable, listing those it did', async () => {
    await expect(
      build({ routing: { defaultProvider: 'mistral', fallbacks: ['groq', 'gemini/gemini-2.5-flash'] } }),
    ).rejects.toThrow(
      [
        "config: routing.defaultProvider: 'mistral' is not a provider (enabled providers: openai, anthropic, groq, deepseek)",
        "config: routing.fallbacks.1: 'gemini' is not a provider (enabled providers: openai, anthropic, groq, deepseek)",
      ].join('\n'),
    );
  });

  it('rewrites a model alias before routing', async () => {
    const one = await upstream({ reply: { text: 'one' } });
    const two = await upstream({ reply: { text: 'two' } });
    const built = await build({
      providers: {
        one: { type: 'openai-compatible', baseURL: `${one.url}/v1`, models: ['m-one'] },
        two: { type: 'openai-compatible', baseURL: `${two.url}/v1`, models: ['m-two'] },
      },
      models: { fast: 'two/real-model-id', plain: 'm-one' },
    });
    const viaPrefix = await built.bridge.execute({ ...hello, model: 'fast' });
    expect(viaPrefix.content).toEqual([{ type: 'text', text: 'two' }]);
    expect(two.requests.at(-1)?.model).toBe('real-model-id');
    const viaMapping = await built.bridge.execute({ ...hello, model: 'plain' });
    expect(viaMapping.content).toEqual([{ type: 'text', text: 'one' }]);
    expect(one.requests.at(-1)?.model).toBe('m-one');
    // A model named like an Object.prototype member is not an alias: it goes on as asked.
    await expect(built.bridge.execute({ ...hello, model: 'toString' })).rejects.toMatchObject({
      kind: 'model-not-found',
      message: "No backend serves model 'toString'",
    });
  });

  it('refuses a key whose daily budget is spent (BudgetExceeded), other keys unaffected', async () => {
    const built = await build({
      keys: [
        { id: 'tiny', key: 'tiny-budget-key', budgetUsdPerDay: 0.0001 },
        { id: 'rich', key: 'rich-budget-key', budgetUsdPerDay: 100 },
      ],
    });
    // The budget is kept by the gateway's policy point, which every front-end calls through.
    const call = (keyId: string) =>
      built.gateway.policy.execute({ id: keyId }, { ...hello, model: 'openai/gpt-4o', maxOutputTokens: 4 });
    // The worst case (input + 4 output tokens, ~$0.00007) fits once; the reply is charged up to
    // it, which leaves too little for a second call's worst case.
    await expect(call('tiny')).resolves.toMatchObject({ provider: 'openai' });
    const refused = await call('tiny').catch((error: unknown) => error);
    expect(BudgetExceededError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({ status: 429, isRetryable: false });
    await expect(call('rich')).resolves.toMatchObject({ provider: 'openai' });
  });
});

describe('startGateway keys', () => {
  let started: StartedGateway | undefined;
  afterEach(async () => {
    await started?.shutdown();
    started = undefined;
  });

  it('answers 429 to the third call in a minute of a key limited to 2 requests per minute', async () => {
    started = await startGateway(
      gatewayConfigSchema.parse({
        server: { port: 0 },
        keys: [
          { id: 'limited', key: 'limited-key-123', requestsPerMinute: 2 },
          { id: 'free', key: 'unlimited-key-456' },
        ],
      }),
      quiet,
    );
    const url = started.url;
    const post = (key: string) =>
      fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      });
    expect((await post('limited-key-123')).status).toBe(200);
    expect((await post('limited-key-123')).status).toBe(200);
    const third = await post('limited-key-123');
    expect(third.status).toBe(429);
    const body = (await third.json()) as { error: { type: string; message: string } };
    expect(body.error.message).toMatch(/rate limit/i);
    expect(body.error.message).not.toContain('limited-key-123');
    expect((await post('unlimited-key-456')).status).toBe(200);
    expect((await post('not-a-key-at-all')).status).toBe(401);
  });
});
