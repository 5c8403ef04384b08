import {
  type AiMateyError,
  AllBackendsFailedError,
  type BackendAttempt,
  type CallOutcome,
  type ChatRequest,
  ChatStream,
  checkOptions,
  type ErrorKind,
  type Middleware,
  type MiddlewareContext,
  type NextFunction,
  type OptionShape,
  observeCall,
  type Reply,
  toAiMateyError,
  UpstreamServerError,
} from 'ai.matey.core';
import { allowsContinuation, type CapabilitySource } from './capability-source.ts';
import { ProviderHealth, type ProviderHealthState } from './provider-health.ts';

export type { CapabilitySource } from './capability-source.ts';

import { serveStream } from './serve-stream.ts';
import { EmittedStream } from './stream-splice.ts';

export interface FailoverOptions {
  /** Provider names, in the order to try them (each is set as `request.metadata.provider`). */
  chain: string[];
  /** Consecutive failures that mark a provider unhealthy. Default 3. */
  unhealthyAfter?: number;
  /** How long an unhealthy provider is skipped before it is probed again. Default 30 s. */
  recoverAfterMs?: number;
  /**
   * Continue a stream that fails after text was sent on the next provider that can continue
   * (`capabilities.continuation`), splicing its answer into the same stream. Default false.
   */
  midStreamContinuation?: boolean;
  /** Per-provider capabilities; without it, every provider is taken to allow continuation. */
  capabilities?: CapabilitySource;
  /** Which errors move on to the next provider. Default: all but the request's own faults. */
  shouldFailover?: (error: AiMateyError) => boolean;
  /** How many attempts `auditTrail()` keeps. Default 1000. */
  auditLimit?: number;
  now?: () => number;
}

/** One try of one provider, as kept in the audit trail and in `metadata.failover.attempts`. */
export interface FailoverAttempt {
  requestId: string;
  mode: 'execute' | 'stream';
  provider: string;
  outcome: 'success' | 'failed' | 'failed-mid-stream' | 'skipped';
  errorKind?: ErrorKind;
  error?: string;
  durationMs: number;
  /** When the attempt started (epoch ms). */
  at: number;
  /** For a stream cut mid-way: characters of text the caller had received. */
  charsSent?: number;
}

/** Where a continuation was spliced into a stream: at this character of the text. */
export interface FailoverSplice {
  at: number;
  from: string;
  to: string;
}

/**
 * What a served reply records: `response.metadata.failover` for `execute`; for a stream, the
 * finish event's `providerMetadata.failover` (so `collect()` puts it in `providerMetadata`).
 */
export interface FailoverReport {
  provider: string;
  attempts: FailoverAttempt[];
  splices: FailoverSplice[];
}

/**
 * Fails over along a chain of providers behind a Router (the seed's pattern 3, done right). For
 * each provider it sets `metadata.provider` on a copy of the request and calls `next`; errors
 * move on to the next provider, including a 401 (another provider's key may work) and a stream
 * that fails before its first event. A provider failing `unhealthyAfter` times in a row is
 * skipped for `recoverAfterMs`, then probed again. Every attempt is audited; when all fail, the
 * call throws `AllBackendsFailedError` carrying each one.
 *
 * @example
 * const router = new Router({ defaultBackend: 'openai' })
 *   .register('openai', openai).register('anthropic', anthropic).register('groq', groq);
 * const failover = createFailoverMiddleware({ chain: ['openai', 'anthropic', 'groq'], capabilities: router });
 * const bridge = new Bridge({ backend: router }).use(failover);
 * const reply = await bridge.execute(request);
 * reply.metadata?.failover; // { provider: 'anthropic', attempts: [...], splices: [] }
 */
export function createFailoverMiddleware(options: FailoverOptions): FailoverMiddleware {
  return new FailoverMiddleware(options);
}

/** Per-call bookkeeping shared with the stream splicer. */
export interface FailoverCall {
  request: ChatRequest;
  next: NextFunction;
  context: MiddlewareContext;
  attempts: FailoverAttempt[];
  failures: BackendAttempt[];
  tried: Set<string>;
  /** What the caller has received of a stream so far (for a verdict and a continuation). */
  emitted: EmittedStream;
}

const failoverOptions: OptionShape<FailoverOptions> = {
  chain: true,
  unhealthyAfter: true,
  recoverAfterMs: true,
  midStreamContinuation: true,
  capabilities: true,
  shouldFailover: true,
  auditLimit: true,
  now: true,
};

/** See `createFailoverMiddleware`. */
export class FailoverMiddleware implements Middleware {
  readonly name = 'failover';
  readonly chain: readonly string[];
  readonly health: ProviderHealth;
  readonly midStreamContinuation: boolean;
  readonly #options: FailoverOptions;
  readonly #audit: FailoverAttempt[] = [];
  readonly #shouldFailover: (error: AiMateyError) => boolean;

  constructor(options: FailoverOptions) {
    checkOptions('FailoverMiddleware', options, failoverOptions);
    if (!options.chain?.length) throw new TypeError('createFailoverMiddleware needs a chain of providers');
    this.#options = options;
    this.chain = [...options.chain];
    this.midStreamContinuation = options.midStreamContinuation ?? false;
    this.health = new ProviderHealth({
      unhealthyAfter: options.unhealthyAfter ?? 3,
      recoverAfterMs: options.recoverAfterMs ?? 30_000,
      now: options.now ?? Date.now,
    });
    this.#shouldFailover = options.shouldFailover ?? ((error) => !error.isRequestFault);
  }

