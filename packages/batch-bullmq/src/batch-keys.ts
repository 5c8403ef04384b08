/** Where one batch lives in Redis: BullMQ's key prefix, the queue, and the batch id. */
export interface BatchLocation {
  prefix: string;
  queue: string;
  batchId: string;
}

/** The defaults every process of a deployment shares unless told otherwise. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_PREFIX = 'matey';
export const DEFAULT_QUEUE = 'matey-batch';

const SAFE_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Throws unless `batchId` is 1–128 letters, digits, `.`, `_` or `-` (BullMQ job ids take no `:`). */
export function checkBatchId(batchId: string): string {
  if (!SAFE_ID.test(batchId)) {
    throw new TypeError(
      `batch id "${batchId}": use 1-128 letters, digits, ".", "_" or "-" (it becomes part of Redis keys)`,
    );
  }
  return batchId;
}

/** The keys of a batch's own records, beside BullMQ's keys for the queue. */
export function batchKeys(location: BatchLocation): { meta: string; results: string; done: string } {
  const base = `${location.prefix}:${location.queue}:matey-batch:${location.batchId}`;
  return { meta: `${base}:meta`, results: `${base}:results`, done: `${base}:done` };
}

/** Where a submitter publishes the queue's rate limit for workers started without one. */
export function limiterKey(prefix: string, queue: string): string {
  return `${prefix}:${queue}:matey-limiter`;
}

/**
 * The job id of an item: the batch id and the item's id. Adding a job whose id exists is a no-op
 * in BullMQ, so submitting a batch twice queues each item once.
 */
export function jobIdFor(batchId: string, itemKey: string): string {
  return `${batchId}/${encodeURIComponent(itemKey)}`;
}
