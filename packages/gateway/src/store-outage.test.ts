/**
 * Security class: store outage. With Redis unreachable, calls of keys that have a rate limit or a
 * budget fail closed, with a clear 503 `store_unavailable` in the caller's own format that names
 * no host, port, store key or password; start-up says so in one line. With Redis behind a TCP
 * proxy that the test cuts and restores, limits and budgets follow `onStoreDown` (fail-closed or
 * fail-open) while it is down, `/health/ready` says `store: down` and `/metrics` `matey_store_up 0`,
 * the gateway logs it once, and it recovers by itself when Redis answers again.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { RedisStore } from 'ai.matey.store.redis';
import { type FlakyProxy, startFlakyProxy } from 'ai.matey.testing';
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

interface Outage {
  proxy: FlakyProxy;
  url: string;
  warnings: string[];
}

/** A gateway whose Redis is behind a proxy the test cuts and restores; a key prefix of its own. */
async function startBehindProxy(onStoreDown: 'fail-open' | 'fail-closed'): Promise<Outage> {
  const proxy = await startFlakyProxy(6379);
  open.push(proxy);
  const url = `redis://127.0.0.1:${proxy.port}`;
  const config = gatewayConfigSchema.parse({
    keys: [
      { id: 'limited', key: 'limited-gateway-key-1', requestsPerMinute: 3 },
      { id: 'budgeted', key: 'budgeted-gateway-key-1', budgetUsdPerDay: 1 },
    ],
    store: url,
    onStoreDown,
  });
  const warnings: string[] = [];
  const built = await buildGateway(config, {
    env: {},
    store: new RedisStore({ url, keyPrefix: `matey-test:outage:${randomUUID()}:` }),
    fleetTimeScale: 0,
    fleetFailureRate: 0,
    logDestination: { write() {} },
    warn: (line) => warnings.push(line),
  });
  open.push(built);
  const running = await serveGateway(built.gateway, { port: 0, shutdownGraceMs: 200 });
  open.push(running);
  return { proxy, url: running.url, warnings };
}

async function chat(gateway: Outage, key: string): Promise<{ status: number; code: string | undefined }> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
  const body = (await response.json()) as { error?: { code?: string } };
  return { status: response.status, code: body.error?.code };
}

async function health(gateway: Outage): Promise<{ ready: number; store: unknown; up: string | undefined }> {
  const headers = { authorization: 'Bearer limited-gateway-key-1' };
  const ready = await fetch(`${gateway.url}/health/ready`, { headers });
  const metrics = await (await fetch(`${gateway.url}/metrics`, { headers })).text();
  const up = /^matey_store_up (\d)$/m.exec(metrics)?.[1];
  return { ready: ready.status, store: ((await ready.json()) as { store?: unknown }).store, up };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const started = Date.now();
  let value = await read();
  while (!done(value) && Date.now() - started < 15_000) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

describe('Redis cut and restored behind a proxy', () => {
  it('fail-closed: refuses limited calls while it is down, says so once (ready, metrics), and recovers by itself', async () => {
    const gateway = await startBehindProxy('fail-closed');
    expect(await chat(gateway, 'limited-gateway-key-1')).toEqual({ status: 200, code: undefined });
    expect(await health(gateway)).toEqual({ ready: 200, store: 'up', up: '1' });

    gateway.proxy.cut();
    for (const key of ['limited-gateway-key-1', 'budgeted-gateway-key-1', 'limited-gateway-key-1'])
      expect(await chat(gateway, key)).toEqual({ status: 503, code: 'store_unavailable' });
    expect(await health(gateway)).toEqual({ ready: 503, store: 'down', up: '0' });
    expect(gateway.warnings).toHaveLength(1);
    expect(gateway.warnings[0]).toMatch(/is unreachable: calls of keys with rate limits get 503/);

    gateway.proxy.restore();
    const back = await until(
      () => chat(gateway, 'budgeted-gateway-key-1'),
      (reply) => reply.status === 200,
    );
    expect(back.status).toBe(200);
    expect(await health(gateway)).toEqual({ ready: 200, store: 'up', up: '1' });
    expect(gateway.warnings).toHaveLength(2);
    expect(gateway.warnings[1]).toMatch(/answers again/);
  }, 60_000);

  it('fail-open: serves limited calls uncounted while it is down, stays ready, and counts again once it is back', async () => {
    const gateway = await startBehindProxy('fail-open');
    gateway.proxy.cut();
    // Past the key's 3 a minute: nothing counts them while Redis is away.
    for (let call = 0; call < 5; call++)
      expect((await chat(gateway, 'limited-gateway-key-1')).status).toBe(200);
    expect(await health(gateway)).toEqual({ ready: 200, store: 'down', up: '0' });
    expect(gateway.warnings.filter((line) => line.includes('unreachable'))).toHaveLength(1);
    expect(gateway.warnings[0]).toMatch(/rate limits are not enforced, budgets are not enforced/);

    gateway.proxy.restore();
    await until(
      () => health(gateway),
      (state) => state.up === '1',
    );
    const replies = [];
    for (let call = 0; call < 4; call++) replies.push((await chat(gateway, 'limited-gateway-key-1')).status);
    expect(replies).toEqual([200, 200, 200, 429]);
  }, 60_000);
});
