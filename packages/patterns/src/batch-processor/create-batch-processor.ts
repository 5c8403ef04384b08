import { type ChatRequest, type ChatResponse, checkOptions, type OptionShape } from 'ai.matey.core';
import { TypedEmitter } from 'ai.matey.core/internal';
import {
  type BatchExecutor,
  type BatchItemResult,
  type BatchProgress,
  BatchRun,
  type BatchRunHooks,
} from './batch-run.ts';
import { CheckpointWriter, readCheckpoint, resultFromCheckpointEntry } from './checkpoint.ts';
import type { DistributedBatchEngine } from './distributed-batch-engine.ts';
import { RateGate, type RateGateOptions } from './rate-gate.ts';

export interface BatchProcessorOptions {
  /** Items in flight at once. Default 4. */
  concurrency?: number;
  /**
   * The provider's limits: `requestsPerMinute` spaces admissions evenly; `maxRequests` per
   * `perMinutes` allows bursts of that many in any such window; `tokensPerMinute` charges each
   * item its estimated tokens.
   */
  rateLimit?: Omit<RateGateOptions, 'now'>;
  /** Retries of retryable errors, with exponential backoff and jitter. Default 3 attempts from 500 ms. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /**
   * A JSONL file with one line per finished item. A run given the same file skips the items
   * it lists (failed ones too, unless `retryFailed`), so a crashed batch resumes where it was.
   */
  checkpoint?: { path: string; retryFailed?: boolean };
  /** Tokens an item will use, for `tokensPerMinute`. Default: its JSON length / 4, plus `maxOutputTokens`. */
  estimateTokens?: (item: unknown) => number;
  /**
   * Spread the batch over worker processes on other machines too (`createBullmqBatch` from
   * ai.matey.batch.bullmq). Redis then keeps the finished items, so no `checkpoint` goes with it.
   */
  distributed?: DistributedBatchEngine;
}

export interface BatchProcessorEvents {
  progress: BatchProgress;
  item: { result: BatchItemResult<unknown>; durationMs: number };
  retry: Parameters<BatchRunHooks['retry']>[0];
  pause: Parameters<BatchRunHooks['pause']>[0];
}

/** Anything with `execute(request, { signal })`: a Bridge, a Router or a provider adapter. */
export interface ChatExecutor {
  execute(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse>;
}

const batchProcessorOptions: OptionShape<BatchProcessorOptions> = {
  concurrency: true,
  rateLimit: {
    requestsPerMinute: true,
    maxRequests: true,
    perMinutes: true,
    tokensPerMinute: true,
    enforcedWindowMs: true,
  },
  retry: { maxAttempts: true, baseDelayMs: true, maxDelayMs: true },
  checkpoint: { path: true, retryFailed: true },
  estimateTokens: true,
  distributed: true,
};

/**
 * Processes many calls within a provider's rate limits (the seed's pattern 6, as a scheduler
 * rather than a polling loop). Work is admitted on an even grid (`60_000 / requestsPerMinute`
 * ms apart) with one timer at a time; the scheduler pauses for a 429's retry-after and when the
 * provider's rate-limit headers say nothing is left; retryable errors are retried with backoff.
 * Results come back in input order. Cancel with an AbortSignal: calls in flight are aborted and
 * pending ones never start. With a checkpoint file, a cancelled or crashed batch resumes.
 *
 * `rateLimit: { maxRequests: 10, perMinutes: 1 }` (the guide's shape) allows any 10 in a
 * minute, bursts included; `requestsPerMinute: 10` spaces them 6 s apart.
 *
 * @example
 * const processor = createBatchProcessor({
 *   concurrency: 8,
 *   rateLimit: { requestsPerMinute: 500 },
 *   checkpoint: { path: 'batch.jsonl' },
 * });
 * processor.on('progress', ({ done, total, etaMs }) => console.log(`${done}/${total}, ${etaMs} ms left`));
 * const results = await processor.run(requests, bridge);
 * console.log(`Completed: ${results.filter((r) => r.success).length}/${results.length}`);
 */
export function createBatchProcessor(options: BatchProcessorOptions = {}): BatchProcessor {
  return new BatchProcessor(options);
}

/** See `createBatchProcessor`. */
export class BatchProcessor extends TypedEmitter<BatchProcessorEvents> {
  /** Shared by every run of this processor: the limit belongs to the provider, not to one batch. */
  readonly gate: RateGate;
  readonly #options: BatchProcessorOptions;

