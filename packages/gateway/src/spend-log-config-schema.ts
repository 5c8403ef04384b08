import { z } from 'zod';

/**
 * The `spendLog:` section (with `database:`): batches, the memory buffer, and where rows wait
 * past it while the database is away: JSONL files in `overflowDir` when given, else the Redis of
 * `store:` when there is one, else nowhere (the oldest rows past the buffer are dropped).
 */
export const spendLogConfigSchema = z
  .object({
    /** Most rows in one INSERT. */
    batchSize: z.number().int().positive().default(500),
    /** Longest a row waits before its batch is written. */
    flushIntervalMs: z.number().int().positive().default(1_000),
    /** Most rows held in memory while the database is away. */
    bufferRows: z.number().int().positive().default(100_000),
    /**
     * A folder (from the working directory) for append-only JSONL files of the rows past the
     * buffer; replicas of one database may share it.
     */
    overflowDir: z.string().min(1).optional(),
    /**
     * The Redis list that holds rows past the buffer, when `store:` is Redis and no `overflowDir`.
     * Default `matey:spend-backlog:<hash of the database's host, port and name>`, so deployments
     * sharing a Redis never write each other's rows.
     */
    redisKey: z.string().min(1).optional(),
    /** How often budget counters are raised to the spend log's sums (also at start); 0 for never. */
    reconcileIntervalMs: z.number().int().nonnegative().default(60_000),
  })
  .strict()
  .prefault({});

export type SpendLogConfig = z.infer<typeof spendLogConfigSchema>;
