import {
  AiMateyError,
  AuthenticationError,
  type Backend,
  type BackendCallOptions,
  type BackendMetadata,
  type ChatRequest,
  type ChatResponse,
  checkOptions,
  type ModelInfo,
  type OptionShape,
  parseModelRef,
  type StreamEvent,
  UnsupportedFeatureError,
  UpstreamServerError,
  type Warning,
} from 'ai.matey.core';
import { LazyStream, requestNeeds } from 'ai.matey.core/internal';
import { type WireCodec, wireCodec } from 'ai.matey.wire';
import type { ModelCatalog } from '../catalog/model-catalog.ts';
import { defaultCatalog } from '../catalog/model-catalog.ts';
import { type HttpTransport, sharedTransport, type TransportResponse } from '../transport/http-transport.ts';
import { decodeSseStream } from './decode-sse-stream.ts';
import { fitForProtocol } from './fit-for-protocol.ts';
import { modelsFromListBody } from './models-from-list.ts';
import { type BackendAdapterOptions, fromEnv, type ProviderProfile } from './provider-profile.ts';
import { rateLimitFromHeaders } from './rate-limit-headers.ts';

/** Options of the base class: the adapter options plus the shared pieces tests and gateways swap. */
export interface HttpBackendOptions extends BackendAdapterOptions {
  /** The transport (default: the process-wide one, one pool per origin). */
  transport?: HttpTransport;
  /** Where capabilities and model info come from (default: `defaultCatalog`). */
  catalog?: ModelCatalog;
}

/** The options every adapter knows; an adapter with more (Azure) checks its own first. */
export const httpBackendOptions: OptionShape<HttpBackendOptions> = {
  apiKey: true,
  baseURL: true,
  headers: true,
  defaultModel: true,
  timeoutMs: true,
  name: true,
  transport: true,
  catalog: true,
};

type PreparedCall = { path: string; body: string; warnings: Warning[] };

/**
 * A provider adapter: the provider's wire codec over the pooled transport, parameterised by a
 * `ProviderProfile`. Every named adapter (`OpenAIBackendAdapter`, `GroqBackendAdapter`, …) is
 * this class with a profile. The API key lives in a private field: it is never in `metadata`,
 * `JSON.stringify(adapter)` or an error message.
 *
 * @example
 * const groq = new HttpBackend(PROVIDER_PROFILES.groq, { apiKey: process.env.GROQ_API_KEY });
 * const reply = await groq.execute({ messages: [{ role: 'user', content: 'Hi' }] });
 */
export class HttpBackend implements Backend {
  readonly metadata: BackendMetadata;
  readonly #profile: ProviderProfile;
  readonly #codec: WireCodec;
  readonly #transport: HttpTransport;
  readonly #catalog: ModelCatalog;
  readonly #extraHeaders: Record<string, string> | undefined;
  readonly #timeoutMs: number | undefined;
  /** Scheme, host and port of the base URL. */
  protected readonly origin: string;
  /** The base URL's path, without a trailing slash (`/openai/v1`). */
  protected readonly basePath: string;
  /** The base path with the protocol's version segment (`/v1`, `/v1beta`), given or added. */
  readonly #versionedPath: string;
  #apiKey: string | undefined;
  #headers: Record<string, string> | undefined;

  constructor(profile: ProviderProfile, options: HttpBackendOptions = {}) {
    checkOptions(`new ${new.target.name}`, options, httpBackendOptions);
    this.#profile = profile;
    this.#codec = wireCodec(profile.protocol);
    this.#transport = options.transport ?? sharedTransport();
    this.#catalog = options.catalog ?? defaultCatalog;
    this.#extraHeaders = options.headers;
    this.#timeoutMs = options.timeoutMs;
    // `process.env.X` of an unset variable may arrive as '' as well as undefined: both mean none.
    this.#apiKey = options.apiKey || fromEnv(profile.apiKeyEnv);
    const base = new URL(options.baseURL ?? fromEnv(profile.baseURLEnv) ?? profile.baseURL);
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.#versionedPath = this.#codec.endpoints.versionedPath(this.basePath);
    this.metadata = {
      name: options.name ?? profile.name,
      provider: profile.name,
      capabilities: { ...profile.capabilities },
      defaultModel: options.defaultModel ?? profile.defaultModel,
    };
  }

