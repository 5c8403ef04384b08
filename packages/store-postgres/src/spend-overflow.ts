import type { SpendRow } from './spend-log-writer.ts';

/** A spend row as queued: with the id that makes a retried write land once (`on conflict`). */
export type QueuedSpendRow = SpendRow & { call_id: string };

/** Where the spend log's rows overflow to, past the memory buffer, while the database is away. */
export type SpendBacklogTier = 'memory' | 'redis' | 'file';

/**
 * A durable place for spend rows the memory buffer cannot hold while the database is away:
 * a Redis list (`RedisBacklog` of `ai.matey.store.redis`) or JSONL files (`FileSpendOverflow`).
 * Rows are removed only once written, so a crash between the two writes a row twice at most,
 * and the log's `call_id` keeps one.
 */
export interface SpendOverflow {
  readonly tier: Exclude<SpendBacklogTier, 'memory'>;
  /** Rows held (for a store shared by replicas, everyone's). */
  size(): Promise<number>;
  /** Keeps rows; rejects when it cannot (the writer keeps them in memory then). */
  append(rows: QueuedSpendRow[]): Promise<void>;
  /**
   * Hands held rows (as parsed from JSON: the writer checks them) to `write`, at most `max` at
   * a time, and removes those written. Resolves with how many were written (0 when it held
   * none, or another replica is draining it); rejects, keeping the rows, when `write` does.
   */
  drain(max: number, write: (rows: unknown[]) => Promise<void>): Promise<number>;
  close?(): Promise<void>;
}

/** A row read back from JSON (a Redis list, a file): its time a `Date` again. */
export function revivedRow(value: unknown): QueuedSpendRow | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const row = value as QueuedSpendRow & { at: string | Date };
  if (typeof row.call_id !== 'string' || typeof row.status !== 'string') return undefined;
  const at = new Date(row.at);
  return Number.isNaN(at.getTime()) ? undefined : { ...row, at };
}

/** One JSON line's row, or undefined for a torn or foreign line. */
export function parseRow(line: string): QueuedSpendRow | undefined {
  try {
    return revivedRow(JSON.parse(line));
  } catch {
    return undefined;
  }
}
