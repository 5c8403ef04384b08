/**
 * Budgets are enforced from fast counters (here the in-memory store, as after a restart) that are
 * reconciled against the spend log: at start and every `spendLog.reconcileIntervalMs`, each
 * key's and team's counter is raised to what the log says it spent in the window, never lowered.
 * Spend logged by another replica (rows written straight into the log here) reaches the
 * counters, and a key past its budget by the log is refused. A database of its own.
 */
import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { MemoryStore } from 'ai.matey.middleware';
import { migrate } from 'ai.matey.store.postgres';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltGateway, buildGateway } from './build-gateway.ts';
import { gatewayConfigSchema } from './config-schema.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from './test-support/temporary-database.ts';

const DAY_MS = 86_400_000;
const MONTH_MS = 30 * DAY_MS;
let database: TemporaryDatabase;
let upstream: MockUpstream;
let built: BuiltGateway;
let running: RunningGateway;
const store = new MemoryStore();

async function logSpend(keyId: string, costUsd: number, at = new Date(), teamId: string | null = null) {
  await database.sql`
    insert into matey.spend_log (call_id, at, key_id, team_id, cost_usd, latency_ms, status, streamed)
    values (gen_random_uuid(), ${at}, ${keyId}, ${teamId}, ${costUsd}, 10, 'ok', false)`;
}

function counter(subject: string, window: 'day' | 'month'): Promise<number | undefined> {
  const length = window === 'day' ? DAY_MS : MONTH_MS;
  const start = Math.floor(Date.now() / length) * length;
  const name = window === 'day' ? `budget-${subject}` : `budget-month-${subject}`;
  return store.get<number>(`cost:${name}:${subject}:${start}`);
}

async function call(key: string): Promise<{ status: number; code: string | undefined }> {
  const response = await fetch(`${running.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
  const body = (await response.json()) as { error?: { code?: string } };
  return { status: response.status, code: body.error?.code };
}

beforeAll(async () => {
  database = await createTemporaryDatabase('budget_reconcile');
  await migrate(database.sql);
  // Spent before this replica started: today, and earlier in the 30-day window (or the one before).
  await logSpend('spent-today', 1.5);
  await logSpend('spent-today', 0.25, new Date(Date.now() - 40 * DAY_MS));
  await logSpend('member', 0.75, new Date(), 'team_alpha');
  await logSpend('kept-higher', 0.2);
  await store.set(
    `cost:budget-kept-higher:kept-higher:${Math.floor(Date.now() / DAY_MS) * DAY_MS}`,
    0.5,
    DAY_MS,
  );
  upstream = await startMockUpstream();
  const config = gatewayConfigSchema.parse({
    providers: { openai: { apiKey: 'upstream-key-reconcile', baseURL: `${upstream.url}/v1` } },
    keys: [
      { id: 'spent-today', key: 'spent-today-gateway-key', budgetUsdPerDay: 1 },
      { id: 'later', key: 'later-gateway-key-000', budgetUsdPerDay: 1 },
    ],
    database: database.url,
    spendLog: { reconcileIntervalMs: 100 },
  });
  built = await buildGateway(config, { env: {}, store, logDestination: { write() {} }, warn() {} });
  running = await serveGateway(built.gateway, { port: 0, shutdownGraceMs: 100 });
});

afterAll(async () => {
  await running?.close();
  await built?.close();
  await upstream?.close();
  await database?.drop();
});

describe('budget counters reconciled against the spend log', () => {
  it('raises the counters at start to the logged sums of the day and the 30-day window, keys and teams', async () => {
    expect(await counter('spent-today', 'day')).toBeCloseTo(1.5, 9);
    const inThisWindow = Date.now() - 40 * DAY_MS >= Math.floor(Date.now() / MONTH_MS) * MONTH_MS;
    expect(await counter('spent-today', 'month')).toBeCloseTo(inThisWindow ? 1.75 : 1.5, 9);
    expect(await counter('team:team_alpha', 'day')).toBeCloseTo(0.75, 9);
    expect(await counter('member', 'day')).toBeCloseTo(0.75, 9);
  });

  it('never lowers a counter that holds more than the log (calls in flight, rows not yet written)', async () => {
    expect(await counter('kept-higher', 'day')).toBeCloseTo(0.5, 9);
  });

  it('refuses a key whose logged spend is past its budget, though this replica served it nothing', async () => {
    expect(await call('spent-today-gateway-key')).toEqual({ status: 429, code: 'budget_exceeded' });
  });

  it('picks up spend logged while running, on the next round', async () => {
    expect((await call('later-gateway-key-000')).status).toBe(200);
    await logSpend('later', 5);
    const started = Date.now();
    let refused = await call('later-gateway-key-000');
    while (refused.status === 200 && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      refused = await call('later-gateway-key-000');
    }
    expect(refused).toEqual({ status: 429, code: 'budget_exceeded' });
    expect(await counter('later', 'day')).toBeGreaterThanOrEqual(5);
  });
});
