import { randomUUID } from 'node:crypto';
import type { BatchItemResult, DistributedBatchEngine, DistributedBatchRun } from 'ai.matey.patterns';
import { Queue } from 'bullmq';
import { BATCH_JOB_NAME, type BatchJobData } from './batch-job.ts';
import { checkBatchId, DEFAULT_PREFIX, DEFAULT_QUEUE, jobIdFor, limiterKey } from './batch-keys.ts';
import { BatchStore } from './batch-store.ts';
import { limiterFromRateLimit } from './limiter-from-rate-limit.ts';
import { bullmqConnection, openRecordsClient } from './redis-connection.ts';
import { ResultCollector } from './result-collector.ts';
import { type BatchWorkerOptions, startBatchWorker } from './start-batch-worker.ts';

export interface BullmqBatchOptions {
  /** Default `redis://127.0.0.1:6379`. */
  redisUrl?: string;
  /**
   * The batch's id. Items are jobs `<batchId>/<itemId>`: submitting the same batch id again
   * (after a crash, from another machine) queues nothing already queued or done. Default: random.
   */
  batchId?: string;
  /** An item's id within the batch. Default: its position in the input. */
  itemId?: (item: unknown, index: number) => string;
  /** BullMQ's key prefix (default `matey`) and queue (default `matey-batch`); workers must match. */
  prefix?: string;
  queue?: string;
  /** Work on the batch in this process too (default true); false only submits and waits. */
  work?: boolean;
  /** Lock and stalled-check timing of this process's worker (see `startBatchWorker`). */
  worker?: Pick<
    BatchWorkerOptions<unknown, unknown>,
    'lockDurationMs' | 'stalledIntervalMs' | 'maxStalledCount' | 'name'
  >;
  /** How often the submitter reads finished items. Default 200 ms. */
  pollIntervalMs?: number;
}

/**
 * A distributed mode for `createBatchProcessor`, on BullMQ: the batch's items become jobs in
 * Redis, any number of workers (`startBatchWorker`, `matey batch worker`) on any machine take them
 * under one global rate limit, and this process collects the results in input order. A worker
 * that dies leaves its jobs locked until `lockDurationMs`, then another worker takes them; each
 * item's result is stored once, by item id, and an item with a stored result is not run again.
 *
 * @example
 * const processor = createBatchProcessor({
 *   concurrency: 8,
 *   rateLimit: { requestsPerMinute: 3_000 },
 *   distributed: createBullmqBatch({ redisUrl: 'redis://10.0.0.5:6379', batchId: 'nightly-2026-12-08' }),
 * });
 * const results = await processor.run(requests, bridge); // in input order, whoever did them
 */
export function createBullmqBatch(options: BullmqBatchOptions = {}): BullmqBatch {
  return new BullmqBatch(options);
}

/** See `createBullmqBatch`. */
export class BullmqBatch implements DistributedBatchEngine {
  readonly batchId: string;
  readonly #options: BullmqBatchOptions;

  constructor(options: BullmqBatchOptions) {
    this.batchId = checkBatchId(options.batchId ?? `batch-${randomUUID()}`);
    this.#options = options;
  }

  async process<I, O>(run: DistributedBatchRun<I, O>): Promise<Array<BatchItemResult<O>>> {
    const limiter = limiterFromRateLimit(run.rateLimit);
    const itemKeys = this.#itemKeys(run.items);
    const prefix = this.#options.prefix ?? DEFAULT_PREFIX;
    const queueName = this.#options.queue ?? DEFAULT_QUEUE;
    const client = openRecordsClient(this.#options.redisUrl);
    const store = new BatchStore(client, { prefix, queue: queueName, batchId: this.batchId });
    const queue = new Queue<BatchJobData<I>>(queueName, {
      connection: bullmqConnection(this.#options.redisUrl),
      prefix,
    });
    let worker: Awaited<ReturnType<typeof startBatchWorker>> | undefined;
    try {
      await store.begin(run.items.length);
      await client.set(limiterKey(prefix, queueName), JSON.stringify(limiter));
      const collector = new ResultCollector(run, itemKeys, store);
      const pending = await collector.restore();
      await this.#enqueue(queue, run, itemKeys, pending);
      if (this.#options.work !== false) {
        worker = await startBatchWorker({
          ...this.#options.worker,
          redisUrl: this.#options.redisUrl,
          prefix,
          queue: queueName,
          executor: run.executor,
          concurrency: run.concurrency,
          limiter,
        });
      }
      return await collector.wait(this.#options.pollIntervalMs ?? 200, limiter);
    } finally {
      await worker?.close({ force: run.signal?.aborted === true });
      await queue.close();
      client.disconnect();
    }
  }

  #itemKeys(items: readonly unknown[]): string[] {
    const idOf = this.#options.itemId ?? ((_item: unknown, index: number) => String(index));
    const keys = items.map((item, index) => idOf(item, index));
    const seen = new Set<string>();
    for (const key of keys) {
      if (seen.has(key)) throw new TypeError(`batch ${this.batchId}: item id "${key}" appears twice`);
      seen.add(key);
    }
    return keys;
  }

  async #enqueue<I, O>(
    queue: Queue<BatchJobData<I>>,
    run: DistributedBatchRun<I, O>,
    itemKeys: readonly string[],
    pending: readonly number[],
  ): Promise<void> {
    const { maxAttempts, baseDelayMs } = run.retry;
    for (let start = 0; start < pending.length; start += 500) {
      const jobs = pending.slice(start, start + 500).map((index) => {
        const itemKey = itemKeys[index] as string;
        return {
          name: BATCH_JOB_NAME,
          data: { batchId: this.batchId, itemKey, index, item: run.items[index] as I },
          opts: {
            jobId: jobIdFor(this.batchId, itemKey),
            attempts: maxAttempts,
            backoff: { type: 'exponential', delay: baseDelayMs, jitter: 0.5 },
          },
        };
      });
      await queue.addBulk(jobs);
    }
  }
}
