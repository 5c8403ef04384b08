import { serveGateway } from 'ai.matey.http';
import { startMockUpstream } from 'ai.matey.testing';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGateway } from './build-gateway.ts';
import { ConfigError } from './config-error.ts';
import { gatewayConfigSchema } from './config-schema.ts';
import { parseConfig } from './load-config.ts';
import { timedPost } from './test-support/timed-calls.ts';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

const configText = (bulkheads: string) => `
providers:
  openai:
    apiKey: sk-test-bulkheads
${bulkheads}`;

describe('the bulkheads: section', () => {
  it('is read with its per-provider, default and per-key limits', () => {
    const config = parseConfig(
      configText(`bulkheads:
  default: { maxConcurrent: 8 }
  providers:
    openai: { maxConcurrent: 2, maxQueue: 4, queueTimeoutMs: 250 }
  keys:
    team: { maxConcurrent: 1 }
  retryAfterMs: 3000`),
      'matey.config.yaml',
      {},
    );
    expect(config.bulkheads).toEqual({
      default: { maxConcurrent: 8 },
      providers: { openai: { maxConcurrent: 2, maxQueue: 4, queueTimeoutMs: 250 } },
      keys: { team: { maxConcurrent: 1 } },
      retryAfterMs: 3000,
    });
  });

  it.each([
    [
      'a provider that is not configured',
      'providers:\n    nope: { maxConcurrent: 1 }',
      /bulkheads\.providers\.nope.*'nope' is not a provider/,
    ],
    [
      'a cap below 1',
      'providers:\n    openai: { maxConcurrent: 0 }',
      /bulkheads\.providers\.openai\.maxConcurrent/,
    ],
    ['a negative queue', 'default: { maxConcurrent: 1, maxQueue: -1 }', /bulkheads\.default\.maxQueue/],
    ['a misspelt field', 'default: { maxConcurrent: 1, queueTimeout: 5 }', /queueTimeout/],
  ])('refuses %s, naming the field', (_name, body, message) => {
    const text = configText(`bulkheads:\n  ${body}`);
    expect(() => parseConfig(text, 'matey.config.yaml', {})).toThrow(ConfigError);
    expect(() => parseConfig(text, 'matey.config.yaml', {})).toThrow(message);
  });
});

describe('a key bulkhead at the gateway', () => {
  it('refuses a key over its cap with 429 concurrency_limit_exceeded and retry-after; other keys pass', async () => {
    const upstream = await startMockUpstream({ reply: { latencyMs: 300 } });
    open.push(upstream);
    const config = gatewayConfigSchema.parse({
      providers: { openai: { apiKey: 'upstream-key-keys', baseURL: `${upstream.url}/v1` } },
      keys: [
        { id: 'capped', key: 'capped-gateway-key' },
        { id: 'free', key: 'free-gateway-key-1' },
      ],
      bulkheads: { keys: { capped: { maxConcurrent: 1 } }, retryAfterMs: 2_000 },
      middleware: { logging: false },
    });
    const built = await buildGateway(config, { env: {} });
    const running = await serveGateway(built.gateway, { port: 0, shutdownGraceMs: 100 });
    open.push(running, built);
    const chat = (key: string) =>
      timedPost(
        `${running.url}/v1/chat/completions`,
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        { authorization: `Bearer ${key}` },
      );
    const [first, second, other] = await Promise.all([
      chat('capped-gateway-key'),
      chat('capped-gateway-key'),
      chat('free-gateway-key-1'),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 429]);
    const refused = first.status === 429 ? first : second;
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(refused.body).toMatchObject({
      error: { type: 'rate_limit_error', code: 'concurrency_limit_exceeded' },
    });
    expect(other.status).toBe(200);
    expect(upstream.requests).toHaveLength(2);
    // The slot came back: the key can call again.
    expect((await chat('capped-gateway-key')).status).toBe(200);
  });
});
