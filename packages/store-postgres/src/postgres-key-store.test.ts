import { createHash } from 'node:crypto';
import { StoreUnavailableError } from 'ai.matey.core';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresKeyStore } from './postgres-key-store.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from './test-support/temporary-database.ts';

const open: Array<{ close(): Promise<void> } | TemporaryDatabase> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await ('drop' in item ? item.drop() : item.close());
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function start(label: string) {
  const database = await createTemporaryDatabase(label);
  open.push(database);
  const store = await PostgresKeyStore.open({ url: database.url, cacheTtlMs: 60_000 });
  open.push(store);
  return { database, store };
}

describe('PostgresKeyStore', () => {
  it("gives a key's limits with its team's, and answers a cached key with no round trip, even with the database gone", async () => {
    const { database, store } = await start('lookup');
    const team = await store.createTeam({ name: 'ml', tokensPerMinute: 10_000, budgetUsdPerMonth: 100 });
    const created = await store.createKey(
      {
        name: 'svc',
        teamId: team.id,
        allowedModels: ['fast', 'openai/*'],
        requestsPerMinute: 5,
        metadata: { owner: 'ana' },
      },
      { sha256: sha256('secret-one'), prefix: 'secret-' },
    );
    expect(created).toMatchObject({ teamId: team.id, metadata: { owner: 'ana' }, revokedAt: null });
    const key = await store.lookup(sha256('secret-one'));
    expect(key).toEqual({
      id: created.id,
      allowedModels: ['fast', 'openai/*'],
      requestsPerMinute: 5,
      team: { id: team.id, tokensPerMinute: 10_000, budgetUsdPerMonth: 100 },
    });
    await database.drop();
    // Cached: answered synchronously, from memory.
    expect(store.lookup(sha256('secret-one'))).toEqual(key);
    // Not cached: a 503-class refusal naming no host.
    const refusal = await Promise.resolve(store.lookup(sha256('never-seen'))).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(StoreUnavailableError);
    expect((refusal as Error).message).not.toMatch(/127\.0\.0\.1|5432|matey_test/);
  });

  it('forgets a revoked key in another store on the same database within 2 s (LISTEN/NOTIFY)', async () => {
    const { database, store } = await start('notify');
    const replica = await PostgresKeyStore.open({ url: database.url, cacheTtlMs: 60_000 });
    open.push(replica);
    const created = await store.createKey({ name: 'k' }, { sha256: sha256('secret-two'), prefix: 'secret-' });
    expect(await replica.lookup(sha256('secret-two'))).toMatchObject({ id: created.id });
    await store.revokeKey(created.id);
    const started = Date.now();
    while ((await replica.lookup(sha256('secret-two'))) && Date.now() - started < 2_000)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await replica.lookup(sha256('secret-two'))).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
