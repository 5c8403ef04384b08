import {
  type AttemptCheck,
  Bridge,
  type CallOptions,
  type ChatRequest,
  type ChatResponse,
  type ChatStream,
  type EmbedRequest,
  type EmbedResponse,
  InvalidRequestError,
  type Middleware,
  type ModelCatalog,
  PermissionDeniedError,
  type TokenCount,
} from 'ai.matey.core';
import {
  createResponseStoreMiddleware,
  createValidationMiddleware,
  estimateInputTokens,
  type KeyValueStore,
  StoredResponses,
} from 'ai.matey.middleware';
import { type ExtraFieldPolicy, type WireCodec, wireCodec, wireProtocols } from 'ai.matey.wire';
import { type AdmitRules, admitCall, quoted } from './admit-call.ts';
import { embedPolicyMiddleware } from './embed-policy-middleware.ts';
import { sortExtraFields } from './extra-fields.ts';
import { type GatewayKey, type GatewayKeyConfig, GatewayKeyring, keyAllowsModel } from './gateway-keys.ts';
import { type KeyConcurrencyOptions, keyBulkheadMiddleware } from './key-bulkhead.ts';
import { keyLimitMiddleware, limitStores } from './key-limits.ts';
import type { KeySource } from './key-source.ts';
import { bridgeBackend } from './policy-bridge-backend.ts';
import type { OnStoreDown, StoreHealth } from './store-health.ts';

export interface GatewayPolicyOptions {
  /** The Bridge the admitted calls go to. */
  bridge: Bridge;
  /** Gateway API keys; none means the gateway is open. */
  keys?: GatewayKeyConfig[];
  /** Where keys not in `keys` are looked up (a database), asked in order. */
  keySources?: KeySource[];
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
  /** Middleware around every call the policy sees, refused ones included (a spend log). */
  outerMiddleware?: Middleware[];
  /** Whether `store` answers: rate limits and budgets then follow `onStoreDown` while it does not. */
  storeHealth?: StoreHealth;
  /** What rate limits and budgets do while `store` is down (`storeHealth` says when). Default closed. */
  onStoreDown?: OnStoreDown;
  /** Caps for keys without their own `maxConcurrent`, and the refusal's `retry-after`. */
  keyConcurrency?: KeyConcurrencyOptions;
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
 * const key = await policy.authenticate(presentedSecret);
 * const reply = await policy.execute(key, request, { requestId });
 */
export class GatewayPolicy {
  /** The Bridge admitted calls go to. */
  readonly bridge: Bridge;
  readonly keyring: GatewayKeyring;
  /** Replies kept by id (`previous_response_id`, read back by the key that made them). */
  readonly responses: StoredResponses;
  /** Every key by id: the config's, and each source key as last authenticated (its limits now). */
  readonly #keys: Map<string, GatewayKey>;
  readonly #configKeyIds: ReadonlySet<string>;
  readonly #origins: ReadonlySet<string>;
  readonly #maxMessages: number;
  readonly #aliases: Record<string, string>;
  readonly #passThrough: ReadonlySet<string>;
  readonly #fieldPolicies: Map<string, ExtraFieldPolicy>;
  readonly #chain: Bridge;
  /** The chain of what the gateway spends on a key's behalf: the outer middleware and budgets. */
  readonly #onBehalf: Bridge;
  readonly #rules: AdmitRules;

