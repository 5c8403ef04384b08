import type {
  Backend,
  BackendCallOptions,
  BackendCapabilities,
  BackendMetadata,
  ModelCatalog,
  ModelInfo,
} from '../backend.ts';
import { ChatStream } from '../chat-stream.ts';
import {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitSnapshot,
  circuitBreakerOptions,
} from '../circuit-breaker.ts';
import type { AiMateyError } from '../errors/ai-matey-error.ts';
import type { BackendAttempt } from '../errors/all-backends-failed-error.ts';
import { CircuitOpenError } from '../errors/circuit-open-error.ts';
import { ModelNotFoundError } from '../errors/model-not-found-error.ts';
import { toAiMateyError } from '../errors/to-ai-matey-error.ts';
import { UnsupportedFeatureError } from '../errors/unsupported-feature-error.ts';
import type { ChatRequest } from '../spec/request.ts';
import type { ChatResponse, RoutingInfo } from '../spec/response.ts';
import type { StreamEvent } from '../spec/stream.ts';
import { LazyStream, StreamRelay } from '../stream-relay.ts';
import { checkOptions, type OptionShape } from '../util/check-options.ts';
import { missingCapabilities } from './request-needs.ts';
import { RouterCall } from './router-call.ts';
import { WeightedPicker } from './weighted-picker.ts';

export type RoutingStrategy =
  | 'explicit'
  | 'model-based'
  | 'round-robin'
  | 'weighted'
  | 'least-latency'
  | 'least-busy'
  | 'cost'
  | 'custom';

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
}

export interface RegisterOptions {
  /** For `weighted`. Default 1. */
  weight?: number;
  /** Model ids or patterns this backend serves, for `model-based`. */
  models?: Array<string | RegExp>;
}

interface Registration {
  name: string;
  backend: Backend;
  weight: number;
  models: Array<string | RegExp>;
  breaker: CircuitBreaker | undefined;
  latencyMs: number | undefined;
  inFlight: number;
}

interface Selection {
  primary: Registration;
  reason: string;
  allowFallback: boolean;
  request: ChatRequest;
}

const LATENCY_SMOOTHING = 0.3;

