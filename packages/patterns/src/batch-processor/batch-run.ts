import { type AiMateyError, CancelledError, type RateLimitInfo, toAiMateyError } from 'ai.matey.core';
import type { CheckpointWriter } from './checkpoint.ts';
import type { RateGate } from './rate-gate.ts';

/** What the executor gets with each item. */
export interface BatchItemContext {
  index: number;
  /** 1 for the first try. */
  attempt: number;
  /** Aborted when the run is cancelled. */
  signal: AbortSignal;
}

export type BatchExecutor<I, O> = (item: I, context: BatchItemContext) => Promise<O>;

/** One item's outcome; `fromCheckpoint` marks one finished by an earlier run. */
export type BatchItemResult<O> =
  | { index: number; success: true; result: O; attempts: number; fromCheckpoint?: boolean }
  | { index: number; success: false; error: AiMateyError; attempts: number; fromCheckpoint?: boolean };

export interface BatchProgress {
  total: number;
  /** Finished items, successes and failures, this run and earlier ones. */
  done: number;
  failed: number;
  inFlight: number;
  pending: number;
  /** Items finished per second in this run. */
  ratePerSecond: number;
  /** Estimated time to finish, from the rate so far (and never less than the rate limit allows). */
  etaMs: number | undefined;
  elapsedMs: number;
}

/** What a run reports back to its processor. */
export interface BatchRunHooks {
  item(result: BatchItemResult<unknown>, durationMs: number): void;
  progress(progress: BatchProgress): void;
  retry(event: { index: number; attempt: number; error: AiMateyError; delayMs: number }): void;
  pause(event: { ms: number; reason: 'retry-after' | 'rate-limit-headers' }): void;
}

export interface BatchRunOptions<I, O> {
  items: readonly I[];
  executor: BatchExecutor<I, O>;
  concurrency: number;
  gate: RateGate;
  maxAttempts: number;
  backoffMs: (attempt: number) => number;
  tokensFor: (item: I) => number;
  finished: Map<number, BatchItemResult<O>>;
  checkpoint: CheckpointWriter | undefined;
  signal: AbortSignal | undefined;
  hooks: BatchRunHooks;
}

/**
 * One `process()` call: admits items through the rate gate with one timer at a time, retries,
 * records results by index, and settles when every item is finished (or the run is cancelled
 * and its calls in flight have stopped).
 */
export class BatchRun<I, O> {
  readonly #o: BatchRunOptions<I, O>;
  readonly #results: Array<BatchItemResult<O> | undefined>;
  readonly #attempts: number[];
  readonly #ready: number[] = [];
  readonly #retryTimers = new Set<ReturnType<typeof setTimeout>>();
  readonly #controller = new AbortController();
  readonly #started = performance.now();
  #readyHead = 0;
  #inFlight = 0;
  #doneThisRun = 0;
  #done = 0;
  #failedCount = 0;
  #wake: ReturnType<typeof setTimeout> | undefined;
  #settle: { resolve(results: Array<BatchItemResult<O>>): void; reject(error: unknown): void } | undefined;
  #settled = false;

  constructor(options: BatchRunOptions<I, O>) {
    this.#o = options;
    this.#results = options.items.map((_, index) => options.finished.get(index));
    this.#attempts = options.items.map((_, index) => options.finished.get(index)?.attempts ?? 0);
    for (let index = 0; index < options.items.length; index++) {
      const earlier = this.#results[index];
      if (!earlier) this.#ready.push(index);
      else {
        this.#done++;
        if (!earlier.success) this.#failedCount++;
      }
    }
  }

