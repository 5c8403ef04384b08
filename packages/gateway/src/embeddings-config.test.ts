import { deterministicVector, type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type BuildOptions, type BuiltGateway, buildGateway } from './build-gateway.ts';
import { type GatewayConfigInput, gatewayConfigSchema } from './config-schema.ts';

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
});
