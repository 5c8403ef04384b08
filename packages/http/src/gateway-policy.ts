import {
  type AttemptCheck,
  type Backend,
  type BackendCallOptions,
  Bridge,
  type CallOptions,
  type ChatRequest,
  type ChatResponse,
  type ChatStream,
  InvalidRequestError,
  type Middleware,
  type ModelCatalog,
  PermissionDeniedError,
} from 'ai.matey.core';
import {
  createCostTrackingMiddleware,
  createRateLimitMiddleware,
  createResponseStoreMiddleware,
  createValidationMiddleware,
  type KeyValueStore,
  MemoryStore,
} from 'ai.matey.middleware';
import { type ExtraFieldPolicy, type WireCodec, wireCodec, wireProtocols } from 'ai.matey.wire';
import { sortExtraFields } from './extra-fields.ts';
import { type GatewayKey, type GatewayKeyConfig, GatewayKeyring, keyAllowsModel } from './gateway-keys.ts';
import { perKeyMiddleware } from './per-key-middleware.ts';

export interface GatewayPolicyOptions {
  /** The Bridge the admitted calls go to. */
  bridge: Bridge;
  /** Gateway API keys; none means the gateway is open. */
  keys?: GatewayKeyConfig[];
  /** Browser origins allowed (`*` for any); a request with no `Origin` is never refused for it. */
  corsOrigins?: string[];
  /** Most messages in one request. Default 1,000. */
  maxMessages?: number;
  /** Where per-key rate limits and budgets are counted. Default: in memory. */
  store?: KeyValueStore;
  /** Prices for per-key budgets (needed when a key has `budgetUsdPerDay`). */
  catalog?: ModelCatalog;
  /** Model aliases (`cheap: openai/gpt-4o-mini`): a key allowed an alias may use its target. */
  modelAliases?: Record<string, string>;
  /** Providers (router backend names) that may receive request fields no codec knows. */
  passThroughProviders?: string[];
  /** How long a reply can be continued by its id (`previous_response_id`), in `store`. Default 24 h. */
  responseTtlMs?: number;
  /** Codecs whose extra-field lists apply. Default: every registered protocol's. */
  codecs?: WireCodec[];
}

const DAY_MS = 86_400_000;

/**
 * The one place that says yes or no to a call, for every front-end (HTTP and WebSocket): the
 * key, its allowed models (checked again on every upstream attempt, fallbacks and retries
 * included), the request's extra fields, its per-key rate limit and daily budget, and the
 * browser origin. Front-ends call `execute`/`stream` instead of the Bridge's.
 *
 * @example
 * const policy = new GatewayPolicy({ bridge, keys, catalog, corsOrigins: ['https://app.example'] });
 * const key = policy.authenticate(presentedSecret);
 * const reply = await policy.execute(key, request, { requestId });
 */
export class GatewayPolicy {
  /** The Bridge admitted calls go to. */
  readonly bridge: Bridge;
  readonly keyring: GatewayKeyring;
  readonly #keys: Map<string, GatewayKey>;
  readonly #origins: ReadonlySet<string>;
  readonly #maxMessages: number;
  readonly #aliases: Record<string, string>;
  readonly #passThrough: ReadonlySet<string>;
  readonly #fieldPolicies: Map<string, ExtraFieldPolicy>;
  readonly #chain: Bridge;

