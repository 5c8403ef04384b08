import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from './migrate.ts';
import { MIGRATIONS } from './migrations.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from './test-support/temporary-database.ts';

let database: TemporaryDatabase;
let sql: Sql;

beforeAll(async () => {
  database = await createTemporaryDatabase('migrate');
  sql = postgres(database.url, { max: 4, onnotice: false });
});

afterAll(async () => {
  await sql?.end({ timeout: 1 });
  await database?.drop();
});

describe('migrate', () => {
  it('applies every migration once when two replicas start together, and nothing when run again', async () => {
    const other = postgres(database.url, { max: 2, onnotice: false });
    try {
      const [first, second] = await Promise.all([migrate(sql), migrate(other)]);
      // One migrator took the lock and applied; the other waited and found nothing to do.
      expect([first, second].sort((a, b) => b.length - a.length)).toEqual([
        MIGRATIONS.map((migration) => migration.version),
        [],
      ]);
    } finally {
      await other.end({ timeout: 1 });
    }
    expect(await migrate(sql)).toEqual([]);
    const applied = await sql<
      { version: number }[]
    >`select version from matey.schema_migrations order by version`;
    expect(applied.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
    const tables = await sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'matey' order by table_name`;
    expect(tables.map((row) => row.table_name)).toEqual(['keys', 'schema_migrations', 'spend_log', 'teams']);
  });

  it('applies a new version added later, and only that one', async () => {
    const next = { version: 999, name: 'a-later-step', sql: 'create table matey.later_step (id int)' };
    expect(await migrate(sql, [...MIGRATIONS, next])).toEqual([999]);
    expect(await migrate(sql, [...MIGRATIONS, next])).toEqual([]);
  });

  it('brings a version-2 database with keys to version 3: each key off the semantic cache, uncapped', async () => {
    const older = await createTemporaryDatabase('migrate_v2');
    const client = postgres(older.url, { max: 1, onnotice: false });
    try {
      expect(await migrate(client, MIGRATIONS.slice(0, 2))).toEqual([1, 2]);
      await client`insert into matey.keys (id, name, key_sha256, key_prefix)
        values ('key_old', 'old', ${'a'.repeat(64)}, 'sk-matey-old')`;
      expect(await migrate(client)).toEqual([3]);
      const [row] = await client`select semantic_cache, max_concurrent, max_queue from matey.keys`;
      expect(row).toEqual({ semantic_cache: false, max_concurrent: null, max_queue: null });
      const queueWithoutCap = await client`update matey.keys set max_queue = 2`.catch((e: unknown) => e);
      expect(queueWithoutCap).toMatchObject({ code: '23514' });
    } finally {
      await client.end({ timeout: 1 });
      await older.drop();
    }
  });
});
