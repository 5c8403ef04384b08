/**
 * The spend log loses nothing when PostgreSQL goes away: a gateway replica reaches its database
 * through a TCP proxy that drops every connection (and refuses new ones) in the middle of a burst
 * of 1,000 calls through the real gateway (HTTP, ephemeral port, mock upstream). Rows wait in a
 * small memory buffer, then in files or Redis; once the proxy lets connections through again,
 * the log holds exactly 1,000 rows, one per request id. Each test has a database of its own
 * (and a Redis key of its own).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { MemoryStore } from 'ai.matey.middleware';
import { RedisStore } from 'ai.matey.store.redis';
import { type FlakyProxy, type MockUpstream, startFlakyProxy, startMockUpstream } from 'ai.matey.testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type BuiltGateway, buildGateway } from './build-gateway.ts';
import { type GatewayConfigInput, gatewayConfigSchema } from './config-schema.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from './test-support/temporary-database.ts';

const KEY = 'spend-outage-gateway-key';
const CALLS = 1_000;
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
}, 60_000);

interface Replica {
  database: TemporaryDatabase;
  proxy: FlakyProxy;
  built: BuiltGateway;
  running: RunningGateway;
  warnings: string[];
}

async function startReplica(label: string, spendLog: GatewayConfigInput['spendLog'], store?: string) {
  const database = await createTemporaryDatabase(label);
  cleanup.push(() => database.drop());
  const proxy = await startFlakyProxy(5432);
  cleanup.push(() => proxy.close());
  const upstream: MockUpstream = await startMockUpstream();
  cleanup.push(() => upstream.close());
  const config = gatewayConfigSchema.parse({
    providers: { openai: { apiKey: 'upstream-key-spend', baseURL: `${upstream.url}/v1` } },
    keys: [{ id: 'burst', key: KEY }],
    database: database.url.replace(':5432/', `:${proxy.port}/`),
    spendLog: { batchSize: 50, flushIntervalMs: 50, bufferRows: 100, ...spendLog },
    ...(store ? { store } : {}),
  });
  const warnings: string[] = [];
  const built = await buildGateway(config, {
    env: {},
    store: new MemoryStore(),
    logDestination: { write() {} },
    warn: (line) => warnings.push(line),
  });
  cleanup.push(() => built.close());
  const running = await serveGateway(built.gateway, { port: 0, shutdownGraceMs: 200 });
  cleanup.push(() => running.close());
  return { database, proxy, built, running, warnings } satisfies Replica;
}

function call(replica: Replica, index: number): Promise<Response> {
  return fetch(`${replica.running.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${KEY}`,
      'x-request-id': `burst-${index}`,
    },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
}

/** The burst, 25 calls at a time; the proxy is cut when `cutAt` calls have been answered. */
async function burst(replica: Replica, cutAt: number): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < CALLS) {
      const response = await call(replica, next++);
      await response.arrayBuffer();
      statuses.push(response.status);
      if (statuses.length === cutAt) replica.proxy.cut();
    }
  };
  await Promise.all(Array.from({ length: 25 }, worker));
  return statuses;
}

async function backlogMetric(replica: Replica, tier: string): Promise<number> {
  const text = await (
    await fetch(`${replica.running.url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })
  ).text();
  const line = text.split('\n').find((row) => row.startsWith(`matey_spend_backlog_rows{tier="${tier}"}`));
  return Number(line?.split(' ').at(-1));
}

async function loggedRows(database: TemporaryDatabase): Promise<{ rows: number; ids: number }> {
  const [counted] = await database.sql<{ rows: number; ids: number }[]>`
    select count(*)::int as rows, count(distinct request_id)::int as ids from matey.spend_log`;
  return counted ?? { rows: 0, ids: 0 };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function loseNothing(replica: Replica, tier: 'file' | 'redis'): Promise<void> {
  const statuses = await burst(replica, 150);
  expect(statuses.filter((status) => status === 200)).toHaveLength(CALLS);
  // Still cut: the rows past the 100 in memory wait in the overflow, and /metrics says so.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const waiting = {
    memory: await backlogMetric(replica, 'memory'),
    overflow: await backlogMetric(replica, tier),
  };
  expect(waiting.memory).toBeLessThanOrEqual(100);
  expect(waiting.overflow).toBeGreaterThan(500);
  expect((await loggedRows(replica.database)).rows).toBeLessThan(CALLS);

  replica.proxy.restore();
  await waitFor(async () => (await loggedRows(replica.database)).rows >= CALLS, 20_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await loggedRows(replica.database)).toEqual({ rows: CALLS, ids: CALLS });
  expect(await backlogMetric(replica, 'memory')).toBe(0);
  expect(await backlogMetric(replica, tier)).toBe(0);
  // Said once when the rows started to wait, once when they were written again. (On a loaded
  // machine a write may hang through the whole cut and then succeed: then neither is said.)
  const said = replica.warnings.filter((line) => line.includes('unreachable')).length;
  expect(said).toBeLessThanOrEqual(1);
  expect(replica.warnings.filter((line) => line.includes('writing again'))).toHaveLength(said);
}

describe('spend log through a PostgreSQL outage', () => {
  it('writes all 1,000 rows of a burst cut mid-way, overflowing to JSONL files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'matey-spend-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const replica = await startReplica('spend_outage_file', { overflowDir: dir });
    await loseNothing(replica, 'file');
    expect(await readdir(dir)).toEqual([]);
  }, 90_000);

  it('writes all 1,000 rows of a burst cut mid-way, overflowing to Redis', async () => {
    const redisKey = `matey-test:spend-backlog:${randomUUID()}`;
    const redis = new RedisStore({ keyPrefix: '' });
    expect(await redis.ping()).toBe(true);
    cleanup.push(async () => {
      await redis.client.del(redisKey, `${redisKey}:drain-lock`);
      await redis.close();
    });
    const replica = await startReplica('spend_outage_redis', { redisKey }, 'redis://127.0.0.1:6379');
    await loseNothing(replica, 'redis');
    expect(await redis.client.llen(redisKey)).toBe(0);
  }, 90_000);

  it('at shutdown with the database away, hands its rows to the files, and the next start writes them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'matey-spend-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const first = await startReplica('spend_shutdown', { overflowDir: dir, bufferRows: 10_000 });
    first.proxy.cut();
    for (let index = 0; index < 40; index++) expect((await call(first, index)).status).toBe(200);
    await first.running.close();
    await first.built.close();
    expect((await readdir(dir)).length).toBeGreaterThan(0);

    first.proxy.restore();
    const url = first.database.url;
    const second = await buildGateway(
      gatewayConfigSchema.parse({ database: url, spendLog: { overflowDir: dir, flushIntervalMs: 50 } }),
      { env: {}, fleetTimeScale: 0, logDestination: { write() {} }, warn() {} },
    );
    cleanup.push(() => second.close());
    await waitFor(async () => (await loggedRows(first.database)).rows >= 40, 10_000);
    expect(await loggedRows(first.database)).toEqual({ rows: 40, ids: 40 });
  }, 60_000);
});