  constructor(options: GatewayPolicyOptions) {
    const keys = options.keys ?? [];
    this.bridge = options.bridge;
    this.keyring = new GatewayKeyring(keys);
    this.#keys = new Map(keys.map(({ key: _secret, sha256: _hash, ...key }) => [key.id, key]));
    this.#origins = new Set(options.corsOrigins ?? []);
    this.#maxMessages = options.maxMessages ?? 1_000;
    this.#aliases = options.modelAliases ?? {};
    this.#passThrough = new Set(options.passThroughProviders ?? []);
    this.#fieldPolicies = new Map(
      (options.codecs ?? wireProtocols().map((protocol) => wireCodec(protocol))).flatMap((codec) =>
        codec.extraFields ? [[codec.extraFields.providerOptionsKey, codec.extraFields] as const] : [],
      ),
    );
    const budgeted = keys.filter((key) => key.budgetUsdPerDay !== undefined);
    if (budgeted.length > 0 && !options.catalog)
      throw new TypeError(`Gateway key '${budgeted[0]?.id}' has a budget: pass a catalog to price calls`);
    this.#chain = new Bridge({
      backend: bridgeBackend(options.bridge),
      middleware: [
        this.#checkMiddleware(),
        // Without a shared store, replies get their own: they must not push out rate-limit counters.
        createResponseStoreMiddleware({ store: options.store, ttlMs: options.responseTtlMs ?? DAY_MS }),
        createValidationMiddleware(),
        ...this.#limitMiddleware(options.store ?? new MemoryStore(), options.catalog),
      ],
    });
  }

  /** The key for a presented secret (AuthenticationError when wrong); undefined when keys are off. */
  authenticate(secret: string | undefined): GatewayKey | undefined {
    return this.keyring.enabled ? this.keyring.authenticate(secret) : undefined;
  }

  /** Whether a browser from this origin may call; a request without `Origin` (no browser) may. */
  allowsOrigin(origin: string | undefined): boolean {
    return origin === undefined || this.#origins.has('*') || this.#origins.has(origin);
  }

  /** Whether the key may use a model under any of these names (an alias it may use counts). */
  allowsModel(key: GatewayKey | undefined, ...names: string[]): boolean {
    if (keyAllowsModel(key, ...names)) return true;
    const targets = (key?.allowedModels ?? []).flatMap((name) => this.#aliases[name] ?? []);
    return targets.length > 0 && keyAllowsModel({ id: '', allowedModels: targets }, ...names);
  }

  /** Runs the call if the policy admits it (rejects with the refusal otherwise). */
  execute(
    key: GatewayKey | undefined,
    request: ChatRequest,
    options: CallOptions = {},
  ): Promise<ChatResponse> {
    const tagged = this.#tag(this.#configured(key), request, options);
    return this.#chain.execute(tagged, this.#callOptions(this.#configured(key), tagged, options));
  }

  /** Streams the call if the policy admits it (the stream fails with the refusal otherwise). */
  stream(key: GatewayKey | undefined, request: ChatRequest, options: CallOptions = {}): ChatStream {
    const tagged = this.#tag(this.#configured(key), request, options);
    return this.#chain.stream(tagged, this.#callOptions(this.#configured(key), tagged, options));
  }

  /** The key as configured here (its limits), looked up by id. */
  #configured(key: GatewayKey | undefined): GatewayKey | undefined {
    return key ? (this.#keys.get(key.id) ?? key) : undefined;
  }

  /** The key's id on the call, and only the policy's: a caller cannot name another key. */
  #tag(key: GatewayKey | undefined, request: ChatRequest, options: CallOptions): ChatRequest {
    const { apiKeyId: _claimed, ...metadata } = request.metadata ?? {};
    return {
      ...request,
      metadata: {
        ...metadata,
        ...(options.requestId ? { requestId: options.requestId } : {}),
        ...(key ? { apiKeyId: key.id } : {}),
      },
    };
  }

  #callOptions(key: GatewayKey | undefined, request: ChatRequest, options: CallOptions): CallOptions {
    const check = this.#attemptCheck(key, sortExtraFields(request, this.#fieldPolicies).unknown);
    return check ? { ...options, checkAttempt: check } : options;
  }

  /** What every upstream attempt must pass: the key's models, and pass-through for unknown fields. */
  #attemptCheck(key: GatewayKey | undefined, unknown: string[]): AttemptCheck | undefined {
    if (!key?.allowedModels && unknown.length === 0) return undefined;
    return ({ backend, model }) => {
      const qualified = `${backend}/${model ?? ''}`;
      if (!this.allowsModel(key, model ?? '', qualified)) {
        return new PermissionDeniedError({
          message: `This API key may not use model '${qualified}'`,
          param: 'model',
          code: 'model_not_allowed',
        });
      }
      if (unknown.length > 0 && !this.#passThrough.has(backend)) {
        return new InvalidRequestError({
          message: `Unknown parameter ${quoted(unknown)}: provider '${backend}' does not take fields the gateway does not know`,
          param: unknown[0],
          code: 'unknown_parameter',
        });
      }
      return undefined;
    };
  }

  /** The yes or no before the call: size, model, extra fields. */
  #checkMiddleware(): Middleware {
    return {
      name: 'gateway-policy',
      execute: (request, next) => {
        const keyId = request.metadata?.apiKeyId;
        const key = typeof keyId === 'string' ? this.#keys.get(keyId) : undefined;
        if (request.messages.length > this.#maxMessages) {
          throw new InvalidRequestError({
            message: `The request has ${request.messages.length} messages; the limit is ${this.#maxMessages}`,
            param: 'messages',
          });
        }
        if (request.model !== undefined && !MODEL_NAME.test(request.model)) {
          throw new InvalidRequestError({
            message: 'The model name must be 1 to 256 printable ASCII characters without spaces',
            param: 'model',
            code: 'invalid_model_name',
          });
        }
        const provider = request.metadata?.provider;
        const names = request.model
          ? [request.model, ...(typeof provider === 'string' ? [`${provider}/${request.model}`] : [])]
          : [];
        // With no model named, each attempt is checked against the model the backend picks.
        if (names.length > 0 && !this.allowsModel(key, ...names)) {
          throw new PermissionDeniedError({
            message: `This API key may not use model '${request.model}'`,
            param: 'model',
            code: 'model_not_allowed',
          });
        }
        const fields = sortExtraFields(request, this.#fieldPolicies);
        if (key && isRestricted(key) && fields.restricted.length > 0) {
          throw new PermissionDeniedError({
            message: `This API key may not send ${quoted(fields.restricted)} (it changes the cost or the route of a call)`,
            param: fields.restricted[0],
            code: 'parameter_not_allowed',
          });
        }
        if (fields.unknown.length > 0 && this.#passThrough.size === 0) {
          throw new InvalidRequestError({
            message: `Unknown parameter ${quoted(fields.unknown)}: the gateway sends no unknown fields upstream unless a provider allows pass-through`,
            param: fields.unknown[0],
            code: 'unknown_parameter',
          });
        }
        return next(request);
      },
    };
  }

  /** Each key's own rate limit and budget, counted in the shared store. */
  #limitMiddleware(store: KeyValueStore, catalog: ModelCatalog | undefined): Middleware[] {
    const keys = this.#keys;
    return [
      perKeyMiddleware('key-rate-limit', (keyId) => {
        const perMinute = keys.get(keyId)?.requestsPerMinute;
        return perMinute === undefined
          ? undefined
          : createRateLimitMiddleware({
              requestsPerWindow: perMinute,
              windowMs: 60_000,
              store,
              key: () => keyId,
            });
      }),
      perKeyMiddleware('key-budget', (keyId) => {
        const limitUsd = keys.get(keyId)?.budgetUsdPerDay;
        return limitUsd === undefined
          ? undefined
          : createCostTrackingMiddleware({
              ...(catalog ? { catalog } : {}),
              store,
              budget: { name: `budget-${keyId}`, limitUsd, windowMs: DAY_MS, key: () => keyId },
            });
      }),
    ];
  }
}

/** A key with any limit: its extra fields may not raise the cost or change the route. */
function isRestricted(key: GatewayKey): boolean {
  return (
    key.allowedModels !== undefined ||
    key.budgetUsdPerDay !== undefined ||
    key.requestsPerMinute !== undefined
  );
}

function quoted(names: string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}

// Every provider's model ids are printable ASCII (`accounts/x/models/y`, `ft:gpt-4o:org::id`, `@cf/…`).
const MODEL_NAME = /^[\x21-\x7e]{1,256}$/;

/** The front-end's Bridge as the policy chain's backend: the call's id and attempt check go along. */
function bridgeBackend(bridge: Bridge): Backend {
  const forward = (request: ChatRequest, options: BackendCallOptions = {}): CallOptions => {
    const requestId = request.metadata?.requestId;
    return {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(typeof requestId === 'string' ? { requestId } : {}),
      ...(options.checkAttempt ? { checkAttempt: options.checkAttempt } : {}),
    };
  };
  return {
    get metadata() {
      return bridge.backend.metadata;
    },
    execute: (request, options) => bridge.execute(request, forward(request, options)),
    stream: (request, options) => bridge.stream(request, forward(request, options)),
  };
}
