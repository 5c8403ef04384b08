import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import {
  type QueuedSpendRow,
  revivedRow,
  type SpendBacklogTier,
  type SpendOverflow,
} from './spend-overflow.ts';

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
  /**
   * Most rows held in memory while the database is away. Past it, rows go to `overflow`, a batch
   * at a time; without one, the oldest are dropped (and counted). Default 100,000.
   */
  maxBuffered?: number;
  /**
   * Longest one batch's write may take before it counts as failed (its rows wait again; should
   * it land after all, their ids keep them from being written twice). Default 10,000 ms.
   */
  writeTimeoutMs?: number;
  /** Where rows wait past the memory buffer: a Redis list or JSONL files. */
  overflow?: SpendOverflow;
  /** Told once when rows start to wait (the database is away) and once when they are written again. */
  onStateChange?: (state: 'backlogged' | 'writing') => void;
}

/**
 * Writes spend rows in batches, off the request path: `append` only queues. A failed write keeps
 * its rows and is tried again on the next tick, so a database that goes away and comes back
 * loses nothing: rows wait in memory up to `maxBuffered`, then in `overflow` (Redis or files),
 * and are written, each once (each row has its own id), when it answers again. `close` writes
 * what is left, or hands it to `overflow` when the database is away. Each row gets its key's
 * team at write time.
 *
 * @example
 * const writer = new SpendLogWriter(sql, { overflow: await FileSpendOverflow.open({ dir }) });
 * writer.append(row); // returns at once
 * await writer.close(); // at shutdown: flushed
 */
export class SpendLogWriter {
  readonly #sql: Sql;
  readonly #batchSize: number;
  readonly #maxBuffered: number;
  readonly #writeTimeoutMs: number;
  readonly #overflow: SpendOverflow | undefined;
  readonly #onStateChange: SpendLogWriterOptions['onStateChange'];
  readonly #timer: NodeJS.Timeout;
  #queue: QueuedSpendRow[] = [];
  /** Rows taken from the queue for a spill, not yet kept by the overflow. */
  #spillingRows = 0;
  /** Rows taken from the queue for an INSERT, not yet written. */
  #writingRows = 0;
  #writing: Promise<void> | undefined;
  #spilling: Promise<void> = Promise.resolve();
  #dropped = 0;
  #backlogged = false;

  constructor(sql: Sql, options: SpendLogWriterOptions = {}) {
    this.#sql = sql;
    this.#batchSize = options.batchSize ?? 500;
    this.#maxBuffered = options.maxBuffered ?? 100_000;
    this.#writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
    this.#overflow = options.overflow;
    this.#onStateChange = options.onStateChange;
    this.#timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1_000);
    this.#timer.unref();
  }

  /** Rows waiting in memory to be written. */
  get backlog(): number {
    return this.#queue.length + this.#writingRows + this.#spillingRows;
  }

  /** Rows dropped because the buffer was full while the database was away (and no overflow took them). */
  get dropped(): number {
    return this.#dropped;
  }

  /** Rows waiting, by where they wait: `memory`, and the overflow's tier. */
  async backlogByTier(): Promise<Partial<Record<SpendBacklogTier, number>>> {
    const byTier: Partial<Record<SpendBacklogTier, number>> = { memory: this.backlog };
    if (this.#overflow) byTier[this.#overflow.tier] = await this.#overflow.size().catch(() => Number.NaN);
    return byTier;
  }

  /** Queues a row (never waits, never throws). */
  append(row: SpendRow): void {
    this.#queue.push({ ...row, call_id: randomUUID() });
    this.#bound();
    if (this.#queue.length >= this.#batchSize) void this.flush();
  }

  /** Writes every queued row it can now; rows of a failed batch stay queued. Resolves either way. */
  flush(): Promise<void> {
    this.#writing ??= this.#drain().finally(() => {
      this.#writing = undefined;
    });
    return this.#writing;
  }

  /** Stops the timer and writes what is left (one attempt); what the database refuses goes to the overflow. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#writing;
    await this.flush();
    if (this.#overflow && this.#queue.length > 0) this.#spill(this.#queue.splice(0));
    await this.#spilling;
    await this.#overflow?.close?.();
  }

  /** Keeps the rows in memory (queued and being written) within `maxBuffered`: the oldest spill or drop. */
  #bound(): void {
    const over = this.#queue.length + this.#writingRows - this.#maxBuffered;
    if (over <= 0) return;
    if (!this.#overflow) {
      this.#drop(Math.min(over, this.#queue.length));
      return;
    }
    // A batch at a time: one append per batch, not per row.
    this.#spill(this.#queue.splice(0, Math.min(Math.max(over, this.#batchSize), this.#queue.length)));
  }

  /** Hands rows to the overflow, in order; rows it refuses come back to memory (bounded twice over). */
  #spill(rows: QueuedSpendRow[]): void {
    const overflow = this.#overflow;
    if (!overflow || rows.length === 0) return;
    this.#spillingRows += rows.length;
    this.#spilling = this.#spilling
      .then(() => overflow.append(rows))
      .catch(() => {
        this.#queue.unshift(...rows);
        // Counted with every row still in memory (these are, until `finally`).
        const over = this.backlog - 2 * this.#maxBuffered;
        if (over > 0) this.#drop(Math.min(over, this.#queue.length));
      })
      .finally(() => {
        this.#spillingRows -= rows.length;
      });
  }

  #drop(count: number): void {
    this.#queue.splice(0, count);
    this.#dropped += count;
  }

  async #drain(): Promise<void> {
    try {
      for (;;) {
        let written = 0;
        const batch = this.#queue.splice(0, this.#batchSize);
        if (batch.length > 0) {
          this.#writingRows += batch.length;
          try {
            await this.#insert(batch);
            written += batch.length;
          } catch (error) {
            this.#queue.unshift(...batch);
            throw error;
          } finally {
            this.#writingRows -= batch.length;
          }
        }
        if (this.#overflow)
          written += await this.#overflow.drain(this.#batchSize, (rows) =>
            this.#insert(rows.flatMap((row) => revivedRow(row) ?? [])),
          );
        if (written === 0) break;
        this.#setBacklogged(false);
      }
    } catch {
      // The database is away: the rows wait for the next tick (the batch back in the queue may overfill it).
      this.#setBacklogged(true);
      this.#bound();
    }
  }

  #setBacklogged(backlogged: boolean): void {
    if (this.#backlogged === backlogged) return;
    this.#backlogged = backlogged;
    this.#onStateChange?.(backlogged ? 'backlogged' : 'writing');
  }

  async #insert(batch: QueuedSpendRow[]): Promise<void> {
    if (batch.length === 0) return;
    // A connection that hangs (not refused: silent) must not stop every later write with it.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('spend log write timed out')), this.#writeTimeoutMs);
    });
    const writing = this.#write(batch);
    // Lost the race: its outcome no longer matters (the rows were queued again).
    writing.catch(() => undefined);
    try {
      await Promise.race([writing, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #write(batch: QueuedSpendRow[]): Promise<void> {
    await this.#sql.begin(async (tx) => {
      const ids = await tx<{ id: string }[]>`
        insert into matey.spend_log ${tx(batch)} on conflict (call_id) do nothing returning id`;
      await tx`
        update matey.spend_log s set team_id = k.team_id from matey.keys k
        where s.id = any(${ids.map((row) => row.id)}::bigint[]) and k.id = s.key_id`;
    });
  }
}
