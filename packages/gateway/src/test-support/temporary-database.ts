import { randomBytes } from 'node:crypto';
import postgres, { type Sql } from 'postgres';

/** The PostgreSQL every machine and CI run has (trust auth); the tests fail, not skip, without it. */
const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432';

/** A database of a test file's own: its URL, a client to look behind the gateway, and `drop`. */
export interface TemporaryDatabase {
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}

/** Creates a uniquely named database on the local server; `drop` removes it, connections and all. */
export async function createTemporaryDatabase(label: string): Promise<TemporaryDatabase> {
  const name = `matey_test_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(`${LOCAL_POSTGRES}/postgres`, { max: 1, onnotice: false });
  await admin.unsafe(`create database ${name}`);
  const sql = postgres(`${LOCAL_POSTGRES}/${name}`, { max: 2, onnotice: false });
  return {
    url: `${LOCAL_POSTGRES}/${name}`,
    sql,
    async drop() {
      await sql.end({ timeout: 1 });
      try {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end({ timeout: 1 });
      }
    },
  };
}
