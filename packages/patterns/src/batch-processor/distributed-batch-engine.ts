import type { BatchExecutor, BatchItemResult, BatchRunHooks } from './batch-run.ts';
import type { RateGateOptions } from './rate-gate.ts';

/**
 * What a distributed batch engine is asked to do: run every item of one batch across the
 * engine's workers and resolve with one result per item, in input order. `createBatchProcessor`
 * hands it the processor's own options, so one API serves both modes.
 */
export interface DistributedBatchRun<I, O> {
  items: readonly I[];
  /** Used by this process when it works on the batch too. */
  executor: BatchExecutor<I, O>;
  /** Items in flight at once in this process. */
  concurrency: number;
  /** The provider's limit, held across every worker of the batch. */
  rateLimit: Omit<RateGateOptions, 'now'> | undefined;
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  /** Stops this process waiting (and working); the batch goes on in the other workers. */
  signal: AbortSignal | undefined;
  hooks: BatchRunHooks;
}

/**
 * A batch engine that spreads items over several processes or machines (ai.matey.batch.bullmq
 * has one on BullMQ). Given as `createBatchProcessor({ distributed })`; without it the
 * processor runs in this process alone.
 */
export interface DistributedBatchEngine {
  process<I, O>(run: DistributedBatchRun<I, O>): Promise<Array<BatchItemResult<O>>>;
}
