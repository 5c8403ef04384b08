import type {
  Backend,
  BackendCallOptions,
  BackendCapabilities,
  BackendMetadata,
  ModelCatalog,
  ModelInfo,
} from '../backend.ts';
import { ChatStream, isChatStream } from '../chat-stream.ts';
import {
  type CircuitBreakerOptions,
  type CircuitSnapshot,
  circuitBreakerOptions,
} from '../circuit-breaker.ts';
import { type Middleware, type MiddlewareLike, toMiddleware } from '../middleware/middleware.ts';
import type { EmbedRequest, EmbedResponse } from '../spec/embed.ts';
import type { ChatRequest } from '../spec/request.ts';
import type { ChatResponse } from '../spec/response.ts';
import type { StreamEvent } from '../spec/stream.ts';
import { responseToEvents } from '../spec/stream-accumulator.ts';
import type { TokenCount } from '../spec/token-count.ts';
import { LazyStream, StreamRelay } from '../stream-relay.ts';
import { checkOptions, type OptionShape } from '../util/check-options.ts';
import { type Attempt, runAttempts } from './attempt-loop.ts';
import { createRegistration, type Registration } from './registration.ts';
import { RouterCall } from './router-call.ts';
import { countTokensOnSelection } from './router-count-tokens.ts';
import { routeEmbed } from './router-embed.ts';
import { selectBackend } from './selection.ts';
import { createStrategy, type RoutingStrategy, type Strategy } from './strategies/index.ts';

export type { RoutingStrategy } from './strategies/index.ts';

export interface RouterOptions {
  name?: string;
  /** How a backend is chosen when the request does not name one. Default `explicit`. */
  routingStrategy?: RoutingStrategy;
  /** Used when no strategy picks one (and by `explicit` when the request names none). */
  defaultBackend?: string;
  /** For `custom`: return the name of the backend to use (or undefined for the default). */
  customStrategy?: (request: ChatRequest, candidates: readonly string[]) => string | undefined;
  /** For `model-based`: model id or glob pattern (`claude-*`) → backend name. */
  modelMapping?: Record<string, string>;
  /**
   * Backends to try, in order, after the chosen one fails (it is skipped if in the list). An
   * entry `backend/model` also swaps the model for that attempt, since model ids differ between
   * providers (`['openai', 'anthropic/claude-haiku-4-5']`). A request that names its backend
   * (`metadata.provider` or a `provider/model` id) gets no fallback: it asked for that one.
   */
  fallbackChain?: string[];
  /** Per-backend circuit breakers, opened by real request failures; `false` turns them off. */
  circuitBreaker?: CircuitBreakerOptions | false;
  /** Prices for the `cost` strategy. */
  catalog?: ModelCatalog;
  /**
   * Middleware run around each attempt's backend call (the first, each fallback), with
   * `context.backend` that attempt's backend under its registered name: state kept per
   * provider (a bulkhead per provider, say). One that refuses an attempt before calling `next`
   * lets the Router fall back as a backend failure would (unless the error is the request's own
   * fault); the backend was not called, so its circuit and the attempt budget are not charged.
   */
  attemptMiddleware?: MiddlewareLike[];
}

export interface RegisterOptions {
  /** For `weighted`. Default 1. */
  weight?: number;
  /** Model ids or patterns this backend serves, for `model-based`. */
  models?: Array<string | RegExp>;
}

const routerOptions: OptionShape<RouterOptions> = {
  name: true,
  routingStrategy: true,
  defaultBackend: true,
  customStrategy: true,
  modelMapping: true,
  fallbackChain: true,
  circuitBreaker: circuitBreakerOptions,
  catalog: true,
  attemptMiddleware: true,
};
const registerOptions: OptionShape<RegisterOptions> = { weight: true, models: true };

/**
 * Routes each call to one of several registered backends, with fallback and circuit breaking.
 * A Router is itself a Backend, so `new Bridge({ backend: router })` works.
 *
 * A request always wins when it names its backend, by `metadata.provider` or by a
 * `provider/model` prefix; otherwise the strategy decides.
 *
 * @example
 * const router = new Router({ routingStrategy: 'round-robin', fallbackChain: ['openai', 'groq'] });
 * router.register('openai', openai).register('groq', groq);
 * const bridge = new Bridge({ backend: router });
 */
export class Router implements Backend {
  readonly #options: RouterOptions;
  readonly #registrations = new Map<string, Registration>();
  readonly #strategy: Strategy;
  readonly #attemptMiddleware: readonly Middleware[];
  defaultBackend: string | undefined;

  constructor(options: RouterOptions = {}) {
    checkOptions('new Router', options, routerOptions);
    this.#options = options;
    this.#strategy = createStrategy(options.routingStrategy ?? 'explicit');
    this.#attemptMiddleware = (options.attemptMiddleware ?? []).map(toMiddleware);
    this.defaultBackend = options.defaultBackend;
  }