  /** The path of a chat call for this model (the provider's protocol decides; Azure overrides). */
  protected chatPath(model: string, stream: boolean): string {
    return this.#codec.endpoints.chatPath(this.#versionedPath, model, stream);
  }

  /** The list-models path, or `undefined` when the provider has none. */
  protected modelsPath(): string | undefined {
    if (!this.#profile.listsModels) return undefined;
    return this.#codec.endpoints.modelsPath(this.#versionedPath);
  }

  async execute(request: ChatRequest, options: BackendCallOptions = {}): Promise<ChatResponse> {
    const { signal } = options;
    const call = this.#prepare(request, false, options.modelResolved);
    const response = await this.#post(call, signal);
    if (response.status >= 300) throw await this.#errorFrom(response, request, signal);
    const body = await this.#transport.readJson(response, this.#profile.name, signal);
    const reply = this.#decode(() =>
      this.#codec.decodeResponse(body, { provider: this.#profile.name, request }),
    );
    if (call.warnings.length > 0) reply.warnings = [...call.warnings, ...reply.warnings];
    const rateLimit = rateLimitFromHeaders(response.headers);
    if (rateLimit) reply.rateLimit = rateLimit;
    return reply;
  }

  /** Starts on the first read (nothing is sent before), like an async generator. */
  stream(request: ChatRequest, options: BackendCallOptions = {}): AsyncIterable<StreamEvent> {
    return new LazyStream(async () => {
      const { signal } = options;
      const provider = this.#profile.name;
      const call = this.#prepare(request, true, options.modelResolved);
      const response = await this.#post(call, signal);
      if (response.status >= 300) throw await this.#errorFrom(response, request, signal);
      const decoder = this.#codec.createStreamDecoder({ provider, request });
      const rateLimit = rateLimitFromHeaders(response.headers);
      const context = { provider, signal, warnings: call.warnings, rateLimit };
      return decodeSseStream(response, decoder, context)[Symbol.asyncIterator]();
    });
  }