const routerOptions: OptionShape<RouterOptions> = {
  name: true,
  routingStrategy: true,
  defaultBackend: true,
  customStrategy: true,
  modelMapping: true,
  fallbackChain: true,
  circuitBreaker: circuitBreakerOptions,
  catalog: true,
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
  readonly #weighted = new WeightedPicker();
  #roundRobin = 0;
  defaultBackend: string | undefined;

  constructor(options: RouterOptions = {}) {
    checkOptions('new Router', options, routerOptions);
    this.#options = options;
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
    const breakerOptions = this.#options.circuitBreaker;
    this.#registrations.set(name, {
      name,
      backend,
      weight: options.weight ?? 1,
      models: options.models ?? [],
      breaker: breakerOptions === false ? undefined : new CircuitBreaker(breakerOptions ?? {}),
      latencyMs: undefined,
      inFlight: 0,
    });
    this.defaultBackend ??= name;
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
    const call = new RouterCall(options.attempts);
    try {
      return await this.#executeCandidates(request, call, options);
    } catch (thrown) {
      throw call.routed(thrown);
    }
  }

  async #executeCandidates(
    request: ChatRequest,
    call: RouterCall,
    options: BackendCallOptions,
  ): Promise<ChatResponse> {
    const selection = this.#select(request);
    const { failures } = call;
    const candidates = this.#admitted(selection, call, options);
    for (const { registration, request: attemptRequest, attempt } of candidates) {
      const started = performance.now();
      registration.inFlight++;
      try {
        const response = await registration.backend.execute(attemptRequest, options);
        this.#recordSuccess(registration, performance.now() - started);
        const routing = this.#routing(registration, selection, attempt, failures, options);
        return { ...response, routing };
      } catch (thrown) {
        this.#failedAttempt(registration, thrown, started, selection, failures, options);
      } finally {
        registration.inFlight--;
      }
    }
    throw call.exhausted();
  }

  stream(request: ChatRequest, options: BackendCallOptions = {}): AsyncIterable<StreamEvent> {
    return new LazyStream(() => this.#openStream(request, options));
  }

  /** Tries the candidates until one sends its first event; the stream then belongs to that backend. */
  async #openStream(request: ChatRequest, options: BackendCallOptions): Promise<AsyncIterator<StreamEvent>> {
    const call = new RouterCall(options.attempts);
    try {
      return await this.#openCandidates(request, call, options);
    } catch (thrown) {
      throw call.routed(thrown);
    }
  }

  async #openCandidates(
    request: ChatRequest,
    call: RouterCall,
    options: BackendCallOptions,
  ): Promise<AsyncIterator<StreamEvent>> {
    const selection = this.#select(request);
    const { failures } = call;
    const candidates = this.#admitted(selection, call, options);
    for (const { registration, request: attemptRequest, attempt } of candidates) {
      const started = performance.now();
      registration.inFlight++;
      let opened: ChatStream;
      try {
        opened = await ChatStream.open(registration.backend.stream(attemptRequest, options));
      } catch (thrown) {
        registration.inFlight--;
        this.#failedAttempt(registration, thrown, started, selection, failures, options);
        continue;
      }
      const firstEventMs = performance.now() - started;
      const routing = this.#routing(registration, selection, attempt, failures, options);
      return new StreamRelay(opened[Symbol.asyncIterator](), {
        event: (event) => (event.type === 'start' ? { ...event, routing } : event),
        end: () => {
          registration.inFlight--;
          this.#recordSuccess(registration, firstEventMs);
        },
        fail: (thrown) => {
          registration.inFlight--;
          return call.routed(this.#recordFailure(registration, thrown));
        },
        cancel: () => {
          registration.inFlight--;
          registration.breaker?.release();
        },
      });
    }
    throw call.exhausted();
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

  #select(request: ChatRequest): Selection {
    if (this.#registrations.size === 0) {
      throw new ModelNotFoundError({ message: 'The router has no backends registered', status: 503 });
    }
    const named = request.metadata?.provider;
    if (typeof named === 'string') {
      const registration = this.#registrations.get(named);
      if (!registration) {
        throw new ModelNotFoundError({
          message: `No backend named '${named}' is registered`,
          param: 'metadata.provider',
        });
      }
      return {
        primary: registration,
        reason: 'named by request metadata.provider',
        allowFallback: false,
        request,
      };
    }
    const slash = request.model?.indexOf('/') ?? -1;
    if (request.model && slash > 0) {
      const registration = this.#registrations.get(request.model.slice(0, slash));
      if (registration) {
        const model = request.model.slice(slash + 1);
        return {
          primary: registration,
          reason: `model prefix '${registration.name}/'`,
          allowFallback: false,
          request: { ...request, model },
        };
      }
    }
    const { name, reason } = this.#strategyPick(request);
    const registration = name === undefined ? undefined : this.#registrations.get(name);
    if (!registration) {
      throw new ModelNotFoundError({
        message: request.model
          ? `No backend serves model '${request.model}'`
          : 'No backend could be chosen for the request',
        param: 'model',
      });
    }
    return { primary: registration, reason, allowFallback: true, request };
  }

  #strategyPick(request: ChatRequest): { name: string | undefined; reason: string } {
    const strategy = this.#options.routingStrategy ?? 'explicit';
    const usable = [...this.#registrations.values()].filter(
      (r) =>
        (r.breaker?.isCallPermitted ?? true) &&
        missingCapabilities(request, r.backend.metadata.capabilities).length === 0,
    );
    const pool = usable.length > 0 ? usable : [...this.#registrations.values()];
    switch (strategy) {
      case 'explicit':
        return { name: this.defaultBackend, reason: 'default backend' };
      case 'model-based': {
        const name = this.#backendForModel(request.model);
        return name
          ? { name, reason: `model '${request.model}' maps to it` }
          : {
              name: request.model ? undefined : this.defaultBackend,
              reason: 'default backend (no model given)',
            };
      }
      case 'round-robin': {
        const pick = pool[this.#roundRobin++ % pool.length];
        return { name: pick?.name, reason: 'round-robin' };
      }
      case 'weighted':
        return { name: this.#weighted.pick(pool), reason: 'weighted' };
      case 'least-latency': {
        // Unmeasured backends first, so every backend gets measured.
        const pick = minBy(pool, (r) => r.latencyMs ?? -1);
        return {
          name: pick?.name,
          reason: `least latency (${pick?.latencyMs?.toFixed(1) ?? 'unmeasured'} ms)`,
        };
      }
      case 'least-busy': {
        const pick = minBy(pool, (r) => r.inFlight);
        return { name: pick?.name, reason: `least busy (${pick?.inFlight ?? 0} in flight)` };
      }
      case 'cost': {
        const priced = pool.map((r) => ({ r, price: this.#pricePerMTok(r, request) }));
        const pick = minBy(priced, (p) => p.price ?? Number.POSITIVE_INFINITY);
        return {
          name: pick?.r.name,
          reason: `cheapest (${pick?.price?.toFixed(3) ?? '?'} USD per 1M tokens in+out)`,
        };
      }
      case 'custom': {
        const custom = this.#options.customStrategy;
        if (!custom) throw new TypeError("routingStrategy 'custom' needs a customStrategy function");
        const name = custom(request, this.backendNames);
        return name
          ? { name, reason: 'custom strategy' }
          : { name: this.defaultBackend, reason: 'default backend' };
      }
    }
  }

  #backendForModel(model: string | undefined): string | undefined {
    if (!model) return undefined;
    const mapping = this.#options.modelMapping ?? {};
    if (mapping[model]) return mapping[model];
    for (const [pattern, name] of Object.entries(mapping)) if (matches(pattern, model)) return name;
    for (const registration of this.#registrations.values()) {
      if (registration.models.some((pattern) => matches(pattern, model))) return registration.name;
      if (registration.backend.metadata.defaultModel === model) return registration.name;
    }
    return undefined;
  }

  #pricePerMTok(registration: Registration, request: ChatRequest): number | undefined {
    const model = request.model ?? registration.backend.metadata.defaultModel;
    if (!model) return undefined;
    const info = this.#options.catalog?.find(model, registration.backend.metadata.provider);
    return info?.pricing ? info.pricing.inputPerMTok + info.pricing.outputPerMTok : undefined;
  }

  *#candidatesFor(selection: Selection): Generator<{ registration: Registration; request: ChatRequest }> {
    yield { registration: selection.primary, request: selection.request };
    if (!selection.allowFallback) return;
    for (const entry of this.#options.fallbackChain ?? []) {
      const slash = entry.indexOf('/');
      const name = slash > 0 && !this.#registrations.has(entry) ? entry.slice(0, slash) : entry;
      const registration = this.#registrations.get(name);
      if (!registration) continue;
      if (name === entry) {
        if (registration !== selection.primary) yield { registration, request: selection.request };
      } else {
        yield { registration, request: { ...selection.request, model: entry.slice(slash + 1) } };
      }
    }
  }

  /**
   * The candidates in turn, each admitted before it is yielded. A refused one is noted in
   * `failures` and skipped, or ends the call when the selection allows no fallback.
   */
  *#admitted(
    selection: Selection,
    call: RouterCall,
    options: BackendCallOptions,
  ): Generator<{ registration: Registration; request: ChatRequest; attempt: number }> {
    let attempt = 0;
    for (const candidate of this.#candidatesFor(selection)) {
      // Retries and fallbacks share one budget of upstream calls per client request.
      if (options.attempts?.remaining === 0) return;
      attempt++;
      const error = this.#admit(
        candidate.registration,
        candidate.request,
        selection,
        call.failures,
        attempt,
        options,
      );
      if (error) {
        if (!selection.allowFallback) {
          call.backend = candidate.registration.name;
          throw error;
        }
        continue;
      }
      options.attempts?.tryTake();
      call.calling(candidate.registration.name);
      yield { ...candidate, attempt };
    }
  }

  /**
   * Books a failed attempt: noted in `failures` when the call may fall back to the next
   * candidate, thrown when it may not (no fallback allowed, an error no other backend would
   * avoid, or the caller gave up).
   */
  #failedAttempt(
    registration: Registration,
    thrown: unknown,
    started: number,
    selection: Selection,
    failures: BackendAttempt[],
    options: BackendCallOptions,
  ): void {
    const failure = this.#recordFailure(registration, thrown);
    if (!selection.allowFallback || !isFallbackWorthy(failure) || options.signal?.aborted) throw failure;
    failures.push({ backend: registration.name, error: failure, durationMs: performance.now() - started });
  }

  /** Checks that a candidate may take the call; returns the error that stops it, if any. */
  #admit(
    registration: Registration,
    request: ChatRequest,
    selection: Selection,
    failures: BackendAttempt[],
    attempt: number,
    options: BackendCallOptions,
  ): AiMateyError | undefined {
    // The caller's policy (a key's allowed models) first, so a refused attempt takes no breaker permit.
    const refused = options.checkAttempt?.({
      backend: registration.name,
      provider: registration.backend.metadata.provider,
      model: request.model ?? registration.backend.metadata.defaultModel,
      request,
    });
    if (refused) {
      failures.push({ backend: registration.name, error: refused, refusedByPolicy: true });
      return refused;
    }
    const missing = missingCapabilities(request, registration.backend.metadata.capabilities);
    let error: AiMateyError | undefined;
    if (missing.length > 0) {
      error = new UnsupportedFeatureError({
        message: `Backend '${registration.name}' does not support ${missing.join(', ')}`,
        provider: registration.backend.metadata.provider,
      });
    } else if (registration.breaker && !registration.breaker.tryAcquire()) {
      const snapshot = registration.breaker.snapshot();
      error = new CircuitOpenError({
        message: `Backend '${registration.name}' is failing: its circuit is open`,
        provider: registration.backend.metadata.provider,
        retryAfterMs: snapshot.retryAt === undefined ? undefined : Math.max(0, snapshot.retryAt - Date.now()),
      });
    }
    if (error) {
      failures.push({ backend: registration.name, error });
      return error;
    }
    const previous = failures.at(-1);
    if (previous && attempt > 1) {
      options.observe?.({
        type: 'backend:failover',
        from: previous.backend,
        to: registration.name,
        error: previous.error,
        attempt,
      });
    }
    options.observe?.({
      type: 'backend:selected',
      backend: registration.name,
      reason: attempt === 1 ? selection.reason : 'fallback chain',
      attempt,
    });
    return undefined;
  }

  #recordSuccess(registration: Registration, latencyMs: number): void {
    registration.breaker?.recordSuccess();
    registration.latencyMs =
      registration.latencyMs === undefined
        ? latencyMs
        : registration.latencyMs + LATENCY_SMOOTHING * (latencyMs - registration.latencyMs);
  }

  #recordFailure(registration: Registration, thrown: unknown): AiMateyError {
    const error = toAiMateyError(thrown, registration.backend.metadata.provider);
    if (error.kind === 'cancelled') registration.breaker?.release();
    else registration.breaker?.recordFailure(error);
    return error;
  }

  #routing(
    registration: Registration,
    selection: Selection,
    attempt: number,
    failures: BackendAttempt[],
    options: BackendCallOptions,
  ): RoutingInfo {
    return {
      backend: registration.name,
      // Every upstream call the client request made (retries included), when the caller counts them.
      attempts: options.attempts?.used ?? attempt,
      reason: attempt === 1 ? selection.reason : `fallback after ${failures.at(-1)?.backend ?? 'failure'}`,
      ...(failures.length > 0
        ? {
            failures: failures.map((f) => ({
              backend: f.backend,
              error: f.error.message,
              kind: f.error.kind,
            })),
          }
        : {}),
    };
  }
}

function isFallbackWorthy(error: AiMateyError): boolean {
  return !error.isRequestFault;
}

function matches(pattern: string | RegExp, model: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(model);
  if (!pattern.includes('*')) return pattern === model;
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return regex.test(model);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function minBy<T>(items: T[], score: (item: T) => number): T | undefined {
  let best: T | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const item of items) {
    const value = score(item);
    if (value < bestScore) {
      best = item;
      bestScore = value;
    }
  }
  return best ?? items[0];
}