  async execute(request: ChatRequest, next: NextFunction, context: MiddlewareContext): Promise<Reply> {
    const call: FailoverCall = {
      request,
      next,
      context,
      attempts: [],
      failures: [],
      tried: new Set(),
      emitted: new EmittedStream(),
    };
    const opened = await this.open(call, this.chain, (provider) => withProvider(request, provider));
    if (!opened) throw new AllBackendsFailedError(call.failures);
    // observeCall hands a stream back as core's ChatStream; anything else is a plain response.
    if (!(opened.reply instanceof ChatStream)) {
      const report: FailoverReport = { provider: opened.provider, attempts: call.attempts, splices: [] };
      return { ...opened.reply, metadata: { ...opened.reply.metadata, failover: report } };
    }
    return new ChatStream(serveStream(this, call, opened.provider, opened.reply));
  }

  /** Every attempt of every call, oldest first (the last `auditLimit`). */
  auditTrail(): FailoverAttempt[] {
    return [...this.#audit];
  }

  /** Health per provider that has been called. */
  healthStatus(): Record<string, ProviderHealthState> {
    return this.health.snapshot();
  }

  /** May this provider continue another's partial answer? */
  canContinue(provider: string): boolean {
    return allowsContinuation(this.#options.capabilities, provider);
  }

  /**
   * Tries `candidates` in order until `next` gives a reply (for a stream: its first event is in).
   * Returns undefined when every one failed or was skipped; rethrows errors that are the
   * request's own fault and cancellations.
   */
  async open(
    call: FailoverCall,
    candidates: readonly string[],
    requestFor: (provider: string) => ChatRequest,
    filter?: (provider: string) => AiMateyError | undefined,
  ): Promise<{ provider: string; reply: Reply } | undefined> {
    for (const provider of candidates) {
      if (call.tried.has(provider)) continue;
      // Fallbacks and retries share the request's budget of upstream calls.
      if (call.context.attempts.remaining === 0) break;
      const refused = filter?.(provider) ?? this.#refusal(provider);
      if (refused) {
        this.#record(call, provider, performance.now(), 'skipped', refused);
        call.failures.push({ backend: provider, error: refused });
        continue;
      }
      call.tried.add(provider);
      const started = performance.now();
      try {
        const reply = await observeCall(call.next, requestFor(provider), {
          onEnd: (outcome) => this.#verdict(call, provider, started, outcome),
        });
        return { provider, reply };
      } catch (thrown) {
        const error = toAiMateyError(thrown);
        if (call.context.signal.aborted || !this.#shouldFailover(error)) {
          this.health.release(provider);
          this.#record(call, provider, started, 'failed', error);
          throw error;
        }
        this.settle(call, provider, started, 'failed', error);
      }
    }
    return undefined;
  }

  /** Records an attempt's verdict in the health table and the audit trail. */
  settle(
    call: FailoverCall,
    provider: string,
    started: number,
    outcome: 'success' | 'failed' | 'failed-mid-stream',
    error?: AiMateyError,
    charsSent?: number,
  ): void {
    if (outcome === 'success') this.health.recordSuccess(provider);
    else this.health.recordFailure(provider);
    if (error) call.failures.push({ backend: provider, error, durationMs: performance.now() - started });
    this.#record(call, provider, started, outcome, error, charsSent);
  }

  /** Releases a provider without a verdict (its stream's reader stopped early). */
  release(provider: string): void {
    this.health.release(provider);
  }

  /**
   * The verdict on a reply once it has ended: a success, or a stream that failed after its
   * first event. A reader that stopped early, or a cancelled call, leaves the provider unjudged.
   * (A call that failed before any reply is judged where `open` catches it.)
   */
  #verdict(call: FailoverCall, provider: string, started: number, outcome: CallOutcome): void {
    if (outcome.status === 'ok') {
      this.settle(call, provider, started, 'success');
    } else if (outcome.status === 'cancelled') {
      this.release(provider);
    } else if (outcome.streamed) {
      const error = toAiMateyError(outcome.error);
      if (error.kind === 'cancelled' || call.context.signal.aborted) this.release(provider);
      else this.settle(call, provider, started, 'failed-mid-stream', error, call.emitted.text.length);
    }
  }

  #refusal(provider: string): AiMateyError | undefined {
    if (this.health.admit(provider) !== 'skip') return undefined;
    return new UpstreamServerError({
      message: `'${provider}' is marked unhealthy; skipped until its cool-down ends`,
      status: 503,
      code: 'provider_unhealthy',
      retryAfterMs: this.health.retryInMs(provider),
    });
  }

  #record(
    call: FailoverCall,
    provider: string,
    started: number,
    outcome: FailoverAttempt['outcome'],
    error?: AiMateyError,
    charsSent?: number,
  ): void {
    const durationMs = performance.now() - started;
    const attempt: FailoverAttempt = {
      requestId: call.context.requestId,
      mode: call.context.mode,
      provider,
      outcome,
      durationMs,
      at: Date.now() - durationMs,
      ...(error ? { errorKind: error.kind, error: error.message } : {}),
      ...(charsSent === undefined ? {} : { charsSent }),
    };
    call.attempts.push(attempt);
    this.#audit.push(attempt);
    const limit = this.#options.auditLimit ?? 1000;
    if (this.#audit.length > limit) this.#audit.splice(0, this.#audit.length - limit);
  }
}

function withProvider(request: ChatRequest, provider: string): ChatRequest {
  return { ...request, metadata: { ...request.metadata, provider } };
}
