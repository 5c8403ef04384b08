import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { BuiltGateway } from './build-gateway.ts';
import { ConfigError } from './config-error.ts';
import { createGatewayFromConfig } from './create-gateway-from-config.ts';

const open: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function upstream(): Promise<MockUpstream> {
  const mock = await startMockUpstream({
    apiKeys: ['upstream-key-123'],
    reply: { text: 'Ahoy from upstream' },
  });
  open.push(mock);
  return mock;
}

describe('createGatewayFromConfig', () => {
  it('takes metricsKey from the config: /metrics asks for it, and only it', async () => {
    const metricsKey = 'config-metrics-key-52c1a0f3';
    const built: BuiltGateway = await createGatewayFromConfig(
      { keys: [{ id: 'me', key: 'gateway-key-456' }], metricsKey, middleware: { logging: false } },
      { env: {}, fleetTimeScale: 0 },
    );
    open.push(built);
    const server: RunningGateway = await serveGateway(built.gateway, { port: 0 });
    open.push(server);
    const scrape = (key: string) =>
      fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${key}` } });
    expect((await scrape('gateway-key-456')).status).toBe(401);
    const served = await scrape(metricsKey);
    expect(served.status).toBe(200);
    expect(await served.text()).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('builds the gateway from a config object; served in the caller’s own program, the OpenAI SDK streams through it', async () => {
    const mock = await upstream();
    const built: BuiltGateway = await createGatewayFromConfig(
      {
        providers: {
          mock: {
            type: 'openai-compatible',
            baseURL: `${mock.url}/v1`,
            apiKey: 'upstream-key-123',
            models: ['mock-model'],
          },
        },
        keys: [{ id: 'me', key: 'gateway-key-123' }],
        middleware: { logging: false },
      },
      { env: {} },
    );
    open.push(built);
    const server: RunningGateway = await serveGateway(built.gateway, { port: 0 });
    open.push(server);

    expect(built.fleet).toBeUndefined();
    expect(built.providers).toEqual([expect.objectContaining({ name: 'mock', simulated: false })]);
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'gateway-key-123', maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'mock-model',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Ahoy from upstream');

    const stranger = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'not-a-key-at-all', maxRetries: 0 });
    await expect(
      stranger.chat.completions.create({ model: 'mock-model', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a wrong config with every problem in one ConfigError, before anything is opened', async () => {
    const refused = createGatewayFromConfig(
      {
        routing: { strategy: 'coin-toss' as 'round-robin', fallbacks: ['nowhere'] },
        providers: { openai: { apiKey: 'sk-config-key-123' } },
        colour: 'blue',
      } as Parameters<typeof createGatewayFromConfig>[0],
      { configFile: 'embedded' },
    );
    const error = await refused.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const { issues, message } = error as ConfigError;
    expect(issues.map((issue) => issue.field).sort()).toEqual([
      'colour',
      'routing.fallbacks.0',
      'routing.strategy',
    ]);
    expect(message.split('\n').every((line) => line.startsWith('embedded: '))).toBe(true);
    expect(message).not.toContain('sk-config-key-123');
  });
});