  get metadata(): BackendMetadata {
    const capabilities: BackendCapabilities = {
      streaming: false,
      tools: false,
      vision: false,
      reasoning: false,
      jsonSchema: false,
      continuation: false,
    };
    for (const { backend } of this.#registrations.values()) {
      for (const key of Object.keys(capabilities) as Array<keyof BackendCapabilities>) {
        if (backend.metadata.capabilities[key]) capabilities[key] = true;
      }
    }
    return { name: this.#options.name ?? 'router', provider: 'router', capabilities };
  }

  register(name: string, backend: Backend, options: RegisterOptions = {}): this {
    checkOptions('router.register', options, registerOptions);
    this.#registrations.set(name, createRegistration(name, backend, options, this.#options.circuitBreaker));
    // An embeddings-only backend is no default for chat calls (embedding calls pick their own).
    if (backend.metadata.capabilities.chat !== false) this.defaultBackend ??= name;
    return this;
  }

  unregister(name: string): boolean {
    const removed = this.#registrations.delete(name);
    if (this.defaultBackend === name) this.defaultBackend = this.#registrations.keys().next().value;
    return removed;
  }

  get backendNames(): string[] {
    return [...this.#registrations.keys()];
  }

  getBackend(name: string): Backend | undefined {
    return this.#registrations.get(name)?.backend;
  }

  /** Circuit state per backend, for dashboards and health endpoints. */
  circuitStates(): Record<string, CircuitSnapshot | undefined> {
    return Object.fromEntries([...this.#registrations.values()].map((r) => [r.name, r.breaker?.snapshot()]));
  }

  /** Observed latency (smoothed) and calls in flight per backend. */
  stats(): Record<string, { latencyMs: number | undefined; inFlight: number }> {
    return Object.fromEntries(
      [...this.#registrations.values()].map((r) => [
        r.name,
        { latencyMs: r.latencyMs, inFlight: r.inFlight },
      ]),
    );
  }

  async execute(request: ChatRequest, options: BackendCallOptions = {}): Promise<ChatResponse> {
    return this.#attempts(request, options, async (attempt) => {
      const { backend } = attempt.registration;
      const reply = await attempt.chat('execute', (request) => backend.execute(request, attempt.options));
      const response = isChatStream(reply) ? await reply.collect() : reply;
      return { ...response, routing: attempt.routing() };
    });
  }

  stream(request: ChatRequest, options: BackendCallOptions = {}): AsyncIterable<StreamEvent> {
    return new LazyStream(() => this.#openStream(request, options));
  }

  /**
   * Routes an embedding call among the registered backends that have `embed` (the others are
   * never picked); with none of them, it fails with `UnsupportedFeatureError`.
   */
  embed(request: EmbedRequest, options: BackendCallOptions = {}): Promise<EmbedResponse> {
    return routeEmbed(request, options, {
      name: this.#options.name ?? 'router',
      registrations: this.#registrations,
      strategy: this.#strategy,
      defaultBackend: this.defaultBackend,
      modelMapping: this.#options.modelMapping,
      fallbackChain: this.#options.fallbackChain,
      catalog: this.#options.catalog,
      customStrategy: this.#options.customStrategy,
      middleware: this.#attemptMiddleware,
    });
  }

  /**
   * A candidate's stream counts as started at its first event: until then a failure may fall
   * back to the next one; after it, the stream belongs to that backend.
   */
  #openStream(request: ChatRequest, options: BackendCallOptions): Promise<AsyncIterator<StreamEvent>> {
    return this.#attempts(request, options, async (attempt) => {
      const { backend } = attempt.registration;
      const reply = await attempt.chat('stream', (request) =>
        ChatStream.open(backend.stream(request, attempt.options)),
      );
      const opened = isChatStream(reply) ? reply : ChatStream.from(responseToEvents(reply));
      const routing = attempt.routing();
      return new StreamRelay(opened[Symbol.asyncIterator](), {
        event: (event) => (event.type === 'start' ? { ...event, routing } : event),
        fail: (thrown) => attempt.routed(thrown),
      });
    });
  }

  /** Counts input tokens with the backend the request would go to first (see `Backend.countTokens`). */
  countTokens(request: ChatRequest, options: BackendCallOptions = {}): Promise<TokenCount> {
    return countTokensOnSelection(this.#select(request), options);
  }

  #select(request: ChatRequest) {
    return selectBackend(request, this.#strategy, {
      registrations: this.#registrations,
      defaultBackend: this.defaultBackend,
      modelMapping: this.#options.modelMapping,
      catalog: this.#options.catalog,
      customStrategy: this.#options.customStrategy,
    });
  }

  /** Selects, then runs the attempt loop; an error leaves with the call's routing on it. */
  async #attempts<T>(
    request: ChatRequest,
    options: BackendCallOptions,
    start: (attempt: Attempt) => Promise<T>,
  ): Promise<T> {
    const call = new RouterCall(options.attempts);
    try {
      const selection = this.#select(request);
      const loop = {
        selection,
        call,
        fallbackChain: this.#options.fallbackChain,
        registrations: this.#registrations,
        options,
        middleware: this.#attemptMiddleware,
      };
      return await runAttempts(loop, start);
    } catch (thrown) {
      throw call.routed(thrown);
    }
  }

  async listModels(options: { signal?: AbortSignal } = {}): Promise<ModelInfo[]> {
    const lists = await Promise.allSettled(
      [...this.#registrations.values()].map((r) => r.backend.listModels?.(options) ?? Promise.resolve([])),
    );
    return lists.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
  }

  async healthCheck(options: { signal?: AbortSignal } = {}) {
    const started = performance.now();
    const checks = await Promise.all(
      [...this.#registrations.values()].map(async (r) => {
        if (!r.backend.healthCheck) return r.breaker?.state !== 'open';
        return (await r.backend.healthCheck(options).catch(() => ({ healthy: false }))).healthy;
      }),
    );
    return { healthy: checks.some(Boolean), latencyMs: performance.now() - started };
  }
}
