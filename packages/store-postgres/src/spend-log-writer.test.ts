import { type FlakyProxy, startFlakyProxy } from 'ai.matey.testing';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from './migrate.ts';
import { SpendLogWriter, type SpendRow } from './spend-log-writer.ts';
import type { QueuedSpendRow, SpendOverflow } from './spend-overflow.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from './test-support/temporary-database.ts';

const open: Array<{ close(): Promise<void> } | TemporaryDatabase> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await ('drop' in item ? item.drop() : item.close());
});

function row(index: number): SpendRow {
  return {
    at: new Date(),
    request_id: `req-${index}`,
    key_id: 'key_a',
    provider: 'openai',
    model: 'gpt-4o-mini',
    input_tokens: 10,
    output_tokens: 5,
    cached_tokens: null,
    reasoning_tokens: null,
    cost_usd: 0.000_01,
    latency_ms: 12.5,
    first_event_ms: null,
    status: 'ok',
    error_kind: null,
    attempts: 1,
    streamed: false,
  };
}

describe('SpendLogWriter', () => {
  it('loses none of 1,000 rows appended while the database connection is cut, once it is back', async () => {
    const database: TemporaryDatabase = await createTemporaryDatabase('spend');
    open.push(database);
    const proxy: FlakyProxy = await startFlakyProxy(5432);
    open.push(proxy);
    const direct = postgres(database.url, { max: 1, onnotice: false });
    open.push({ close: () => direct.end({ timeout: 1 }) });
    await migrate(direct);
    const viaProxy = postgres(database.url.replace(':5432/', `:${proxy.port}/`), {
      max: 2,
      onnotice: false,
      connect_timeout: 1,
    });
    open.push({ close: () => viaProxy.end({ timeout: 1 }) });
    const writer = new SpendLogWriter(viaProxy, { batchSize: 100, flushIntervalMs: 50 });
    open.push(writer);

    for (let index = 0; index < 100; index++) writer.append(row(index));
    await writer.flush();
    proxy.cut();
    for (let index = 100; index < 1_000; index++) writer.append(row(index));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(writer.backlog).toBeGreaterThan(0);
    proxy.restore();
    const started = Date.now();
    while (writer.backlog > 0 && Date.now() - started < 10_000)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const [counted] = await direct<{ rows: number; distinct: number }[]>`
      select count(*)::int as rows, count(distinct request_id)::int as distinct from matey.spend_log`;
    expect(counted).toEqual({ rows: 1_000, distinct: 1_000 });
    expect(writer.dropped).toBe(0);
  });

  it('writes what is queued when closed (shutdown), long before its next tick', async () => {
    const database: TemporaryDatabase = await createTemporaryDatabase('spend_close');
    open.push(database);
    const sql = postgres(database.url, { max: 2, onnotice: false });
    open.push({ close: () => sql.end({ timeout: 1 }) });
    await migrate(sql);
    const writer = new SpendLogWriter(sql, { flushIntervalMs: 60_000 });
    for (let index = 0; index < 10; index++) writer.append(row(index));
    expect(writer.backlog).toBe(10);
    await writer.close();
    const [counted] = await sql<{ rows: number }[]>`select count(*)::int as rows from matey.spend_log`;
    expect(counted?.rows).toBe(10);
  });

  it('keeps memory within its bound by spilling to the overflow; rows an overflow refuses wait in memory', async () => {
    const database: TemporaryDatabase = await createTemporaryDatabase('spend_spill');
    open.push(database);
    const proxy: FlakyProxy = await startFlakyProxy(5432);
    open.push(proxy);
    const direct = postgres(database.url, { max: 1, onnotice: false });
    open.push({ close: () => direct.end({ timeout: 1 }) });
    await migrate(direct);
    const viaProxy = postgres(database.url.replace(':5432/', `:${proxy.port}/`), {
      max: 2,
      onnotice: false,
      connect_timeout: 1,
    });
    open.push({ close: () => viaProxy.end({ timeout: 1 }) });
    const held: QueuedSpendRow[] = [];
    let refusing = true;
    const overflow: SpendOverflow = {
      tier: 'file',
      size: async () => held.length,
      append: async (rows) => {
        if (refusing) throw new Error('disk full');
        held.push(...rows);
      },
      drain: async (max, write) => {
        const batch = held.slice(0, max);
        if (batch.length > 0) await write(batch);
        held.splice(0, batch.length);
        return batch.length;
      },
    };
    const writer = new SpendLogWriter(viaProxy, {
      batchSize: 20,
      flushIntervalMs: 30,
      maxBuffered: 50,
      overflow,
    });
    open.push(writer);
    proxy.cut();
    for (let index = 0; index < 120; index++) writer.append(row(index));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The overflow refused: the rows wait in memory, up to twice the bound (past it the oldest go).
    expect(writer.backlog).toBeGreaterThan(50);
    expect(writer.backlog).toBeLessThanOrEqual(100);
    expect(writer.backlog + writer.dropped).toBe(120);
    const kept = writer.backlog;
    refusing = false;
    for (let index = 120; index < 200; index++) writer.append(row(index));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await writer.backlogByTier()).toEqual({ memory: expect.any(Number), file: expect.any(Number) });
    expect(writer.backlog).toBeLessThanOrEqual(50);
    expect(held.length + writer.backlog).toBe(kept + 80);
    proxy.restore();
    const started = Date.now();
    while ((writer.backlog > 0 || held.length > 0) && Date.now() - started < 10_000)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const [counted] = await direct<{ rows: number }[]>`select count(*)::int as rows from matey.spend_log`;
    expect(counted?.rows).toBe(kept + 80);
  });
});
