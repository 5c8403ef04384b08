import type { Sql } from 'postgres';
import { MIGRATIONS, type Migration } from './migrations.ts';

/** The advisory lock every replica's migrator takes: one applies, the others wait and find it done. */
const MIGRATION_LOCK = 7_261_884_113_001;

/**
 * Brings the database to the latest schema: in one transaction under a `pg_advisory_xact_lock`,
 * creates `matey.schema_migrations` if needed and applies each migration it does not list. Run
 * twice, or by two replicas starting together, it applies each migration once. Returns the
 * versions it applied.
 *
 * @example
 * const sql = postgres(process.env.DATABASE_URL);
 * await migrate(sql); // [1] the first time, [] after
 */
export async function migrate(sql: Sql, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return sql.begin(async (tx) => {
    await tx.unsafe(`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.unsafe(`
      create schema if not exists matey;
      create table if not exists matey.schema_migrations (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      );
    `);
    const rows = await tx<{ version: number }[]>`select version from matey.schema_migrations`;
    const done = new Set(rows.map((row) => row.version));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await tx.unsafe(migration.sql);
      await tx`insert into matey.schema_migrations (version, name) values (${migration.version}, ${migration.name})`;
      applied.push(migration.version);
    }
    return applied;
  });
}