  constructor(options: BatchProcessorOptions = {}) {
    super();
    checkOptions('BatchProcessor', options, batchProcessorOptions);
    if (options.distributed && options.checkpoint) {
      throw new TypeError(
        'BatchProcessor: a distributed batch keeps its finished items in Redis: drop `checkpoint`',
      );
    }
    this.#options = options;
    this.gate = new RateGate(options.rateLimit);
  }

  /** Runs `executor` over every item; resolves with one result per item, in input order. */
  async process<I, O>(
    items: readonly I[],
    executor: BatchExecutor<I, O>,
    options: { signal?: AbortSignal } = {},
  ): Promise<Array<BatchItemResult<O>>> {
    if (this.#options.distributed)
      return this.#processDistributed(this.#options.distributed, items, executor, options);
    const checkpoint = this.#options.checkpoint;
    const finished = new Map<number, BatchItemResult<O>>();
    if (checkpoint) {
      for (const [index, entry] of await readCheckpoint(checkpoint.path)) {
        if (index >= items.length || (!entry.ok && checkpoint.retryFailed)) continue;
        finished.set(index, resultFromCheckpointEntry<O>(entry));
      }
    }
    const retry = this.#options.retry ?? {};
    const baseDelayMs = retry.baseDelayMs ?? 500;
    const maxDelayMs = retry.maxDelayMs ?? 30_000;
    const estimate = this.#options.estimateTokens ?? defaultTokenEstimate;
    const run = new BatchRun<I, O>({
      items,
      executor,
      concurrency: Math.max(1, this.#options.concurrency ?? 4),
      gate: this.gate,
      maxAttempts: Math.max(1, retry.maxAttempts ?? 3),
      // Exponential with "equal jitter": half fixed, half random, so retries spread out.
      backoffMs: (attempt) => {
        const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
        return ceiling / 2 + Math.random() * (ceiling / 2);
      },
      tokensFor: this.#options.rateLimit?.tokensPerMinute ? estimate : () => 0,
      finished,
      checkpoint: checkpoint ? await CheckpointWriter.open(checkpoint.path) : undefined,
      signal: options.signal,
      hooks: this.#hooks(),
    });
    return run.start();
  }

  #processDistributed<I, O>(
    engine: DistributedBatchEngine,
    items: readonly I[],
    executor: BatchExecutor<I, O>,
    options: { signal?: AbortSignal },
  ): Promise<Array<BatchItemResult<O>>> {
    const retry = this.#options.retry ?? {};
    return engine.process({
      items,
      executor,
      concurrency: Math.max(1, this.#options.concurrency ?? 4),
      rateLimit: this.#options.rateLimit,
      retry: {
        maxAttempts: Math.max(1, retry.maxAttempts ?? 3),
        baseDelayMs: retry.baseDelayMs ?? 500,
        maxDelayMs: retry.maxDelayMs ?? 30_000,
      },
      signal: options.signal,
      hooks: this.#hooks(),
    });
  }

  #hooks(): BatchRunHooks {
    return {
      item: (result, durationMs) => this.emit('item', { result, durationMs }),
      progress: (progress) => this.emit('progress', progress),
      retry: (event) => this.emit('retry', event),
      pause: (event) => this.emit('pause', event),
    };
  }

  /** Sends each request through `target.execute` (a Bridge, Router or adapter). */
  run(
    requests: readonly ChatRequest[],
    target: ChatExecutor,
    options: { signal?: AbortSignal } = {},
  ): Promise<Array<BatchItemResult<ChatResponse>>> {
    return this.process(requests, (request, { signal }) => target.execute(request, { signal }), options);
  }
}

function defaultTokenEstimate(item: unknown): number {
  const maxOutputTokens = (item as { maxOutputTokens?: unknown } | null)?.maxOutputTokens;
  return (
    Math.ceil((JSON.stringify(item) ?? '').length / 4) +
    (typeof maxOutputTokens === 'number' ? maxOutputTokens : 0)
  );
}
