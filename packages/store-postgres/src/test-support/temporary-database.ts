import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** The PostgreSQL every machine and CI run has (trust auth); the tests fail, not skip, without it. */
export const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432';

/** A database of its own for one test file: its URL, and `drop` to remove it (connections and all). */
export interface TemporaryDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates a uniquely named database on the local server, so parallel test files never meet. */
export async function createTemporaryDatabase(label: string): Promise<TemporaryDatabase> {
  const name = `matey_test_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(`${LOCAL_POSTGRES}/postgres`, { max: 1, onnotice: false });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (cause) {
    await admin.end({ timeout: 1 });
    throw new Error(`These tests need PostgreSQL on ${LOCAL_POSTGRES} (user postgres, trust auth)`, {
      cause,
    });
  }
  let dropped = false;
  return {
    url: `${LOCAL_POSTGRES}/${name}`,
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      try {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end({ timeout: 1 });
      }
    },
  };
}
