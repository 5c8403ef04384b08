import { Queue } from 'bullmq';
import { checkBatchId, DEFAULT_PREFIX, DEFAULT_QUEUE } from './batch-keys.ts';
import { BatchStore } from './batch-store.ts';
import { bullmqConnection, openRecordsClient } from './redis-connection.ts';

/** A batch's progress as any process sees it (`matey batch status`). */
export interface BatchStatus {
  batchId: string;
  total: number;
  done: number;
  failed: number;
  pending: number;
  /** When the batch was first submitted and when its last item finished (ms since the epoch). */
  createdAt: number | undefined;
  lastDoneAt: number | undefined;
  /** Items finished a second, from submission to the last finished item. */
  ratePerSecond: number;
  /** The queue's jobs (of every batch on it) and the workers connected to it. */
  queue: { name: string; waiting: number; active: number; delayed: number; workers: number };
}

export interface ReadBatchStatusOptions {
  batchId: string;
  redisUrl?: string;
  prefix?: string;
  queue?: string;
}

/** Reads a batch's counters from Redis; undefined when no batch of that id was submitted. */
export async function readBatchStatus(options: ReadBatchStatusOptions): Promise<BatchStatus | undefined> {
  const batchId = checkBatchId(options.batchId);
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const name = options.queue ?? DEFAULT_QUEUE;
  const client = openRecordsClient(options.redisUrl);
  const queue = new Queue(name, { connection: bullmqConnection(options.redisUrl), prefix });
  try {
    const summary = await new BatchStore(client, { prefix, queue: name, batchId }).summary();
    if (!summary) return undefined;
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    const workers = await queue.getWorkersCount();
    const spanMs = (summary.lastDoneAt ?? 0) - (summary.createdAt ?? 0);
    return {
      batchId,
      ...summary,
      pending: summary.total - summary.done,
      ratePerSecond: spanMs > 0 ? (summary.done / spanMs) * 1000 : 0,
      queue: {
        name,
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        workers,
      },
    };
  } finally {
    await queue.close();
    client.disconnect();
  }
}