  constructor(options: GatewayPolicyOptions) {
    const keys = options.keys ?? [];
    this.bridge = options.bridge;
    this.keyring = new GatewayKeyring(keys, options.keySources);
    // Without a shared store, replies get their own: they must not push out rate-limit counters.
    this.responses = new StoredResponses({ store: options.store, ttlMs: options.responseTtlMs ?? DAY_MS });
    this.#keys = new Map(keys.map(({ key: _secret, sha256: _hash, ...key }) => [key.id, key]));
    this.#configKeyIds = new Set(this.#keys.keys());
    this.#origins = new Set(options.corsOrigins ?? []);
    this.#maxMessages = options.maxMessages ?? 1_000;
    this.#aliases = options.modelAliases ?? {};
    this.#passThrough = new Set(options.passThroughProviders ?? []);
    this.#fieldPolicies = new Map(
      (options.codecs ?? wireProtocols().map((protocol) => wireCodec(protocol))).flatMap((codec) =>
        codec.extraFields ? [[codec.extraFields.providerOptionsKey, codec.extraFields] as const] : [],
      ),
    );
    this.#rules = {
      maxMessages: this.#maxMessages,
      allowsModel: (key, ...names) => this.allowsModel(key, ...names),
      fieldPolicies: this.#fieldPolicies,
      passThrough: this.#passThrough,
    };
    const budgeted = keys.filter((key) => key.budgetUsdPerDay !== undefined);
    if (budgeted.length > 0 && !options.catalog)
      throw new TypeError(`Gateway key '${budgeted[0]?.id}' has a budget: pass a catalog to price calls`);
    const keyById = (id: string) => this.#keys.get(id);
    const limits = keyLimitMiddleware(keyById, limitStores(options), options.catalog);
    this.#chain = new Bridge({
      backend: bridgeBackend(options.bridge),
      middleware: [
        ...(options.outerMiddleware ?? []),
        keyBulkheadMiddleware(keyById, options.keyConcurrency),
        this.#checkMiddleware(),
        embedPolicyMiddleware(keyById, (key, ...names) => this.allowsModel(key, ...names)),
        createResponseStoreMiddleware(this.responses),
        createValidationMiddleware(),
        ...limits.rateLimits,
        ...limits.budgets,
      ],
    });
    this.#onBehalf = new Bridge({
      backend: bridgeBackend(options.bridge),
      middleware: [...(options.outerMiddleware ?? []), ...limits.budgets],
    });
  }

  /** The key for a presented secret (AuthenticationError when wrong); undefined when keys are off. */
  async authenticate(secret: string | undefined): Promise<GatewayKey | undefined> {
    if (!this.keyring.enabled) return undefined;
    const key = await this.keyring.authenticate(secret);
    // A source's key as it is now, for the limits of the call it is about to make.
    if (!this.#configKeyIds.has(key.id)) this.#keys.set(key.id, key);
    return key;
  }

  /**
   * A key by id as this policy resolved it: the config's, or a source's as last authenticated
   * (its limits and opt-ins now). For middleware behind the policy that reads `metadata.apiKeyId`.
   */
  keyById(id: string): GatewayKey | undefined {
    return this.#keys.get(id);
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

  /**
   * Counts the request's input tokens if the policy admits it: the same key, model and field
   * checks as a chat call, before the count and on the backend that counts, but no rate limit or
   * budget is spent. Exact where the upstream counts, else a tokenizer estimate (`exact: false`).
   */
  countTokens(
    key: GatewayKey | undefined,
    request: ChatRequest,
    options: Pick<CallOptions, 'signal' | 'requestId'> = {},
  ): Promise<TokenCount> {
    const configured = this.#configured(key);
    const tagged = this.#tag(configured, request, options);
    try {
      admitCall(configured, tagged, this.#rules);
    } catch (error) {
      return Promise.reject(error);
    }
    const check = this.#callOptions(configured, tagged, {}).checkAttempt;
    return this.bridge.countTokens(tagged, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(check ? { checkAttempt: check } : {}),
      estimate: async (counted, provider) => (await estimateInputTokens(counted, provider)).tokens,
    });
  }

  /** Embeds if the policy admits the call: the key, its models, limits and budget, as for chat. */
  embed(
    key: GatewayKey | undefined,
    request: EmbedRequest,
    options: CallOptions = {},
  ): Promise<EmbedResponse> {
    const configured = this.#configured(key);
    const { metadata } = this.#tag(configured, { messages: [], ...request }, options);
    const check = this.#attemptCheck(configured, []);
    return this.#chain.embed({ ...request, metadata }, check ? { ...options, checkAttempt: check } : options);
  }

  /**
   * An embedding the gateway makes for a call it admitted (the semantic cache's lookup), paid by
   * the key in `metadata.apiKeyId` like any call: reserved in and charged to its and its team's
   * budgets, and seen by `outerMiddleware` (a spend-log row). Not counted against its rate limits,
   * its models or its concurrency cap: the caller made one request (which holds the slot), and
   * the operator chose the model.
   * Metadata is the caller's to trust: pass the admitted call's (the policy tagged its key).
   */
  embedOnBehalf(request: EmbedRequest, options: CallOptions = {}): Promise<EmbedResponse> {
    return this.#onBehalf.embed(request, options);
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
        admitCall(typeof keyId === 'string' ? this.#keys.get(keyId) : undefined, request, this.#rules);
        return next(request);
      },
    };
  }
}
