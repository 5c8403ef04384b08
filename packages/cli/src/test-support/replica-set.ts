import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { spawnMatey } from './run-matey.ts';

/** The PostgreSQL and Redis every machine and CI run has (trust auth); replicas fail, not skip, without them. */
export const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432';
export const LOCAL_REDIS = 'redis://127.0.0.1:6379';

/** Several `matey serve` processes on one Redis and one PostgreSQL database of their own. */
export interface ReplicaSet {
  /** Each replica's base URL (`http://127.0.0.1:PORT`), in start order. */
  urls: string[];
  /** The database the replicas share. */
  databaseUrl: string;
  /** Deletes every Redis key whose name holds one of these ids (the replicas' counters for them). */
  forget(ids: string[]): void;
  /** Stops the replicas, drops the database and deletes the counters of `forget`'s ids. */
  stop(): Promise<void>;
}

export interface ReplicaSetOptions {
  /** How many `matey serve --workers 1` processes. */
  count: number;
  /** An OpenAI-compatible upstream (the mock upstream's URL); served as provider `openai`. */
  upstreamUrl: string;
  /** `MATEY_ADMIN_KEY` of every replica. */
  adminKey: string;
  /** Names the database (`matey_replicas_<label>_<random>`). */
  label: string;
  /** Extra YAML lines at the top level of the config. */
  extraConfig?: string[];
}

/**
 * Starts `count` real gateway processes (the CLI's `serve`, one worker each, each on a port of
 * its own) sharing the local Redis and a fresh PostgreSQL database, and waits for every one's
 * "listening on" line. `stop()` ends them and removes what they left behind.
 */
export async function startReplicaSet(options: ReplicaSetOptions): Promise<ReplicaSet> {
  const name = `matey_replicas_${options.label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(`${LOCAL_POSTGRES}/postgres`, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (cause) {
    await admin.end({ timeout: 1 });
    throw new Error(`Replicas need PostgreSQL on ${LOCAL_POSTGRES} (user postgres, trust auth)`, { cause });
  }
  const databaseUrl = `${LOCAL_POSTGRES}/${name}`;
  const dir = await mkdtemp(join(tmpdir(), 'matey-replicas-'));
  const config = join(dir, 'matey.config.yaml');
  await writeFile(
    config,
    [
      'server: { port: 0, shutdownGraceMs: 500 }',
      'providers:',
      `  openai: { type: openai, baseURL: '${options.upstreamUrl}/v1', apiKey: replica-upstream-key }`,
      'middleware: { logging: false }',
      `store: ${LOCAL_REDIS}`,
      `database: ${databaseUrl}`,
      ...(options.extraConfig ?? []),
    ].join('\n'),
  );
  const children: ChildProcess[] = [];
  const forgotten: string[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    await rm(dir, { recursive: true, force: true });
    await deleteCounters(forgotten).catch(() => {});
    try {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
    } finally {
      await admin.end({ timeout: 1 });
    }
  };
  try {
    const urls: string[] = [];
    // One at a time, so a replica that fails to start is named by its own output.
    for (let index = 0; index < options.count; index++) {
      const child = spawnMatey(['serve', '--config', config, '--workers', '1'], {
        cwd: dir,
        env: { MATEY_ADMIN_KEY: options.adminKey },
      });
      children.push(child);
      urls.push(await listeningUrl(child));
    }
    return { urls, databaseUrl, forget: (ids) => forgotten.push(...ids), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The URL of the child's "listening on http://…" banner line. */
function listeningUrl(child: ChildProcess): Promise<string> {
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" within 30 s: ${out}`)), 30_000);
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      out += text;
    });
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      const found = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`matey serve exited ${code}: ${out}`));
    });
  });
}

/** SIGTERM, then SIGKILL when it has not exited within 5 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Deletes the Redis keys that name one of `ids` (rate-limit windows and budget counters). */
async function deleteCounters(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const client = new Redis(LOCAL_REDIS, { maxRetriesPerRequest: 1 });
  try {
    for (const id of ids) {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `matey:*${id}*`, 'COUNT', 1000);
        if (keys.length > 0) await client.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    client.disconnect();
  }
}

/** A raw Redis value under the gateway's `matey:` prefix (a counter), as a number; 0 when absent. */
export async function readCounter(key: string): Promise<number> {
  const client = new Redis(LOCAL_REDIS, { maxRetriesPerRequest: 1 });
  try {
    return Number((await client.get(`matey:${key}`)) ?? 0);
  } finally {
    client.disconnect();
  }
}

/** The sum of the Redis counters under the gateway's `matey:` prefix whose names match `pattern`. */
export async function sumCounters(pattern: string): Promise<number> {
  const client = new Redis(LOCAL_REDIS, { maxRetriesPerRequest: 1 });
  try {
    let total = 0;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `matey:${pattern}`, 'COUNT', 1000);
      for (const value of keys.length > 0 ? await client.mget(...keys) : []) total += Number(value ?? 0);
      cursor = next;
    } while (cursor !== '0');
    return total;
  } finally {
    client.disconnect();
  }
}
