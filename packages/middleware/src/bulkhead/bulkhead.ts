import { toAiMateyError } from 'ai.matey.core';

/** One bulkhead's limits. */
export interface BulkheadLimits {
  /** Calls in flight at once; a call over it waits in the queue. */
  maxConcurrent: number;
  /** Calls waiting at most; one more is refused at once. Default 0 (no queue). */
  maxQueue?: number;
  /** Longest wait in the queue, in ms; past it the call is refused. Default 1,000. */
  queueTimeoutMs?: number;
}

/** A bulkhead's figures, for dashboards and `/metrics`. */
export interface BulkheadStats {
  inFlight: number;
  queued: number;
  /** Calls refused since start: the queue was full, or they waited out the queue timeout. */
  rejected: number;
  rejectedQueueFull: number;
  rejectedQueueTimeout: number;
}

/** Why a call was refused. */
export type BulkheadRefusal = 'queue-full' | 'queue-timeout';

/** Gives a slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

interface Waiter {
  grant(release: ReleaseSlot): void;
  timer: ReturnType<typeof setTimeout> | undefined;
  stop(): void;
}

/**
 * A counting semaphore with a bounded FIFO wait queue and a queue timeout: at most
 * `maxConcurrent` slots are out; a call over that waits its turn in arrival order, unless
 * `maxQueue` calls already wait (refused at once) or it waits `queueTimeoutMs` (refused then).
 * A waiting call whose signal aborts leaves the queue with the signal's reason.
 */
export class Bulkhead {
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  readonly queueTimeoutMs: number;
  #inFlight = 0;
  // A Set keeps insertion order and removes a timed-out waiter in O(1).
  readonly #queue = new Set<Waiter>();
  #rejectedQueueFull = 0;
  #rejectedQueueTimeout = 0;

  constructor(limits: BulkheadLimits) {
    this.maxConcurrent = limits.maxConcurrent;
    this.maxQueue = limits.maxQueue ?? 0;
    this.queueTimeoutMs = limits.queueTimeoutMs ?? 1_000;
  }

  /**
   * A slot, now or when one frees up in turn. Rejects with `refuse(reason)` when the queue is full
   * or the wait times out, and with the abort reason when `signal` aborts while waiting.
   */
  acquire(signal: AbortSignal, refuse: (reason: BulkheadRefusal) => Error): Promise<ReleaseSlot> {
    if (signal.aborted) return Promise.reject(toAiMateyError(signal.reason));
    if (this.#inFlight < this.maxConcurrent && this.#queue.size === 0) {
      this.#inFlight++;
      return Promise.resolve(this.#releaser());
    }
    if (this.#queue.size >= this.maxQueue) {
      this.#rejectedQueueFull++;
      return Promise.reject(refuse('queue-full'));
    }
    return new Promise<ReleaseSlot>((resolve, reject) => {
      const onAbort = () => {
        waiter.stop();
        reject(toAiMateyError(signal.reason));
      };
      const waiter: Waiter = {
        timer: setTimeout(() => {
          waiter.stop();
          this.#rejectedQueueTimeout++;
          reject(refuse('queue-timeout'));
        }, this.queueTimeoutMs),
        grant: (release) => {
          waiter.stop();
          resolve(release);
        },
        stop: () => {
          clearTimeout(waiter.timer);
          signal.removeEventListener('abort', onAbort);
          this.#queue.delete(waiter);
        },
      };
      this.#queue.add(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  stats(): BulkheadStats {
    return {
      inFlight: this.#inFlight,
      queued: this.#queue.size,
      rejected: this.#rejectedQueueFull + this.#rejectedQueueTimeout,
      rejectedQueueFull: this.#rejectedQueueFull,
      rejectedQueueTimeout: this.#rejectedQueueTimeout,
    };
  }

  #releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.values().next();
      // The slot passes straight to the longest waiter: the count in flight stays the same.
      if (next.done) this.#inFlight--;
      else next.value.grant(this.#releaser());
    };
  }
}