  async listModels(options: { signal?: AbortSignal } = {}): Promise<ModelInfo[]> {
    const path = this.modelsPath();
    const provider = this.#profile.name;
    if (path === undefined) return this.#catalog.list(provider);
    const response = await this.#transport.request({
      origin: this.origin,
      path,
      method: 'GET',
      headers: this.#requestHeaders(),
      provider,
      signal: options.signal,
      headersTimeoutMs: this.#timeoutMs,
      bodyTimeoutMs: this.#timeoutMs,
    });
    if (response.status >= 300) throw await this.#errorFrom(response, undefined, options.signal);
    const body = await this.#transport.readJson(response, provider, options.signal);
    return modelsFromListBody(this.#codec.endpoints.decodeModelList(body), provider, this.#catalog);
  }

  async healthCheck(
    options: { signal?: AbortSignal } = {},
  ): Promise<{ healthy: boolean; latencyMs: number; message?: string }> {
    const started = performance.now();
    if (this.modelsPath() === undefined) {
      return {
        healthy: true,
        latencyMs: 0,
        message: 'not probed: the provider has no free endpoint to probe',
      };
    }
    try {
      const models = await this.listModels(options);
      return { healthy: true, latencyMs: performance.now() - started, message: `${models.length} models` };
    } catch (error) {
      const message = AiMateyError.isInstance(error) ? error.message : String(error);
      return { healthy: false, latencyMs: performance.now() - started, message };
    }
  }

  /** Only the public description: the key and headers stay out of logs and serialised config. */
  toJSON(): Record<string, unknown> {
    return { metadata: this.metadata, baseURL: `${this.origin}${this.basePath}` };
  }

  /**
   * The upstream model id: the request's (minus a `name/` prefix naming this adapter, unless a
   * Router already took its prefix off: `resolved`) or the default.
   */
  resolveModel(requested: string | undefined, resolved = false): string {
    const fallback = this.metadata.defaultModel ?? this.#profile.defaultModel;
    if (requested === undefined || requested === '') return fallback;
    if (resolved) return requested;
    const ref = parseModelRef(requested);
    if (ref.provider !== this.metadata.name && ref.provider !== this.#profile.name) return requested;
    // `openrouter/auto` is a real id at OpenRouter: keep a prefix that is part of a known id.
    const known = this.#catalog.find(requested, this.#profile.name);
    if (known && (known.id === requested || known.aliases?.includes(requested))) return requested;
    return ref.model;
  }

  #prepare(request: ChatRequest, stream: boolean, resolved: boolean | undefined): PreparedCall {
    const provider = this.#profile.name;
    const model = this.resolveModel(request.model, resolved);
    const capabilities = this.#catalog.find(model, provider)?.capabilities;
    if (capabilities) {
      const missing = requestNeeds(request).filter((need) => capabilities[need] === false);
      if (missing.length > 0) {
        throw new UnsupportedFeatureError({
          message: `${provider} model ${model} does not support ${missing.join(', ')}`,
          provider,
          code: 'unsupported_feature',
          param: missing[0],
        });
      }
    }
    const foreign = fitForProtocol(request, this.#codec);
    const encoded = this.#codec.encodeRequest(foreign.request, { model, stream, provider });
    return {
      path: this.chatPath(model, stream),
      body: JSON.stringify(encoded.body),
      warnings: [...foreign.warnings, ...encoded.warnings],
    };
  }

  #post(call: PreparedCall, signal: AbortSignal | undefined): Promise<TransportResponse> {
    return this.#transport.request({
      origin: this.origin,
      path: call.path,
      method: 'POST',
      headers: this.#requestHeaders(),
      body: call.body,
      provider: this.#profile.name,
      signal,
      headersTimeoutMs: this.#timeoutMs,
      bodyTimeoutMs: this.#timeoutMs,
    });
  }

  /** Built once; a key missing at construction is looked up again (it may be set later). */
  #requestHeaders(): Record<string, string> {
    if (this.#headers) return this.#headers;
    const profile = this.#profile;
    this.#apiKey ??= fromEnv(profile.apiKeyEnv);
    const key = this.#apiKey;
    if (key === undefined && !profile.apiKeyOptional && this.#extraHeaders === undefined) {
      throw new AuthenticationError({
        message: `No API key for ${this.metadata.name}: pass apiKey or set ${profile.apiKeyEnv.join(' or ')}`,
        provider: profile.name,
        code: 'missing_api_key',
      });
    }
    const headers: Record<string, string> = { 'content-type': 'application/json', ...profile.headers };
    if (key !== undefined) {
      if (profile.auth === 'bearer') headers.authorization = `Bearer ${key}`;
      else headers[profile.auth] = key;
    }
    this.#headers = { ...headers, ...this.#extraHeaders };
    return this.#headers;
  }

  async #errorFrom(
    response: TransportResponse,
    request: ChatRequest | undefined,
    signal: AbortSignal | undefined,
  ): Promise<AiMateyError> {
    const provider = this.#profile.name;
    let body = await this.#transport.readErrorBody(response, provider, signal);
    const key = this.#apiKey;
    // Some providers echo the key they rejected; it must not reach an error message.
    if (key !== undefined && key.length >= 4) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      if (text.includes(key)) {
        const scrubbed = text.replaceAll(key, '[redacted]');
        try {
          body = typeof body === 'string' ? scrubbed : JSON.parse(scrubbed);
        } catch {
          body = scrubbed;
        }
      }
    }
    return this.#codec.decodeError(response.status, body, response.headers, { provider, request });
  }

  #decode(decode: () => ChatResponse): ChatResponse {
    try {
      return decode();
    } catch (error) {
      if (AiMateyError.isInstance(error)) throw error;
      throw new UpstreamServerError({
        message: `The provider sent a reply this adapter could not read: ${error instanceof Error ? error.message : String(error)}`,
        provider: this.#profile.name,
        code: 'malformed_response',
        cause: error,
      });
    }
  }
}