  start(): Promise<Array<BatchItemResult<O>>> {
    return new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
      const onAbort = () => this.#cancel(this.#o.signal?.reason);
      if (this.#o.signal?.aborted) onAbort();
      else this.#o.signal?.addEventListener('abort', onAbort, { once: true });
      this.#controller.signal.addEventListener('abort', () =>
        this.#o.signal?.removeEventListener('abort', onAbort),
      );
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#wake) clearTimeout(this.#wake);
    this.#wake = undefined;
    if (this.#controller.signal.aborted) return void this.#finishIfIdle();
    while (this.#inFlight < this.#o.concurrency && this.#readyHead < this.#ready.length) {
      const index = this.#ready[this.#readyHead] as number;
      const tokens = this.#o.tokensFor(this.#o.items[index] as I);
      const wait = this.#o.gate.delayFor(tokens);
      if (wait > 0) {
        this.#wake = setTimeout(() => this.#pump(), wait);
        return;
      }
      this.#o.gate.admit(tokens);
      this.#readyHead++;
      this.#launch(index);
    }
    this.#finishIfIdle();
  }

  #launch(index: number): void {
    this.#inFlight++;
    const attempt = ++this.#attempts[index]!;
    const started = performance.now();
    const context = { index, attempt, signal: this.#controller.signal };
    new Promise<O>((resolve) => resolve(this.#o.executor(this.#o.items[index] as I, context))).then(
      (result) => this.#succeeded(index, result, performance.now() - started),
      (error: unknown) => this.#failed(index, error, performance.now() - started),
    );
  }

  #succeeded(index: number, result: O, durationMs: number): void {
    this.#inFlight--;
    const rateLimit = (result as { rateLimit?: RateLimitInfo } | null)?.rateLimit;
    if (rateLimit) this.#adapt(rateLimit);
    this.#finish({ index, success: true, result, attempts: this.#attempts[index] ?? 1 }, durationMs);
  }

  #failed(index: number, thrown: unknown, durationMs: number): void {
    this.#inFlight--;
    // A cancelled run leaves the item unfinished: a resumed run does it again.
    if (this.#controller.signal.aborted) return void this.#pump();
    const error = toAiMateyError(thrown);
    const attempts = this.#attempts[index] ?? 1;
    if (!error.isRetryable || attempts >= this.#o.maxAttempts) {
      this.#finish({ index, success: false, error, attempts }, durationMs);
      return;
    }
    if (error.retryAfterMs !== undefined) {
      this.#o.gate.pauseFor(error.retryAfterMs);
      this.#o.hooks.pause({ ms: error.retryAfterMs, reason: 'retry-after' });
    }
    // With a retry-after the whole gate waits; otherwise this item alone backs off.
    const delayMs = error.retryAfterMs !== undefined ? 0 : this.#o.backoffMs(attempts);
    this.#o.hooks.retry({ index, attempt: attempts, error, delayMs });
    const requeue = () => {
      this.#ready.splice(this.#readyHead, 0, index);
      this.#pump();
    };
    if (delayMs <= 0) return void requeue();
    const timer = setTimeout(() => {
      this.#retryTimers.delete(timer);
      requeue();
    }, delayMs);
    this.#retryTimers.add(timer);
  }

  #adapt(rateLimit: RateLimitInfo): void {
    const waits: number[] = [];
    if (rateLimit.remainingRequests === 0 && rateLimit.resetRequestsMs) waits.push(rateLimit.resetRequestsMs);
    if (rateLimit.remainingTokens === 0 && rateLimit.resetTokensMs) waits.push(rateLimit.resetTokensMs);
    if (waits.length === 0) return;
    const ms = Math.max(...waits);
    if (ms <= this.#o.gate.pausedForMs()) return;
    this.#o.gate.pauseFor(ms);
    this.#o.hooks.pause({ ms, reason: 'rate-limit-headers' });
  }

  #finish(result: BatchItemResult<O>, durationMs: number): void {
    this.#results[result.index] = result;
    this.#doneThisRun++;
    this.#done++;
    if (!result.success) this.#failedCount++;
    this.#o.checkpoint?.append(
      result.success
        ? { index: result.index, ok: true, attempts: result.attempts, result: result.result }
        : { index: result.index, ok: false, attempts: result.attempts, error: result.error.toJSON() },
    );
    this.#o.hooks.item(result, durationMs);
    this.#o.hooks.progress(this.progress());
    this.#pump();
  }

  progress(): BatchProgress {
    const elapsedMs = performance.now() - this.#started;
    const done = this.#done;
    const remaining = this.#o.items.length - done;
    const ratePerSecond = elapsedMs > 0 ? (this.#doneThisRun / elapsedMs) * 1000 : 0;
    const floorMs = remaining * this.#o.gate.requestIntervalMs;
    return {
      total: this.#o.items.length,
      done,
      failed: this.#failedCount,
      inFlight: this.#inFlight,
      pending: remaining - this.#inFlight,
      ratePerSecond,
      etaMs: ratePerSecond > 0 ? Math.max((remaining / ratePerSecond) * 1000, floorMs) : undefined,
      elapsedMs,
    };
  }

  #cancel(reason: unknown): void {
    if (this.#controller.signal.aborted) return;
    this.#controller.abort(
      toAiMateyError(reason ?? new CancelledError({ message: 'The batch was cancelled' })),
    );
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
    this.#pump();
  }

  #finishIfIdle(): void {
    if (this.#settled || this.#inFlight > 0) return;
    const aborted = this.#controller.signal.aborted;
    if (!aborted && (this.#readyHead < this.#ready.length || this.#retryTimers.size > 0)) return;
    this.#settled = true;
    if (this.#wake) clearTimeout(this.#wake);
    const flushed = this.#o.checkpoint?.close() ?? Promise.resolve();
    flushed.then(
      () => {
        if (aborted) this.#settle?.reject(this.#controller.signal.reason);
        else this.#settle?.resolve(this.#results as Array<BatchItemResult<O>>);
      },
      (error: unknown) => this.#settle?.reject(error),
    );
    if (!aborted) this.#controller.abort();
  }
}
