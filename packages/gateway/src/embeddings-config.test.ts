import { serveGateway } from 'ai.matey.http';
import { deterministicVector, type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { type BuildOptions, type BuiltGateway, buildGateway } from './build-gateway.ts';
import { type GatewayConfigInput, gatewayConfigSchema } from './config-schema.ts';
import { metricValues } from './test-support/metric-values.ts';

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

describe('embeddings in a gateway built from config', () => {
  it('the simulated fleet serves embeddings with no keys; a provider without them says so', async () => {
    const built = await build({});
    const reply = await built.bridge.embed({
      model: 'openai/text-embedding-3-small',
      inputs: ['a', 'b'],
      dimensions: 4,
    });
    expect(reply.embeddings).toEqual([deterministicVector('a', 4), deterministicVector('b', 4)]);
    await expect(
      built.bridge.embed({ model: 'anthropic/claude-haiku-4-5', inputs: ['a'] }),
    ).rejects.toMatchObject({
      kind: 'unsupported-feature',
      code: 'embeddings_not_supported',
    });
  });

  it('finds Voyage by its key in the environment; aliases name embedding models; chat never goes to Voyage', async () => {
    const voyage = await upstream({ apiKeys: ['pa-voyage-key-123'] });
    const groq = await upstream({ apiKeys: ['gsk_groq_key_123'], reply: { text: 'groq answers' } });
    const built = await build(
      { models: { docs: 'voyage/voyage-3.5' } },
      {
        env: {
          VOYAGE_API_KEY: 'pa-voyage-key-123',
          VOYAGE_BASE_URL: `${voyage.url}/v1`,
          GROQ_API_KEY: 'gsk_groq_key_123',
          GROQ_BASE_URL: `${groq.url}/v1`,
        },
      },
    );
    expect(built.providers.map((provider) => provider.name).sort()).toEqual(['groq', 'voyage']);
    const reply = await built.bridge.embed({ model: 'docs', inputs: ['query text'], inputType: 'query' });
    expect(reply).toMatchObject({ provider: 'voyage', embeddings: [deterministicVector('query text', 8)] });
    expect(voyage.requests.at(-1)?.body).toMatchObject({ model: 'voyage-3.5', input_type: 'query' });
    for (let i = 0; i < 3; i++) {
      const chat = await built.bridge.execute({ messages: [{ role: 'user', content: 'hi' }] });
      expect(chat.provider).toBe('groq');
    }
  });

  it("the cost of an embeddings batch is in /metrics and the log line, as a chat call's", async () => {
    const key = 'pa-voyage-key-456';
    const voyage = await upstream({ apiKeys: [key], embedReply: () => ({ fixture: 'voyage-embedding' }) });
    const groq = await upstream({
      apiKeys: ['gsk_groq_key_456'],
      reply: { text: 'hi', usage: { inputTokens: 10, outputTokens: 5 } },
    });
    const lines: Array<Record<string, unknown>> = [];
    const env = {
      VOYAGE_API_KEY: key,
      VOYAGE_BASE_URL: `${voyage.url}/v1`,
      GROQ_API_KEY: 'gsk_groq_key_456',
      GROQ_BASE_URL: `${groq.url}/v1`,
    };
    const built = await build({}, { env, logDestination: { write: (line) => lines.push(JSON.parse(line)) } });
    const server = await serveGateway(built.gateway, { port: 0 });
    open.push(server);
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    await client.embeddings.create({ model: 'voyage/voyage-3.5', input: ['a', 'b'] });
    const chat = await client.chat.completions.create({
      model: 'groq/llama-3.3-70b-versatile',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(chat.choices[0]?.message.content).toBe('hi');
    // 12 tokens (the recording's) at $0.06 per million.
    const cost = (12 * 0.06) / 1_000_000;
    const metrics = await metricValues(server.url);
    expect(metrics['matey_cost_usd_total{provider="voyage",model="voyage-3.5"}']).toBeCloseTo(cost, 12);
    expect(metrics['matey_cost_usd_total{provider="groq",model="llama-3.3-70b-versatile"}']).toBeGreaterThan(
      0,
    );
    const embedLine = lines.find((line) => line.mode === 'embed');
    expect(embedLine).toMatchObject({ provider: 'voyage', inputs: 2, inputTokens: 12 });
    expect(embedLine?.costUsd).toBeCloseTo(cost, 12);
    expect(lines.find((line) => line.mode === 'execute')?.costUsd).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain(key);
  });
});
