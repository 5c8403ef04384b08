import { CancelledError, toAiMateyError } from 'ai.matey.core';
import {
  type BatchItemResult,
  type BatchProgress,
  type DistributedBatchRun,
  resultFromCheckpointEntry,
} from 'ai.matey.patterns';
import type { BatchStore } from './batch-store.ts';
import type { QueueLimiter } from './limiter-from-rate-limit.ts';

/** Reads a batch's finished items from Redis as workers store them, and reports them in order. */
export class ResultCollector<I, O> {
  readonly #run: DistributedBatchRun<I, O>;
  readonly #itemKeys: readonly string[];
  readonly #indexOf: Map<string, number>;
  readonly #store: BatchStore;
  readonly #results: Array<BatchItemResult<O> | undefined>;
  readonly #started = performance.now();
  #done = 0;
  #doneThisRun = 0;
  #failed = 0;
  #offset = 0;

  constructor(run: DistributedBatchRun<I, O>, itemKeys: readonly string[], store: BatchStore) {
    this.#run = run;
    this.#itemKeys = itemKeys;
    this.#indexOf = new Map(itemKeys.map((key, index) => [key, index]));
    this.#store = store;
    this.#results = itemKeys.map(() => undefined);
  }

  /** Takes the items stored by earlier submissions; returns the indexes still to queue. */
  async restore(): Promise<number[]> {
    const entries = await this.#store.read(this.#itemKeys);
    const pending: number[] = [];
    entries.forEach((entry, index) => {
      if (entry) this.#accept(index, resultFromCheckpointEntry<O>({ ...entry, index }, true), false);
      else pending.push(index);
    });
    return pending;
  }

  async wait(pollIntervalMs: number, limiter: QueueLimiter): Promise<Array<BatchItemResult<O>>> {
    const signal = this.#run.signal;
    while (this.#done < this.#results.length) {
      if (signal?.aborted)
        throw toAiMateyError(signal.reason ?? new CancelledError({ message: 'The batch was cancelled' }));
      const keys = await this.#store.finishedSince(this.#offset);
      this.#offset += keys.length;
      const fresh = keys.filter((key) => this.#indexOf.has(key));
      const entries = await this.#store.read(fresh);
      fresh.forEach((key, position) => {
        const index = this.#indexOf.get(key) as number;
        const entry = entries[position];
        if (entry && !this.#results[index])
          this.#accept(index, resultFromCheckpointEntry<O>({ ...entry, index }, false), true);
      });
      if (fresh.length > 0) this.#run.hooks.progress(this.progress(limiter));
      if (this.#done < this.#results.length) await sleep(pollIntervalMs, signal);
    }
    return this.#results as Array<BatchItemResult<O>>;
  }

  #accept(index: number, result: BatchItemResult<O>, thisRun: boolean): void {
    this.#results[index] = result;
    this.#done++;
    if (thisRun) this.#doneThisRun++;
    if (!result.success) this.#failed++;
    if (thisRun) this.#run.hooks.item(result as BatchItemResult<unknown>, 0);
  }

  progress(limiter: QueueLimiter): BatchProgress {
    const elapsedMs = performance.now() - this.#started;
    const remaining = this.#results.length - this.#done;
    const ratePerSecond = elapsedMs > 0 ? (this.#doneThisRun / elapsedMs) * 1000 : 0;
    const floorMs = (remaining * limiter.duration) / limiter.max;
    return {
      total: this.#results.length,
      done: this.#done,
      failed: this.#failed,
      inFlight: 0,
      pending: remaining,
      ratePerSecond,
      etaMs: ratePerSecond > 0 ? Math.max((remaining / ratePerSecond) * 1000, floorMs) : undefined,
      elapsedMs,
    };
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
