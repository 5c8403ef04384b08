import { admitBackendCall } from './admit-backend-call.ts';
import type { AttemptBudget } from './attempt-budget.ts';
import type { Backend, BackendObservation } from './backend.ts';
import { type BridgeCall, beginCall, type CallMode, type CallOptions } from './bridge-call.ts';
import { runEmbed } from './bridge-embed.ts';
import { ChatStream, isChatStream } from './chat-stream.ts';
import { type CountTokensOptions, countTokensWith } from './count-tokens.ts';
import type { AiMateyError } from './errors/ai-matey-error.ts';
import { CancelledError } from './errors/cancelled-error.ts';
import { reviseError } from './errors/revise-error.ts';
import { toAiMateyError } from './errors/to-ai-matey-error.ts';
import {
  type Middleware,
  type MiddlewareContext,
  type MiddlewareLike,
  type NextFunction,
  type Reply,
  toMiddleware,
} from './middleware/middleware.ts';
import type { EmbedRequest, EmbedResponse } from './spec/embed.ts';
import type { ChatRequest } from './spec/request.ts';
import type { ChatResponse } from './spec/response.ts';
import type { StreamEvent } from './spec/stream.ts';
import { responseToEvents, StreamAccumulator } from './spec/stream-accumulator.ts';
import type { TokenCount } from './spec/token-count.ts';
import { LazyStream, StreamRelay } from './stream-relay.ts';
import { checkOptions, type OptionShape } from './util/check-options.ts';
import { TypedEmitter } from './util/event-emitter.ts';

export interface BridgeOptions {
  backend: Backend;
  middleware?: MiddlewareLike[];
  /** Default time limit for a whole call, in ms (none by default). */
  timeoutMs?: number;
  /**
   * Upstream calls one call may make in all, retries and fallbacks together (see
   * `AttemptBudget`). Default 3.
   */
  maxAttempts?: number;
}

const bridgeOptions: OptionShape<BridgeOptions> = {
  backend: true,
  middleware: true,
  timeoutMs: true,
  maxAttempts: true,
};

export interface BridgeEvents {
  'request:start': { requestId: string; mode: CallMode; request: ChatRequest };
  'request:end': { requestId: string; mode: CallMode; response: ChatResponse; durationMs: number };
  'request:error': { requestId: string; mode: CallMode; error: AiMateyError; durationMs: number };
  'stream:chunk': { requestId: string; event: StreamEvent };
  'backend:selected': { requestId: string; backend: string; reason: string; attempt: number };
  'backend:failover': { requestId: string; from: string; to: string; error: Error; attempt: number };
}

/**
 * Runs chat calls through a middleware chain to a backend (a provider adapter or a Router).
 *
 * @example
 * const bridge = new Bridge({ backend: new OpenAIBackendAdapter({ apiKey }) });
 * const reply = await bridge.execute({ messages: [{ role: 'user', content: 'Hi' }] });
 * for await (const event of bridge.stream({ messages })) console.log(event);
 */
export class Bridge extends TypedEmitter<BridgeEvents> {
  readonly backend: Backend;
  readonly #middleware: Middleware[] = [];
  readonly #timeoutMs: number | undefined;
  readonly #maxAttempts: number;

