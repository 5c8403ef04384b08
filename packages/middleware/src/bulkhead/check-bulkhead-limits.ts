import { checkOptions, type OptionShape } from 'ai.matey.core';
import type { BulkheadLimits } from './bulkhead.ts';

const limitShape: OptionShape<BulkheadLimits> = { maxConcurrent: true, maxQueue: true, queueTimeoutMs: true };

/**
 * Throws a `TypeError` naming the field for limits a bulkhead cannot work with (a cap below 1,
 * a negative queue, a timeout that is not a number), and `UnknownOptionError` for a misspelt one.
 */
export function checkBulkheadLimits(owner: string, limits: BulkheadLimits, prefix: string): void {
  checkOptions(`${owner} (${prefix || 'limits'})`, limits, limitShape);
  const { maxConcurrent, maxQueue, queueTimeoutMs } = limits;
  if (!(Number.isInteger(maxConcurrent) && maxConcurrent >= 1))
    throw new TypeError(
      `${owner}: ${prefix}maxConcurrent must be an integer >= 1 (got ${String(maxConcurrent)})`,
    );
  if (maxQueue !== undefined && !(Number.isInteger(maxQueue) && maxQueue >= 0))
    throw new TypeError(`${owner}: ${prefix}maxQueue must be an integer >= 0 (got ${String(maxQueue)})`);
  if (queueTimeoutMs !== undefined && !(Number.isFinite(queueTimeoutMs) && queueTimeoutMs >= 0))
    throw new TypeError(
      `${owner}: ${prefix}queueTimeoutMs must be a number >= 0 (got ${String(queueTimeoutMs)})`,
    );
}
