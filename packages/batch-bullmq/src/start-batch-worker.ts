import { type RateLimitInfo, toAiMateyError } from 'ai.matey.core';
import type { BatchExecutor, CheckpointEntry } from 'ai.matey.patterns';
import { type Job, Queue, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BatchJobData } from './batch-job.ts';
import { DEFAULT_PREFIX, DEFAULT_QUEUE, limiterKey } from './batch-keys.ts';
import { BatchStore } from './batch-store.ts';
import { limiterFromRateLimit, type QueueLimiter } from './limiter-from-rate-limit.ts';
import { bullmqConnection, openRecordsClient } from './redis-connection.ts';

export interface BatchWorkerOptions<I, O> {
  /** Default `redis://127.0.0.1:6379`. */
  redisUrl?: string;
  /** BullMQ's key prefix (default `matey`) and the queue (default `matey-batch`). */
  prefix?: string;
  queue?: string;
  /** Runs one item (a Bridge's `execute`, say); its result must be JSON. */
  executor: BatchExecutor<I, O>;
  /** Items in flight at once in this worker. Default 4. */
  concurrency?: number;
  /**
   * The queue's rate limit. Every worker of a queue must use the same one: BullMQ counts starts
   * in Redis, but each worker brings the limit. Default: the one the submitter published, else none
   * (retry-after pauses still hold).
   */
  limiter?: QueueLimiter;
  /** How long a job stays locked without renewal: a dead worker's jobs move on after this. Default 30 s. */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died. Default 30 s. */
  stalledIntervalMs?: number;
  /** How many times a job may be recovered from a dead worker. Default 5. */
  maxStalledCount?: number;
  /** This worker's name, shown by `matey batch status`. */
  name?: string;
}

/** A running worker: `close()` lets calls in flight finish (or aborts them with `force`). */
export interface BatchWorker {
  readonly limiter: QueueLimiter;
  /** Items this worker finished and stored. */
  readonly stored: number;
  close(options?: { force?: boolean }): Promise<void>;
}

/**
 * Starts a worker on a distributed batch queue: it takes items of any batch on the queue, within
 * the queue's global rate limit, and stores each result once. An item already stored is not run
 * again. A retry-after from the provider pauses the whole queue (`queue.rateLimit`) and puts the
 * item back without using an attempt; rate-limit headers saying nothing is left do the same.
 *
 * @example
 * const worker = await startBatchWorker({
 *   redisUrl: 'redis://10.0.0.5:6379',
 *   executor: (request, { signal }) => bridge.execute(request, { signal }),
 *   concurrency: 8,
 * });
 * process.on('SIGTERM', () => worker.close());
 */
export async function startBatchWorker<I, O>(options: BatchWorkerOptions<I, O>): Promise<BatchWorker> {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const queueName = options.queue ?? DEFAULT_QUEUE;
  const client = openRecordsClient(options.redisUrl);
  const limiter =
    options.limiter ?? (await publishedLimiter(client, prefix, queueName)) ?? limiterFromRateLimit(undefined);
  const connection = bullmqConnection(options.redisUrl);
  const queue = new Queue(queueName, { connection, prefix });
  const stores = new Map<string, BatchStore>();
  const storeFor = (batchId: string) => {
    let store = stores.get(batchId);
    if (store) return store;
    store = new BatchStore(client, { prefix, queue: queueName, batchId });
    stores.set(batchId, store);
    return store;
  };
  const closing = new AbortController();
  let stored = 0;
  const pause = async (ms: number | undefined) => {
    if (ms !== undefined && ms > 0) await queue.rateLimit(ms);
  };

  const processor = async (job: Job<BatchJobData<I>>, token?: string, jobSignal?: AbortSignal) => {
    const { batchId, itemKey, index, item } = job.data;
    const store = storeFor(batchId);
    if (await store.has(itemKey)) return 'already-stored';
    const attempt = job.attemptsMade + 1;
    const signal = jobSignal ? AbortSignal.any([jobSignal, closing.signal]) : closing.signal;
    let entry: CheckpointEntry;
    try {
      const result = await options.executor(item, { index, attempt, signal });
      const rateLimit = (result as { rateLimit?: RateLimitInfo } | null)?.rateLimit;
      if (rateLimit?.remainingRequests === 0) await pause(rateLimit.resetRequestsMs);
      else if (rateLimit?.remainingTokens === 0) await pause(rateLimit.resetTokensMs);
      entry = { index, ok: true, attempts: attempt, result };
    } catch (thrown) {
      // Stopped under it (a forced close): the item is not done, so it goes back for another worker.
      if (closing.signal.aborted) return handBack(job, token);
      const error = toAiMateyError(thrown);
      if (error.isRetryable && error.retryAfterMs !== undefined && !closing.signal.aborted) {
        await pause(error.retryAfterMs);
        throw Worker.RateLimitError();
      }
      // Worth another go while attempts are left: BullMQ backs off and any worker may take it.
      if (error.isRetryable && attempt < (job.opts.attempts ?? 1)) throw error;
      entry = { index, ok: false, attempts: attempt, error: error.toJSON() };
    }
    if (await store.record(itemKey, entry)) stored++;
    return entry.ok ? 'stored' : 'stored-failure';
  };

  const worker = new Worker<BatchJobData<I>>(queueName, processor, {
    connection,
    prefix,
    concurrency: Math.max(1, options.concurrency ?? 4),
    limiter,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 5,
    removeOnComplete: { age: 3_600 },
    removeOnFail: { age: 7 * 24 * 3_600 },
    ...(options.name ? { name: options.name } : {}),
  });
  // A job that failed for good without a stored result (recovered from dead workers too often,
  // say) is stored as failed, so the batch still finishes.
  worker.on('failed', (job, error) => {
    if (!job || job.finishedOn === undefined) return;
    const { batchId, itemKey, index } = job.data;
    const failure = toAiMateyError(error).toJSON();
    storeFor(batchId)
      .record(itemKey, { index, ok: false, attempts: job.attemptsMade, error: failure })
      .catch(() => {});
  });
  worker.on('error', () => {});
  await worker.waitUntilReady();

  return {
    limiter,
    get stored() {
      return stored;
    },
    async close({ force = false } = {}) {
      if (force) closing.abort();
      await worker.close(force);
      await queue.close();
      client.disconnect();
    },
  };
}

/** Puts an item this worker could not finish back in the queue, using none of its attempts. */
async function handBack(job: Job, token: string | undefined): Promise<never> {
  // If this fails (the connection is closing too), the lock lapses and the stalled check does it.
  if (token) await job.moveToWait(token).catch(() => {});
  throw new WaitingError();
}

/** The limit a submitter published for this queue, if any. */
async function publishedLimiter(
  client: Redis,
  prefix: string,
  queue: string,
): Promise<QueueLimiter | undefined> {
  const text = await client.get(limiterKey(prefix, queue));
  if (!text) return undefined;
  const parsed = JSON.parse(text) as Partial<QueueLimiter>;
  return typeof parsed.max === 'number' && typeof parsed.duration === 'number'
    ? { max: parsed.max, duration: parsed.duration }
    : undefined;
}
