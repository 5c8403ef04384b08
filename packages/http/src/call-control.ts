import type { ServerResponse } from 'node:http';
import { TimeoutError } from 'ai.matey.core';

/** The limits a call runs under. */
export interface CallLimits {
  /** Aborted when the gateway stops (after the shutdown grace period), with the error to report. */
  shutdownSignal: AbortSignal;
  /** Longest a plain call, or a stream until its first event, may take (retries and fallbacks included). */
  requestTimeoutMs: number;
  /** Longest silence between two events of a stream that has started. */
  streamIdleTimeoutMs: number;
}

/**
 * One gateway call's cancellation: its signal aborts when the client goes away, when the gateway
 * shuts down, and when its time runs out (the whole call until a stream's first event, then each
 * silence between two events), with the error the caller is told.
 */
export class CallControl {
  readonly #controller = new AbortController();
  readonly #limits: CallLimits;
  readonly #outgoing: ServerResponse;
  #deadline: NodeJS.Timeout;

  /**
   * `outgoing` is the call's Node response: its `close` before the reply finished is the client
   * going away (an event listener costs less than the request's `AbortSignal`, built on demand).
   */
  constructor(limits: CallLimits, outgoing: ServerResponse) {
    this.#limits = limits;
    this.#outgoing = outgoing;
    outgoing.once('close', this.#onClose);
    if (limits.shutdownSignal.aborted) this.#onShutdown();
    else limits.shutdownSignal.addEventListener('abort', this.#onShutdown, { once: true });
    this.#deadline = setTimeout(
      () => this.#controller.abort(requestTimedOut(limits.requestTimeoutMs)),
      limits.requestTimeoutMs,
    );
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /**
   * The stream sent its first event: from here a silence, not the stream's length, is what is
   * limited (a long answer may rightly take longer than the deadline; a hung upstream may not go
   * quiet for long).
   */
  streaming(): void {
    clearTimeout(this.#deadline);
    const idleMs = this.#limits.streamIdleTimeoutMs;
    this.#deadline = setTimeout(() => this.#controller.abort(streamWentQuiet(idleMs)), idleMs);
  }

  /** An event went by. */
  progressed(): void {
    this.#deadline.refresh();
  }

  /** Stops the call (its upstream call with it). */
  abort(): void {
    this.#controller.abort();
  }

  /** The call is over: its timer and listeners go. */
  end(): void {
    clearTimeout(this.#deadline);
    this.#outgoing.off('close', this.#onClose);
    this.#limits.shutdownSignal.removeEventListener('abort', this.#onShutdown);
  }

  readonly #onClose = () => {
    // No reason: the call reports a client that went away as cancelled.
    if (!this.#outgoing.writableFinished) this.#controller.abort();
  };
  readonly #onShutdown = () => this.#controller.abort(this.#limits.shutdownSignal.reason);
}

function streamWentQuiet(ms: number): TimeoutError {
  return new TimeoutError({
    message: `The stream made no progress for ${ms} ms; it was stopped`,
    code: 'stream_idle_timeout',
    isRetryable: true,
  });
}

function requestTimedOut(ms: number): TimeoutError {
  return new TimeoutError({
    message: `The request took longer than the gateway's limit of ${ms} ms`,
    code: 'request_timeout',
    isRetryable: true,
  });
}
