/**
 * Security class: store outage. With Redis unreachable, calls of keys that have a rate limit or a
 * budget fail closed, with a clear 503 `store_unavailable` in the caller's own format that names
 * no host, port, store key or password; start-up says so in one line.
 */
import { createServer } from 'node:net';
import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { afterEach, describe, expect, it } from 'vitest';
import { type BuiltGateway, buildGateway } from './build-gateway.ts';
import { gatewayConfigSchema } from './config-schema.ts';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startWithDeadStore(port: number, warnings: string[]) {
  const config = gatewayConfigSchema.parse({
    keys: [
      { id: 'team-alpha', key: 'alpha-gateway-key-1', requestsPerMinute: 100 },
      { id: 'team-beta', key: 'beta-gateway-key-22', budgetUsdPerDay: 1 },
    ],
    store: `redis://:hunter2-secret@127.0.0.1:${port}`,
  });
  const built: BuiltGateway = await buildGateway(config, {
    env: {},
    fleetTimeScale: 0,
    fleetFailureRate: 0,
    logDestination: { write() {} },
    warn: (line) => warnings.push(line),
  });
  open.push(built);
  const running: RunningGateway = await serveGateway(built.gateway, { port: 0, shutdownGraceMs: 200 });
  open.push(running);
  return running;
}

describe('store outage', () => {
  it('refuses keyed calls with 503 store_unavailable in the caller’s format, naming nothing internal; warns once at start-up', async () => {
    const port = await closedPort();
    const warnings: string[] = [];
    const started = performance.now();
    const gateway = await startWithDeadStore(port, warnings);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/store .* is unreachable/);
    expect(warnings[0]).not.toContain('hunter2-secret');

    const internal = new RegExp(
      `127\\.0\\.0\\.1|localhost|${port}|hunter2|matey:|team-alpha|team-beta|rl:|ratelimit|rate-limit:|budget-team|cost:`,
    );
    const body = JSON.stringify({
      model: 'openai/gpt-4o-mini',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'hello' }],
    });
    for (const key of ['alpha-gateway-key-1', 'beta-gateway-key-22']) {
      const openai = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body,
      });
      expect(openai.status).toBe(503);
      const error = ((await openai.json()) as { error: { type: string; code: string; message: string } })
        .error;
      expect(error).toMatchObject({ type: 'server_error', code: 'store_unavailable' });
      expect(error.message).not.toMatch(internal);

      const anthropic = await fetch(`${gateway.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
        body,
      });
      expect(anthropic.status).toBe(503);
      const text = await anthropic.text();
      expect(JSON.parse(text)).toMatchObject({ type: 'error', error: { type: 'api_error' } });
      expect(text).not.toMatch(internal);
    }
  });
});