  constructor(options: BridgeOptions) {
    super();
    checkOptions('new Bridge', options, bridgeOptions);
    if (!options?.backend) throw new TypeError('new Bridge({ backend }) needs a backend');
    this.backend = options.backend;
    this.#timeoutMs = options.timeoutMs;
    this.#maxAttempts = options.maxAttempts ?? 3;
    if (!(Number.isInteger(this.#maxAttempts) && this.#maxAttempts >= 1))
      throw new TypeError('new Bridge({ maxAttempts }) needs an integer >= 1');
    for (const middleware of options.middleware ?? []) this.use(middleware);
  }

  /** Adds a middleware to the end of the chain (the first added runs first). Chainable. */
  use(middleware: MiddlewareLike): this {
    this.#middleware.push(toMiddleware(middleware));
    return this;
  }

  get middleware(): readonly Middleware[] {
    return this.#middleware;
  }

  async execute(request: ChatRequest, options: CallOptions = {}): Promise<ChatResponse> {
    const call = this.#begin('execute', request, options);
    try {
      const reply = await this.#dispatch(0, request, call.context);
      const response = isChatStream(reply) ? await ChatStream.from(reply).collect() : reply;
      this.emit('request:end', {
        requestId: call.context.requestId,
        mode: 'execute',
        response,
        durationMs: performance.now() - call.context.startedAt,
      });
      return response;
    } catch (error) {
      const typed = this.#fail(call, error);
      // A middleware gave up (a timeout, a refused budget): stop whatever is still running upstream.
      call.controller.abort(typed);
      throw typed;
    } finally {
      call.dispose();
    }
  }

  /** Streams the reply. Usable directly in `for await`; breaking out cancels the upstream call. */
  stream(request: ChatRequest, options: CallOptions = {}): ChatStream {
    return new ChatStream(new LazyStream(() => this.#openStream(request, options)));
  }

  /**
   * Counts the request's input tokens: exact from a provider that counts (through a Router, the
   * backend that would serve it), else `options.estimate`. The middleware chain does not run.
   */
  countTokens(request: ChatRequest, options: CountTokensOptions = {}): Promise<TokenCount> {
    return countTokensWith(this.backend, request, options);
  }

  /** Runs the chain up to the first event, then relays the rest with the call's bookkeeping. */
  async #openStream(request: ChatRequest, options: CallOptions): Promise<AsyncIterator<StreamEvent>> {
    const call = this.#begin('stream', request, options);
    const requestId = call.context.requestId;
    const wantsChunks = this.hasListeners('stream:chunk');
    const accumulator = this.hasListeners('request:end') ? new StreamAccumulator() : undefined;
    const fail = (error: unknown) => {
      const typed = this.#fail(call, error);
      call.controller.abort(typed);
      call.dispose();
      return typed;
    };
    let source: AsyncIterator<StreamEvent>;
    try {
      source = toStream(await this.#dispatch(0, request, call.context))[Symbol.asyncIterator]();
    } catch (error) {
      throw fail(error);
    }
    return new StreamRelay(source, {
      event: (event) => {
        if (event.type === 'error') throw event.error;
        accumulator?.push(event);
        if (wantsChunks) this.emit('stream:chunk', { requestId, event });
        return event;
      },
      end: () => {
        if (accumulator) {
          this.emit('request:end', {
            requestId,
            mode: 'stream',
            response: accumulator.response(),
            durationMs: performance.now() - call.context.startedAt,
          });
        }
        call.dispose();
      },
      fail,
      cancel: () => {
        call.controller.abort(new CancelledError({ message: 'The stream was closed by its reader' }));
        call.dispose();
      },
    });
  }

  /**
   * Embeds a batch of inputs, one vector each in order, through the middleware that take
   * embedding calls (those with an `embed` hook; chat-only ones are passed by) to the backend.
   */
  embed(request: EmbedRequest, options: CallOptions = {}): Promise<EmbedResponse> {
    return runEmbed(request, options, {
      backend: this.backend,
      middleware: this.#middleware,
      timeoutMs: this.#timeoutMs,
      maxAttempts: this.#maxAttempts,
      observe: (named) =>
        named.type === 'backend:selected'
          ? this.emit(named.type, named.event)
          : this.emit(named.type, named.event),
      routed: (error, attempts) => this.#routed(error, attempts),
    });
  }

  #dispatch(index: number, request: ChatRequest, context: MiddlewareContext): Promise<Reply> {
    const middleware = this.#middleware[index];
    if (!middleware) return this.#callBackend(request, context);
    const next: NextFunction = (nextRequest) => {
      if (context.signal.aborted) return Promise.reject(toAiMateyError(context.signal.reason));
      return this.#dispatch(index + 1, nextRequest ?? request, context);
    };
    return middleware.execute(request, next, context);
  }

  #callBackend(request: ChatRequest, context: MiddlewareContext): Promise<Reply> {
    const observe = (observation: BackendObservation) => {
      if (observation.type === 'backend:selected') {
        const { backend, reason, attempt } = observation;
        this.emit('backend:selected', { requestId: context.requestId, backend, reason, attempt });
      } else {
        const { from, to, error, attempt } = observation;
        this.emit('backend:failover', { requestId: context.requestId, from, to, error, attempt });
      }
    };
    const options = {
      signal: context.signal,
      observe,
      attempts: context.attempts,
      ...(context.checkAttempt ? { checkAttempt: context.checkAttempt } : {}),
    };
    if (!this.#isComposite()) {
      // A Router takes one attempt per backend it calls; a plain backend is one call.
      const refused = admitBackendCall(this.backend.metadata, request, context);
      if (refused) return Promise.reject(refused);
      this.emit('backend:selected', {
        requestId: context.requestId,
        backend: this.backend.metadata.name,
        reason: 'only backend',
        attempt: 1,
      });
    }
    if (context.mode === 'execute') return this.backend.execute(request, options);
    return ChatStream.open(this.backend.stream(request, options));
  }

  #isComposite(): boolean {
    return this.backend.metadata.provider === 'router';
  }

  #begin(mode: CallMode, request: ChatRequest, options: CallOptions): BridgeCall {
    const call = beginCall(mode, request, options, {
      backend: this.backend.metadata,
      timeoutMs: this.#timeoutMs,
      maxAttempts: this.#maxAttempts,
    });
    this.emit('request:start', { requestId: call.context.requestId, mode, request });
    return call;
  }

  #fail(call: { context: MiddlewareContext; controller: AbortController }, error: unknown): AiMateyError {
    // When our own signal fired, its reason (timeout, cancel) is the truth, not the socket error.
    const typed = this.#routed(
      toAiMateyError(call.context.signal.aborted ? (call.context.signal.reason ?? error) : error),
      call.context.attempts,
    );
    this.emit('request:error', {
      requestId: call.context.requestId,
      mode: call.context.mode,
      error: typed,
      durationMs: performance.now() - call.context.startedAt,
    });
    return typed;
  }

  /**
   * The error with the upstream calls this call made, so a caller sees them on a failure as on
   * a success (`x-matey-attempts`). The innermost Bridge that called upstream knows best: a
   * Bridge in front of another (the gateway's policy chain) made none and keeps the inner count.
   */
  #routed(error: AiMateyError, attempts: AttemptBudget): AiMateyError {
    const known = error.routing;
    if (known && attempts.used === 0) return error;
    const backend =
      known?.backend ?? (this.#isComposite() || attempts.used === 0 ? undefined : this.backend.metadata.name);
    return reviseError(error, {
      routing: {
        attempts: Math.max(attempts.used, known?.attempts ?? 0),
        ...(backend === undefined ? {} : { backend }),
      },
    });
  }
}

function toStream(reply: Reply): AsyncIterable<StreamEvent> {
  if (isChatStream(reply)) return reply;
  if (reply && Array.isArray((reply as ChatResponse).content))
    return ChatStream.from(responseToEvents(reply));
  throw new TypeError('A middleware returned neither a response nor a stream for a stream call');
}
