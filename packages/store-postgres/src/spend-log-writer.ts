import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';

/** One call, as the spend log keeps it (no prompt, no reply). */
export interface SpendRow {
  at: Date;
  request_id: string | null;
  key_id: string | null;
  provider: string | null;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_tokens: number | null;
  reasoning_tokens: number | null;
  cost_usd: number | null;
  latency_ms: number;
  first_event_ms: number | null;
  status: 'ok' | 'cancelled' | 'failed';
  error_kind: string | null;
  attempts: number | null;
  streamed: boolean;
}

export interface SpendLogWriterOptions {
  /** Most rows in one INSERT. Default 500. */
  batchSize?: number;
  /** Longest a row waits before its batch is written. Default 1,000 ms. */
  flushIntervalMs?: number;
  /** Most rows held while the database is away; past it the oldest are dropped (and counted). Default 100,000. */
  maxBuffered?: number;
}

/**
 * Writes spend rows in batches, off the request path: `append` only queues. A failed write keeps
 * its rows and is tried again on the next tick, so a database that goes away and comes back
 * loses nothing while the buffer holds, and writes nothing twice (each row has its own id) (`backlog` says how much waits, `dropped` what did not
 * fit). `close` writes what is left. Each row gets its key's team at write time.
 *
 * @example
 * const writer = new SpendLogWriter(sql);
 * writer.append(row); // returns at once
 * await writer.close(); // at shutdown: flushed
 */
export class SpendLogWriter {
  readonly #sql: Sql;
  readonly #batchSize: number;
  readonly #maxBuffered: number;
  readonly #timer: NodeJS.Timeout;
  #queue: Array<SpendRow & { call_id: string }> = [];
  #writing: Promise<void> | undefined;
  #dropped = 0;

  constructor(sql: Sql, options: SpendLogWriterOptions = {}) {
    this.#sql = sql;
    this.#batchSize = options.batchSize ?? 500;
    this.#maxBuffered = options.maxBuffered ?? 100_000;
    this.#timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1_000);
    this.#timer.unref();
  }

  /** Rows waiting to be written. */
  get backlog(): number {
    return this.#queue.length;
  }

  /** Rows dropped because the buffer was full while the database was away. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues a row (never waits, never throws). */
  append(row: SpendRow): void {
    this.#queue.push({ ...row, call_id: randomUUID() });
    if (this.#queue.length > this.#maxBuffered) {
      const over = this.#queue.length - this.#maxBuffered;
      this.#queue.splice(0, over);
      this.#dropped += over;
    }
    if (this.#queue.length >= this.#batchSize) void this.flush();
  }

  /** Writes every queued row it can now; rows of a failed batch stay queued. Resolves either way. */
  flush(): Promise<void> {
    this.#writing ??= this.#drain().finally(() => {
      this.#writing = undefined;
    });
    return this.#writing;
  }

  /** Stops the timer and writes what is left (one attempt). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#writing;
    await this.flush();
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.slice(0, this.#batchSize);
      try {
        await this.#sql.begin(async (tx) => {
          const ids = await tx<{ id: string }[]>`
            insert into matey.spend_log ${tx(batch)} on conflict (call_id) do nothing returning id`;
          await tx`
            update matey.spend_log s set team_id = k.team_id from matey.keys k
            where s.id = any(${ids.map((row) => row.id)}::bigint[]) and k.id = s.key_id`;
        });
      } catch {
        return; // The database is away: the rows wait for the next tick.
      }
      this.#queue.splice(0, batch.length);
    }
  }
}
